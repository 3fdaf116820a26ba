import type BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import {
  createKyselyStateStore,
  createQueryLogger,
  runMigrationFiles,
  type StateStore,
  type StorageSchema,
  type StoreDriver,
} from '@nightcrier/storage-core';
import { openSqliteDatabase } from './open-sqlite-database.js';
import { sqliteCodecs } from './sqlite-codecs.js';
import type { SqliteStoreConfig } from './sqlite-config.js';
import { NightcrierSqliteDialect } from './sqlite-dialect.js';
import { sqliteErrorKind } from './sqlite-error-kind.js';
import { runStatementsNow } from './run-statements-now.js';
import { sqliteMigrationDialect, sqliteMigrationFiles } from './sqlite-migrations.js';

/** A Kysely instance on one freshly opened SQLite connection, with the raw handle beside it. */
export function openSqliteKysely(config: SqliteStoreConfig): {
  db: Kysely<StorageSchema>;
  database: BetterSqlite3.Database;
  dialect: NightcrierSqliteDialect;
} {
  const database = openSqliteDatabase(config);
  const dialect = new NightcrierSqliteDialect(database);
  const log = createQueryLogger(config.onQuery);
  const db = new Kysely<StorageSchema>(log === undefined ? { dialect } : { dialect, log });
  return { db, database, dialect };
}

/**
 * Opens a SQLite store on `config.filename` (a path or `:memory:`), applying pending migrations
 * unless `migrate` is false.
 */
export async function createSqliteStateStore(config: SqliteStoreConfig): Promise<StateStore> {
  const { db, database, dialect } = openSqliteKysely(config);
  try {
    if (config.migrate !== false) {
      await runMigrationFiles(db, sqliteMigrationDialect(database), await sqliteMigrationFiles());
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const driver: StoreDriver = {
    dialect: 'sqlite',
    db,
    codecs: sqliteCodecs,
    classifyError: sqliteErrorKind,
    walkOrderIndex: true,
    // The direct path skips Kysely's log; with an onQuery observer every query goes through Kysely.
    ...(config.onQuery === undefined
      ? { executeNow: (queries, singleRow) => runStatementsNow(database, dialect.statements, dialect.usage, queries, singleRow) }
      : {}),
    stats: () => ({
      totalConnections: 1,
      activeConnections: dialect.usage.active,
      idleConnections: 1 - dialect.usage.active,
      waitingRequests: dialect.usage.waiting,
    }),
    destroy: () => db.destroy(),
  };
  return createKyselyStateStore(driver, config);
}
