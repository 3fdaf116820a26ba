import { migrationFilesIn, type MigrationDialect } from '@nightcrier/storage-core';
import { sql } from 'kysely';
import { postgresErrorKind } from './postgres-error-kind.js';

// The build copies migrations/postgres/ from the repository root here; the same relative path
// works from src/ (tests) and from dist/ (the published package).
const MIGRATIONS_FOLDER = new URL('../migrations/', import.meta.url);
// One advisory lock key for every nightcrier migrator on a database ("nightcri" in ASCII).
const MIGRATION_LOCK_KEY = 0x6e69676874637269n;

export const postgresMigrationFiles = migrationFilesIn(MIGRATIONS_FOLDER);

/**
 * PostgreSQL migrations hold a session advisory lock on one connection (a second process waits,
 * then finds nothing pending) and run each migration in its own transaction.
 */
export const postgresMigrationDialect: MigrationDialect = {
  withMigrationLock: (db, fn) =>
    db.connection().execute(async (connection) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`.execute(connection);
      try {
        return await fn(connection);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`.execute(connection);
      }
    }),
  async inMigrationTransaction(connection, fn) {
    await sql`begin`.execute(connection);
    try {
      await fn();
      await sql`commit`.execute(connection);
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  },
  async executeScript(connection, script) {
    // No parameters: pg sends it with the simple protocol, which runs several statements.
    await sql.raw(script).execute(connection);
  },
  classifyError: postgresErrorKind,
};
