import type { PoolOptions } from '@nightcrier/storage-core';
import { createMysqlStateStore } from '@nightcrier/storage-mysql';
import type { TargetPair } from '../harness/bench-target.js';
import { dropDatabase, migrateRaw, recreateDatabase } from './mysql-admin.js';
import { RawMysqlStore } from './raw-mysql.js';

// Per process: two runs against one server (or a run and a profile) never drop each other's databases.
export const STORE_DB = `nc_bench_${process.pid}_store`;
export const RAW_DB = `nc_bench_${process.pid}_raw`;

/**
 * A store (default pool: 25 connections) and a raw baseline (mysql2 pool of 25) on two fresh
 * databases of the same server with the same schema.
 */
export async function openMysqlPair(pool?: PoolOptions): Promise<TargetPair> {
  const storeUrl = await recreateDatabase(STORE_DB);
  const rawUrl = await recreateDatabase(RAW_DB);
  await migrateRaw(rawUrl);
  const store = await createMysqlStateStore(pool === undefined ? { url: storeUrl } : { url: storeUrl, pool });
  const raw = new RawMysqlStore(rawUrl, 25);
  return {
    store,
    raw,
    location: `databases ${STORE_DB} (store) and ${RAW_DB} (raw)`,
    cleanup: async () => {
      await dropDatabase(STORE_DB);
      await dropDatabase(RAW_DB);
    },
  };
}
