import pg from 'pg';
import type { PoolOptions } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '@nightcrier/storage-postgres';
import type { TargetPair } from '../harness/bench-target.js';
import { upMigrationSql } from '../harness/paths.js';
import { dropDatabase, recreateDatabase } from './postgres-admin.js';
import { RawPostgresStore } from './raw-postgres.js';

const STORE_DB = 'nc_bench_store';
const RAW_DB = 'nc_bench_raw';

/** Applies the store's up migrations to the raw side's database, so both have the same schema. */
async function migrateRaw(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of upMigrationSql('postgres')) await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A store (default pool: 25 connections) and a raw baseline (pg.Pool of 25) on two fresh databases
 * of the same server with the same schema.
 */
export async function openPostgresPair(pool?: PoolOptions): Promise<TargetPair> {
  const storeUrl = await recreateDatabase(STORE_DB);
  const rawUrl = await recreateDatabase(RAW_DB);
  await migrateRaw(rawUrl);
  const store = await createPostgresStateStore(pool === undefined ? { url: storeUrl } : { url: storeUrl, pool });
  const raw = new RawPostgresStore(rawUrl, 25);
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
