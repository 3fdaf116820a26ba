import { defineAdapter } from '@nightcrier/storage-core';
import { createPostgresStateStore, openPostgresKysely } from './create-postgres-state-store.js';
import { postgresMigrationDialect, postgresMigrationFiles } from './postgres-migrations.js';

/** The adapter `createStateStore` uses for `postgres:` and `postgresql:` URLs. */
export const adapter = defineAdapter({
  name: 'postgres',
  schemes: ['postgres', 'postgresql'],
  open: (url, options) => createPostgresStateStore({ ...options, url }),
  migrationFiles: postgresMigrationFiles,
  connectForMigrations: (url) => {
    const { db, secrets } = openPostgresKysely({ url, pool: { maxOpenConns: 1, maxIdleConns: 1 } });
    return { db, dialect: postgresMigrationDialect, secrets };
  },
});
