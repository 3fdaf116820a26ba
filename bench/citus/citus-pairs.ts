import { createPostgresStateStore } from '@nightcrier/storage-postgres';
import type { TargetPair } from '../harness/bench-target.js';
import { openServerPair } from '../harness/server-pair.js';
import { RawPostgresStore } from '../postgres/raw-postgres.js';
import { startBenchCitusCluster } from './bench-citus-cluster.js';
import { CITUS_OWNER_TABLE_WRITES } from './raw-citus-writes.js';

/**
 * A Citus cluster of the pair's own (a coordinator and two workers on this machine), a database
 * for each side on it, and the PostgreSQL pair on their coordinator URLs: the store (default config;
 * it detects Citus and migrates with migrations/citus) and the raw baseline (pg.Pool of 25, the same
 * tables from migrations/citus, the owner-table forms of its two id-keyed writes). cleanup() stops
 * the cluster and removes its folder; with --keep the harness skips it and the cluster keeps running.
 */
export async function openCitusPair(): Promise<TargetPair> {
  const cluster = await startBenchCitusCluster();
  try {
    const pair = await openServerPair(
      cluster.admin,
      (url) => createPostgresStateStore({ url }),
      (url) => new RawPostgresStore(url, 25, CITUS_OWNER_TABLE_WRITES),
    );
    const { coordinator, workers } = cluster.ports;
    return {
      ...pair,
      location: `${pair.location} on Citus ${cluster.citusVersion} in ${cluster.directory} (coordinator 127.0.0.1:${coordinator}, workers ${workers.join(', ')})`,
      cleanup: async () => {
        await pair.cleanup();
        await cluster.remove();
      },
    };
  } catch (error) {
    await cluster.remove();
    throw error;
  }
}
