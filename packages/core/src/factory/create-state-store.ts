import { ValidationError } from '../errors/state-store-error.js';
import type { MigrationOptions, MigrationResult, MigrationStatus } from '../migrations/migration-types.js';
import type { StateStore, StoreOptions } from '../state-store.js';
import { resolveAdapter } from './adapter-registry.js';

/**
 * Opens a store for `url`, picking the adapter by scheme (`sqlite:`, `file:`, `:memory:`,
 * `postgres:`, `postgresql:`, or any registered one). Applies pending migrations unless
 * `options.migrate` is false.
 */
export async function createStateStore(url: string, options: StoreOptions = {}): Promise<StateStore> {
  const adapter = await resolveAdapter(url);
  return adapter.open(url, options);
}

/** Applies (`up`, default) or reverts (`down`) migrations on the database at `url`. */
export async function runMigrations(url: string, options: MigrationOptions = {}): Promise<MigrationResult> {
  const adapter = await resolveAdapter(url);
  if (adapter.migrate === undefined) throw new ValidationError(`the ${adapter.name} adapter does not support migrations`, { field: 'url' });
  return adapter.migrate(url, options);
}

/** Names of the applied and pending migrations of the database at `url`. */
export async function migrationStatus(url: string): Promise<MigrationStatus> {
  const adapter = await resolveAdapter(url);
  if (adapter.migrationStatus === undefined) {
    throw new ValidationError(`the ${adapter.name} adapter does not support migrations`, { field: 'url' });
  }
  return adapter.migrationStatus(url);
}
