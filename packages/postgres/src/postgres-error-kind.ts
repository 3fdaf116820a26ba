import type { DriverErrorKind } from '@nightcrier/storage-core/adapter';
import { NoSuitableHostError } from './open-on-host-list.js';

// PostgreSQL's SQLSTATEs, each with the reason it means what it means to the store.
const KIND_BY_SQLSTATE: Readonly<Record<string, DriverErrorKind>> = {
  '23505': 'unique_violation', // a duplicate incidentId, reportId or executionId
  '23503': 'foreign_key_violation', // an execution or report for an unknown incident or execution
  '23514': 'check_violation',
  '23502': 'not_null_violation',
  '57014': 'cancelled', // query_canceled: our cancel request or statement_timeout stopped the statement
  '40P01': 'deadlock', // deadlock_detected: the server rolled the transaction back
  '40001': 'deadlock', // serialization_failure: likewise, safe to run again
  '55P03': 'busy', // lock_not_available (lock_timeout): the statement did not run
  '42P01': 'undefined_table', // undefined_table: the database was never migrated
  // The server ends the session with these (pg_terminate_backend, a restart, a crash). Whatever the
  // session was running may have committed just before: an immediate shutdown kills a backend
  // between its commit and its answer.
  '57P01': 'connection_lost', // admin_shutdown
  '57P02': 'connection_lost', // crash_shutdown
  '57P03': 'connection', // cannot_connect_now: the server is starting up or shutting down
  '28P01': 'connection', // invalid_password
  '28000': 'connection', // invalid_authorization_specification (pg_hba refused)
  '3D000': 'connection', // invalid_catalog_name: the database does not exist
  '53300': 'connection', // too_many_connections
};

// Node and TLS codes of a connection that could not be opened: nothing was sent.
const CONNECT_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
]);

// An established connection broke under a statement.
const LOST_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** What a pg error means to the store. */
export function postgresErrorKind(error: unknown): DriverErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // No host of the list gave a suitable session: nothing was sent, the next attempt walks the list again.
  if (error instanceof NoSuitableHostError) return 'connection';
  if (error instanceof AggregateError) return error.errors.map(postgresErrorKind).find((kind) => kind !== undefined);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    const kind = KIND_BY_SQLSTATE[code];
    if (kind !== undefined) return kind;
    if (code.startsWith('08')) return 'connection_lost'; // connection_exception class
    if (CONNECT_FAILURE_CODES.has(code)) return 'connection';
    if (LOST_CONNECTION_CODES.has(code)) return 'connection_lost';
  }
  const message = error instanceof Error ? error.message : '';
  // Connect failures first: pg words a connect timeout "Connection terminated due to connection timeout".
  if (/timeout expired|connection timeout|does not support SSL|self[- ]signed certificate|certificate/i.test(message)) return 'connection';
  // pg refuses to send on a client whose connection already closed: nothing reached the server.
  if (/not queryable|Client was closed|Client has encountered a connection error/i.test(message)) return 'connection';
  if (/Connection terminated/i.test(message)) return 'connection_lost';
  return undefined;
}
