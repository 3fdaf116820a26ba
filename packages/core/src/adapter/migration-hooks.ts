import type { MigrationFile } from '../migrations/migration-types.js';
import type { Session } from './adapter-connection.js';

/**
 * What an adapter supplies for migrations; core owns the rest (the migrations table, the order,
 * dirty states, the newer-schema check). Scripts run through `Session.executeScript` unless
 * `runScript` says otherwise.
 */
export interface MigrationHooks {
  /** This dialect's migrations in version order, e.g. from the module generated from `migrations/<dialect>/`. */
  files(): readonly MigrationFile[];
  /**
   * Takes the lock that makes concurrent migrators take turns, on `session`.
   *
   * With transactional DDL it runs first inside each migration's transaction and must be released
   * by its commit or rollback (PostgreSQL: `pg_advisory_xact_lock`, which also works through a
   * transaction pooler); SQLite needs none, as `begin immediate` already is the lock. Without
   * transactional DDL (MySQL) it runs once before the migrations and returns the function that
   * releases it (`GET_LOCK` / `RELEASE_LOCK`).
   */
  lock?(session: Session): Promise<(() => Promise<void>) | void>;
  /**
   * Runs one migration script on `session`; default `session.executeScript(script)`. For an engine
   * that takes one statement per query only (Citus propagates DDL with the text of the query that
   * carried it, and refuses a query of several statements there).
   */
  runScript?(session: Session, script: string): Promise<void>;
}
