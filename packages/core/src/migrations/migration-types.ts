/** `up` applies pending migrations, `down` reverts applied ones. */
export type MigrationDirection = 'up' | 'down';

/**
 * What `runMigrations(url, options)` does.
 *
 * @example
 * ```ts
 * await runMigrations(url, { direction: 'down', steps: 1 });
 * ```
 */
export interface MigrationOptions {
  /** Default `up`. */
  direction?: MigrationDirection;
  /** How many migrations to apply or revert; default: every pending one up, one down. */
  steps?: number;
  /**
   * Called after each migration is applied (or reverted) and committed, with its name: what a
   * progress display needs, since one call may run several migrations under one lock.
   *
   * @example
   * ```ts
   * await runMigrations(url, { onMigration: (name) => console.log(`applied ${name}`) });
   * ```
   */
  onMigration?: (name: string) => void;
}

/** What a `runMigrations` call did. */
export interface MigrationResult {
  /** The direction it ran in. */
  direction: MigrationDirection;
  /** Names (`000001_initial_schema`) applied or reverted by this call, in the order it ran them. */
  migrations: string[];
}

/** Where a database stands against this version's migrations, as `migrationStatus(url)` reads it. */
export interface MigrationStatus {
  /** Names of the applied migrations, oldest first (`000001_initial_schema`, …). */
  applied: string[];
  /** Names of this version's migrations the database still lacks. */
  pending: string[];
  /**
   * The version of a migration that failed part way on an engine without transactional DDL
   * (MySQL): the schema is half changed and `runMigrations` refuses until it is repaired.
   */
  dirty?: number;
  /** Applied migrations this version does not know: a newer release migrated the database. */
  unknown: string[];
}

/** One numbered migration with its up and down SQL. */
export interface MigrationFile {
  /** The number the file name starts with (`000002_…` → 2); migrations run in this order. */
  version: number;
  /** The file name without `.up.sql`/`.down.sql`: `000002_list_order_indexes`. */
  name: string;
  /** The SQL script that applies it. */
  up: string;
  /** The SQL script that reverts it. */
  down: string;
}

