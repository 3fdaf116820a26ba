import type BetterSqlite3 from 'better-sqlite3';
import { sqliteErrorKind } from './sqlite-error-kind.js';
import { migrationFilesIn, type MigrationDialect } from '@nightcrier/storage-core';

// The build copies migrations/sqlite/ from the repository root here; the same relative path
// works from src/ (tests) and from dist/ (the published package).
const MIGRATIONS_FOLDER = new URL('../migrations/', import.meta.url);

export const sqliteMigrationFiles = migrationFilesIn(MIGRATIONS_FOLDER);

/**
 * SQLite migrations run inside one BEGIN IMMEDIATE transaction: it is the lock (a second process
 * waits for it within busy_timeout, then sees the migrations applied) and SQLite's DDL is
 * transactional, so a failed run leaves the schema as it was.
 */
export function sqliteMigrationDialect(database: BetterSqlite3.Database): MigrationDialect {
  return {
    async withMigrationLock(db, fn) {
      database.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(db);
        database.exec('COMMIT');
        return result;
      } catch (error) {
        if (database.inTransaction) database.exec('ROLLBACK');
        throw error;
      }
    },
    inMigrationTransaction: (_connection, fn) => fn(),
    async executeScript(_connection, script) {
      database.exec(script);
    },
    classifyError: sqliteErrorKind,
  };
}
