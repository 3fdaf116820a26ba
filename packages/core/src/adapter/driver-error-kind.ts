/**
 * What a driver error means to the store: the closed vocabulary an adapter's `classifyError` maps
 * its driver's codes to. Core decides from it how the call fails, whether it may run again, and
 * whether its outcome is known.
 */
export type DriverErrorKind =
  /** A primary key or unique constraint refused the row. */
  | 'unique_violation'
  /** A foreign key refused the row: the incident or execution it names does not exist. */
  | 'foreign_key_violation'
  | 'check_violation'
  | 'not_null_violation'
  /**
   * Nothing reached the server: it could not be reached (refused, unreachable, authentication, TLS,
   * missing database), or the session had already closed before the statement was sent.
   */
  | 'connection'
  /**
   * The session died while a statement was in flight (server restart, terminated backend, network
   * cut): the statement may or may not have taken effect.
   */
  | 'connection_lost'
  /** The server stopped the statement (our cancel request, a statement timeout): it did not take effect. */
  | 'cancelled'
  /** A lock was not available in time and the statement did not run (SQLite BUSY, MySQL 1205). */
  | 'busy'
  /** The server rolled the transaction back to break a deadlock or a serialization conflict. */
  | 'deadlock'
  /** A table the statement names does not exist (the database was never migrated). */
  | 'undefined_table';

/** The kinds that say the session is gone (it must not be reused). */
export function isConnectionKind(kind: DriverErrorKind | undefined): kind is 'connection' | 'connection_lost' {
  return kind === 'connection' || kind === 'connection_lost';
}
