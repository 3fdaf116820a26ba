import type { MigrationOptions, MigrationResult, MigrationStatus } from '../migrations/migration-types.js';
import type { StateStore, StoreOptions } from '../state-store.js';

/** A backend that `createStateStore` can open by URL scheme. */
export interface StateStoreAdapter {
  /** Short name used in messages, e.g. `sqlite`. */
  name: string;
  /** URL schemes without the colon, e.g. `['postgres', 'postgresql']`. */
  schemes: string[];
  /** Opens a store at `url` (already known to have one of `schemes`), migrating unless `options.migrate` is false. */
  open(url: string, options: StoreOptions): Promise<StateStore>;
  /** Applies or reverts migrations; needed for `runMigrations`. */
  migrate?(url: string, options: MigrationOptions): Promise<MigrationResult>;
  /** Lists applied and pending migrations; needed for `migrationStatus`. */
  migrationStatus?(url: string): Promise<MigrationStatus>;
}
