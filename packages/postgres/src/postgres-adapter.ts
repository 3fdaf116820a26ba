import {
  readMigrationStatus,
  runMigrationFiles,
  type MigrationOptions,
  type MigrationResult,
  type MigrationStatus,
  type StateStoreAdapter,
} from '@nightcrier/storage-core';
import { createPostgresStateStore, openPostgresKysely } from './create-postgres-state-store.js';
import { postgresMigrationDialect, postgresMigrationFiles } from './postgres-migrations.js';

async function withMigrationPool<T>(url: string, fn: (opened: ReturnType<typeof openPostgresKysely>) => Promise<T>): Promise<T> {
  const opened = openPostgresKysely({ url, pool: { maxOpenConns: 1, maxIdleConns: 1 } });
  try {
    return await fn(opened);
  } finally {
    await opened.db.destroy();
  }
}

/** The adapter `createStateStore` uses for `postgres:` and `postgresql:` URLs. */
export const adapter: StateStoreAdapter = {
  name: 'postgres',
  schemes: ['postgres', 'postgresql'],
  open: (url, options) => createPostgresStateStore({ ...options, url }),
  migrate: (url: string, options: MigrationOptions): Promise<MigrationResult> =>
    withMigrationPool(url, async ({ db, secrets }) =>
      runMigrationFiles(db, postgresMigrationDialect, await postgresMigrationFiles(), options, secrets),
    ),
  migrationStatus: (url: string): Promise<MigrationStatus> =>
    withMigrationPool(url, async ({ db, secrets }) => readMigrationStatus(db, postgresMigrationDialect, await postgresMigrationFiles(), secrets)),
};
