import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, inject } from 'vitest';
import { faultEvent as sharedFaultEvent } from '../../../../test-support/fixtures.js';
import type { FaultEvent, StateStore } from '@nightcrier/storage-core';
import { createMysqlStateStore, type MysqlStoreConfig } from '../../src/index.js';

export const adminUrl = (): string => inject('mysqlAdminUrl');

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs one statement as the administrator. */
export async function adminQuery<R = Record<string, unknown>>(text: string, values: unknown[] = [], url = adminUrl()): Promise<R[]> {
  const connection = await mysql.createConnection({ uri: url, dateStrings: true });
  try {
    const [rows] = await connection.query(text, values);
    return rows as R[];
  } finally {
    await connection.end();
  }
}

/** An empty database of its own (unmigrated), and a way to drop it. */
export async function freshDatabase(prefix = 'nc_test'): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE \`${name}\``);
  return { name, url: withDatabase(adminUrl(), name), drop: async () => void (await adminQuery(`DROP DATABASE IF EXISTS \`${name}\``)) };
}

/**
 * One fresh database for the whole test file, migrated once in `beforeAll` and dropped in
 * `afterAll`; tests that only look at ids of their own can share it. Call at the file's top level.
 */
export function migratedDatabaseForFile(): () => { name: string; url: string } {
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  beforeAll(async () => {
    database = await freshDatabase();
    await (await createMysqlStateStore({ url: database.url })).close();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (database === undefined) throw new Error('the file database is made in beforeAll: use it inside a test');
    return database;
  };
}

/** The server sessions on `database`, with what each does. */
export function sessionsOn(database: string): Promise<Array<{ id: number; command: string; state: string | null; info: string | null }>> {
  return adminQuery('SELECT ID AS id, COMMAND AS command, STATE AS state, INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ?', [database]);
}


/** Opens a store on a fresh migrated database; `close` closes it and drops the database. */
export async function openFreshStore(
  config: Omit<MysqlStoreConfig, 'url'> = {},
): Promise<{ store: StateStore; database: string; url: string; close: () => Promise<void> }> {
  const database = await freshDatabase();
  await (await createMysqlStateStore({ url: database.url })).close();
  const store = await createMysqlStateStore({ ...config, url: database.url, migrate: false });
  return {
    store,
    database: database.name,
    url: database.url,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/**
 * Holds a lock from a session of its own until `release()`: `LOCK TABLES … WRITE` on `table`
 * (which blocks even InnoDB's lock-free reads), or with `rowOf` an exclusive lock on one incident
 * row (`SELECT … FOR UPDATE`), which blocks writes to that row only.
 */
export async function holdLock(url: string, lock: { table: string } | { rowOf: string }): Promise<{ sessionId: number; release: () => Promise<void> }> {
  const connection = await mysql.createConnection({ uri: url });
  connection.on('error', () => undefined);
  if ('table' in lock) {
    await connection.query(`LOCK TABLES \`${lock.table}\` WRITE`);
  } else {
    await connection.query('START TRANSACTION');
    await connection.query('SELECT incident_id FROM incidents WHERE incident_id = ? FOR UPDATE', [lock.rowOf]);
  }
  let released = false;
  return {
    sessionId: connection.threadId,
    release: async () => {
      if (released) return;
      released = true;
      await connection.query('table' in lock ? 'UNLOCK TABLES' : 'ROLLBACK');
      await connection.end();
    },
  };
}

/** Statements of the store's sessions on `database` still running on the server (its own probes and KILLs aside). */
export async function runningStatements(database: string): Promise<number> {
  const own = /information_schema\.PROCESSLIST|^KILL /i;
  return (await sessionsOn(database)).filter((session) => (session.command === 'Query' || session.command === 'Execute') && !own.test(session.info ?? '')).length;
}

/** A fault event of the MySQL tests' own cluster unless told otherwise. */
export const faultEvent = (faultId: string, cluster = 'mysql-own'): FaultEvent => sharedFaultEvent(faultId, cluster);

export { waitFor } from '../../../../test-support/fixtures.js';
