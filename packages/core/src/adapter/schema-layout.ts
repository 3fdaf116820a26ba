import type { AdapterCapabilities } from './adapter-capabilities.js';
import type { Session } from './adapter-connection.js';
import type { MigrationHooks } from './migration-hooks.js';

/**
 * Another form of an adapter's schema, for a variant of its engine that needs other tables and SQL
 * — PostgreSQL's is `citus`, whose tables are distributed over worker nodes. The adapter's
 * `detectLayout` picks it per database, each time a store or a migration run connects.
 *
 * @example
 * ```ts
 * const citus: SchemaLayout = {
 *   name: 'citus',
 *   capabilities: { idUniqueness: 'owner-table' },
 *   migrations: { files: () => CITUS_MIGRATIONS, lock: takeMigrationLock },
 * };
 * ```
 */
export interface SchemaLayout {
  /** Name in messages, e.g. `citus`. */
  name: string;
  /** Where its SQL differs from the adapter's own capabilities. */
  capabilities?: Partial<AdapterCapabilities>;
  /**
   * Its numbered migrations: the adapter's version numbers, under names of their own, so that a
   * database migrated with one layout is refused by the other instead of being half converted.
   */
  migrations: MigrationHooks;
}

/** What a store or migration run uses on one database: the adapter's own schema, or a layout's. */
export interface ResolvedLayout {
  /** The layout's name; undefined for the adapter's own schema. */
  name: string | undefined;
  capabilities: Readonly<AdapterCapabilities>;
  migrations: MigrationHooks;
}

/**
 * Asks `detect` (the adapter's `detectLayout`) which layout the database needs, on one session of
 * `acquire`'s, and merges its capabilities over `base`.
 */
export async function resolveLayout(
  acquire: () => Promise<Session>,
  detect: ((session: Session) => Promise<SchemaLayout | undefined>) | undefined,
  base: { capabilities: Readonly<AdapterCapabilities>; migrations: MigrationHooks },
): Promise<ResolvedLayout> {
  if (detect === undefined) return { name: undefined, ...base };
  const session = await acquire();
  let layout: SchemaLayout | undefined;
  let reusable = false;
  try {
    layout = await detect(session);
    reusable = true;
  } finally {
    session.release(reusable);
  }
  if (layout === undefined) return { name: undefined, ...base };
  return { name: layout.name, capabilities: Object.freeze({ ...base.capabilities, ...layout.capabilities }), migrations: layout.migrations };
}
