import { defineAdapter } from '@nightcrier/storage-core';
import { createSqliteStateStore, openSqliteKysely } from './create-sqlite-state-store.js';
import { parseSqliteUrl } from './sqlite-config.js';
import { sqliteMigrationDialect, sqliteMigrationFiles } from './sqlite-migrations.js';

/** The adapter `createStateStore` uses for `sqlite:`, `file:` and `:memory:` URLs. */
export const adapter = defineAdapter({
  name: 'sqlite',
  schemes: ['sqlite', 'file'],
  open: (url, options) => createSqliteStateStore({ ...options, ...parseSqliteUrl(url) }),
  migrationFiles: sqliteMigrationFiles,
  connectForMigrations: (url) => {
    const { db, database } = openSqliteKysely(parseSqliteUrl(url));
    return { db, dialect: sqliteMigrationDialect(database) };
  },
});
