import type { DriverErrorKind } from '@nightcrier/storage-core/adapter';

// Server error numbers (errno; mysql2's `code` names are MySQL's and mislabel some MariaDB errors),
// each with the reason it means what it means to the store.
const KIND_BY_ERRNO: Readonly<Record<number, DriverErrorKind>> = {
  1062: 'unique_violation', // ER_DUP_ENTRY: a duplicate id
  1452: 'foreign_key_violation', // ER_NO_REFERENCED_ROW_2: an execution or report for an unknown incident or execution
  1216: 'foreign_key_violation', // ER_NO_REFERENCED_ROW (older servers)
  1451: 'foreign_key_violation', // ER_ROW_IS_REFERENCED_2
  3819: 'check_violation', // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8)
  4025: 'check_violation', // ER_CONSTRAINT_FAILED (MariaDB)
  1048: 'not_null_violation', // ER_BAD_NULL_ERROR
  1213: 'deadlock', // ER_LOCK_DEADLOCK: the server rolled the transaction back
  1205: 'busy', // ER_LOCK_WAIT_TIMEOUT: only the statement was rolled back
  1317: 'cancelled', // ER_QUERY_INTERRUPTED: our KILL QUERY
  3024: 'cancelled', // ER_QUERY_TIMEOUT (MySQL max_execution_time)
  1969: 'cancelled', // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  1146: 'undefined_table', // ER_NO_SUCH_TABLE: the database was never migrated
  1045: 'connection', // ER_ACCESS_DENIED_ERROR
  1044: 'connection', // ER_DBACCESS_DENIED_ERROR
  1049: 'connection', // ER_BAD_DB_ERROR: the database does not exist
  1040: 'connection', // ER_CON_COUNT_ERROR: too many connections
  1129: 'connection', // ER_HOST_IS_BLOCKED
  1130: 'connection', // ER_HOST_NOT_PRIVILEGED
  2002: 'connection', // CR_CONNECTION_ERROR
  2003: 'connection', // CR_CONN_HOST_ERROR
  2006: 'connection_lost', // CR_SERVER_GONE_ERROR
  2013: 'connection_lost', // CR_SERVER_LOST
  1927: 'connection_lost', // ER_CONNECTION_KILLED (MariaDB)
  1053: 'connection_lost', // ER_SERVER_SHUTDOWN
};

// mysql2's client-side codes, and Node's socket codes.
const KIND_BY_CODE: Readonly<Record<string, DriverErrorKind>> = {
  ECONNREFUSED: 'connection',
  ENOTFOUND: 'connection',
  EAI_AGAIN: 'connection',
  EHOSTUNREACH: 'connection',
  ENETUNREACH: 'connection',
  ETIMEDOUT: 'connection', // mysql2's connect timeout
  HANDSHAKE_NO_SSL_SUPPORT: 'connection', // TLS required, the server has none
  HANDSHAKE_SSL_ERROR: 'connection', // certificate refused
  ECONNRESET: 'connection_lost',
  EPIPE: 'connection_lost',
  PROTOCOL_CONNECTION_LOST: 'connection_lost', // the server or the network closed the connection mid-call
  PROTOCOL_SEQUENCE_TIMEOUT: 'connection_lost',
};

/** What a mysql2 error means to the store. */
export function mysqlErrorKind(error: unknown): DriverErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof AggregateError) return error.errors.map(mysqlErrorKind).find((kind) => kind !== undefined);
  const { errno, code } = error as { errno?: unknown; code?: unknown };
  if (typeof errno === 'number' && errno > 0) {
    const kind = KIND_BY_ERRNO[errno];
    if (kind !== undefined) return kind;
  }
  if (typeof code === 'string') {
    const kind = KIND_BY_CODE[code];
    if (kind !== undefined) return kind;
  }
  const message = error instanceof Error ? error.message : '';
  // A connection that already closed refuses new commands: nothing was sent.
  if (/closed state|Can't add new command/i.test(message)) return 'connection';
  return undefined;
}
