import type { Kysely } from 'kysely';
import { runMigrationFiles, readMigrationStatus, type MigrationDialect } from '../migrations/migration-runner.js';
import type { MigrationFile } from '../migrations/migration-types.js';
import type { StorageSchema } from '../query/storage-schema.js';
import type { StateStore, StoreOptions } from '../state-store.js';
import type { StateStoreAdapter } from './state-store-adapter.js';

/** A short-lived connection an adapter opens for `runMigrations` / `migrationStatus`. */
export interface MigrationConnection {
  db: Kysely<StorageSchema>;
  dialect: MigrationDialect;
  secrets?: readonly string[];
}

export interface AdapterDefinition {
  name: string;
  schemes: string[];
  open(url: string, options: StoreOptions): Promise<StateStore>;
  migrationFiles(): Promise<MigrationFile[]>;
  connectForMigrations(url: string): MigrationConnection;
}

/** Builds a `StateStoreAdapter` whose migrate / migrationStatus run core's migration runner. */
export function defineAdapter(definition: AdapterDefinition): StateStoreAdapter {
  const withConnection = async <T>(url: string, fn: (connection: MigrationConnection) => Promise<T>): Promise<T> => {
    const connection = definition.connectForMigrations(url);
    try {
      return await fn(connection);
    } finally {
      await connection.db.destroy();
    }
  };
  return {
    name: definition.name,
    schemes: definition.schemes,
    open: definition.open,
    migrate: (url, options) =>
      withConnection(url, async ({ db, dialect, secrets }) => runMigrationFiles(db, dialect, await definition.migrationFiles(), options, secrets)),
    migrationStatus: (url) =>
      withConnection(url, async ({ db, dialect, secrets }) => readMigrationStatus(db, dialect, await definition.migrationFiles(), secrets)),
  };
}
