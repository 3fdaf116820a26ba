import {
  readMigrationStatus,
  runMigrationFiles,
  type MigrationOptions,
  type MigrationResult,
  type MigrationStatus,
  type StateStoreAdapter,
} from '@nightcrier/storage-core';
import { createSqliteStateStore, openSqliteKysely } from './create-sqlite-state-store.js';
import { parseSqliteUrl } from './sqlite-config.js';
import { sqliteMigrationDialect, sqliteMigrationFiles } from './sqlite-migrations.js';

async function withMigrationConnection<T>(url: string, fn: (opened: ReturnType<typeof openSqliteKysely>) => Promise<T>): Promise<T> {
  const opened = openSqliteKysely(parseSqliteUrl(url));
  try {
    return await fn(opened);
  } finally {
    await opened.db.destroy();
  }
}

/** The adapter `createStateStore` uses for `sqlite:`, `file:` and `:memory:` URLs. */
export const adapter: StateStoreAdapter = {
  name: 'sqlite',
  schemes: ['sqlite', 'file'],
  open: (url, options) => createSqliteStateStore({ ...options, ...parseSqliteUrl(url) }),
  migrate: (url: string, options: MigrationOptions): Promise<MigrationResult> =>
    withMigrationConnection(url, async ({ db, database }) =>
      runMigrationFiles(db, sqliteMigrationDialect(database), await sqliteMigrationFiles(), options),
    ),
  migrationStatus: (url: string): Promise<MigrationStatus> =>
    withMigrationConnection(url, async ({ db, database }) =>
      readMigrationStatus(db, sqliteMigrationDialect(database), await sqliteMigrationFiles()),
    ),
};
