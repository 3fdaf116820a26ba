import type { PoolOptions } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '@nightcrier/storage-postgres';
import type { TargetPair } from '../harness/bench-target.js';
import { openServerPair } from '../harness/server-pair.js';
import * as admin from './postgres-admin.js';
import { RawPostgresStore } from './raw-postgres.js';

/** A store (default pool: 25 connections, or `pool`) and a raw baseline (pg.Pool of 25). */
export function openPostgresPair(pool?: PoolOptions): Promise<TargetPair> {
  return openServerPair(
    admin,
    (url) => createPostgresStateStore(pool === undefined ? { url } : { url, pool }),
    (url) => new RawPostgresStore(url, 25),
  );
}
