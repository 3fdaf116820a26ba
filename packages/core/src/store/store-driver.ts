import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { ConnectionStats } from '../domain/types.js';
import type { StatusMatcher } from '../query/incident-filters.js';
import type { StorageSchema } from '../query/storage-schema.js';
import type { ValueCodecs } from '../query/value-codecs.js';

/** What a driver error means, as far as the store is concerned. */
export type DriverErrorKind =
  | 'unique_violation'
  | 'foreign_key_violation'
  | 'check_violation'
  | 'not_null_violation'
  /** Could not connect: refused, unreachable, authentication, TLS, missing database. */
  | 'connection'
  /** An established connection died (server restart, terminated backend, network cut). */
  | 'connection_lost'
  /**
   * The server ended the connection before the call's work committed (it died while idle in the
   * pool, or the server aborted the running statement, e.g. pg_terminate_backend): nothing of the
   * call took effect, so it is safe to run again on a fresh connection.
   */
  | 'server_terminated'
  /** The database cancelled the statement (our own cancel request, or a statement timeout). */
  | 'cancelled'
  | 'busy';

/**
 * The primitives an adapter supplies. Core writes every operation once against `db`, and wraps each
 * call with validation, cancellation, error mapping and redaction; adapters never repeat that.
 */
export interface StoreDriver {
  /** Names the backend in messages, e.g. `sqlite` or `postgres`. */
  readonly dialect: string;
  /** Transactions begun on it must take the write lock up front where the engine needs that. */
  readonly db: Kysely<StorageSchema>;
  readonly codecs: ValueCodecs;
  /** How `status IN (…)` is written; defaults to a plain list. */
  readonly matchStatus?: StatusMatcher;
  /** See `ListQueryStyle.walkOrderIndex`: true for SQLite. */
  readonly walkOrderIndex?: boolean;
  /** Strings that must never appear in an error or a log (passwords, full connection strings). */
  readonly secrets?: readonly string[];
  classifyError(error: unknown): DriverErrorKind | undefined;
  /**
   * Runs `queries` at once, atomically, bypassing Kysely's executor, when that is possible right now
   * (e.g. SQLite's one connection is free and no transaction is open); otherwise returns undefined
   * and the query layer goes through Kysely. `singleRow`: only the first row is wanted. Optional:
   * a pure speed-up.
   */
  executeNow?(queries: readonly CompiledQuery[], singleRow: boolean): QueryResult<unknown>[] | undefined;
  /** The engine takes INSERT inside WITH (PostgreSQL), so createIncident is one atomic statement. */
  readonly writableCte?: boolean;
  stats(): ConnectionStats;
  /** Releases every connection; called once, after in-flight calls settled. */
  destroy(): Promise<void>;
}
