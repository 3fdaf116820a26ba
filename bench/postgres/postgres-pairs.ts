import { createPostgresStateStore, type PostgresStoreConfig } from '@nightcrier/storage-postgres';
import type { TargetPair } from '../harness/bench-target.js';
import { openServerPair } from '../harness/server-pair.js';
import * as admin from './postgres-admin.js';
import { RawPostgresStore } from './raw-postgres.js';

/** A store (default config: a pool of 25, named statements; or `config`) and a raw baseline (pg.Pool of 25). */
export function openPostgresPair(config: Omit<PostgresStoreConfig, 'url'> = {}): Promise<TargetPair> {
  return openServerPair(
    admin,
    (url) => createPostgresStateStore({ ...config, url }),
    (url) => new RawPostgresStore(url, 25),
  );
}
