import type { PoolOptions } from '@nightcrier/storage-core';
import { createMysqlStateStore } from '@nightcrier/storage-mysql';
import type { TargetPair } from '../harness/bench-target.js';
import { openServerPair } from '../harness/server-pair.js';
import * as admin from './mysql-admin.js';
import { RawMysqlStore } from './raw-mysql.js';

/** A store (default pool: 25 connections, or `pool`) and a raw baseline (mysql2 pool of 25). */
export function openMysqlPair(pool?: PoolOptions): Promise<TargetPair> {
  return openServerPair(
    admin,
    (url) => createMysqlStateStore(pool === undefined ? { url } : { url, pool }),
    (url) => new RawMysqlStore(url, 25),
  );
}
