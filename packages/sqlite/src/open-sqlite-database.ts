import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ConnectionError } from '@nightcrier/storage-core';
import { SQLITE_DEFAULTS, type SqliteStoreConfig } from './sqlite-config.js';

export function isMemoryFilename(filename: string): boolean {
  return filename === ':memory:' || filename === '';
}

/**
 * Opens the one connection a SQLite store uses and sets its pragmas: WAL journal, foreign keys,
 * busy timeout, synchronous level. Every connection the adapter opens comes from here.
 */
export function openSqliteDatabase(config: Pick<SqliteStoreConfig, 'filename' | 'busyTimeoutMs' | 'synchronous'>): BetterSqlite3.Database {
  const busyTimeoutMs = config.busyTimeoutMs ?? SQLITE_DEFAULTS.busyTimeoutMs;
  const synchronous = config.synchronous ?? SQLITE_DEFAULTS.synchronous;
  const memory = isMemoryFilename(config.filename);
  const path = memory ? ':memory:' : resolve(config.filename);
  let database: BetterSqlite3.Database | undefined;
  try {
    if (!memory) mkdirSync(dirname(path), { recursive: true });
    database = new BetterSqlite3(path, { timeout: busyTimeoutMs });
    // busy_timeout first: switching a shared file to WAL takes a lock other processes may hold.
    database.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!memory) database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    database.pragma('foreign_keys = ON');
    return database;
  } catch (cause) {
    database?.close();
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConnectionError(`failed to open SQLite database ${path}: ${reason}`, { cause });
  }
}
