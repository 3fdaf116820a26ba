import type { DriverErrorKind } from '@nightcrier/storage-core';

const KIND_BY_SQLSTATE: Readonly<Record<string, DriverErrorKind>> = {
  '23505': 'unique_violation',
  '23503': 'foreign_key_violation',
  '23514': 'check_violation',
  '23502': 'not_null_violation',
  '57014': 'cancelled',
  // The server sends these instead of a statement's result only when it aborts the statement (or
  // the connection was already idle-terminated): the statement's transaction never committed.
  '57P01': 'server_terminated', // admin_shutdown: pg_terminate_backend, server stop
  '57P02': 'server_terminated', // crash_shutdown
  '57P03': 'connection', // cannot_connect_now: the server is starting up
  '28P01': 'connection', // invalid password
  '28000': 'connection', // invalid authorization specification (pg_hba refused)
  '3D000': 'connection', // database does not exist
  '53300': 'connection', // too many connections
};

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

const LOST_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** What a pg error means to the store. */
export function postgresErrorKind(error: unknown): DriverErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof AggregateError) return error.errors.map(postgresErrorKind).find((kind) => kind !== undefined);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    const kind = KIND_BY_SQLSTATE[code];
    if (kind !== undefined) return kind;
    if (code.startsWith('08')) return 'connection_lost';
    if (CONNECT_FAILURE_CODES.has(code)) return 'connection';
    if (LOST_CONNECTION_CODES.has(code)) return 'connection_lost';
  }
  const message = error instanceof Error ? error.message : '';
  // Connect failures first: pg words a connect timeout "Connection terminated due to connection timeout".
  if (/timeout expired|connection timeout|does not support SSL|self[- ]signed certificate|certificate/i.test(message)) {
    return 'connection';
  }
  // pg refuses to send on a client whose connection already died: nothing reached the server.
  if (/not queryable|Client was closed/i.test(message)) return 'server_terminated';
  if (/Connection terminated/i.test(message)) return 'connection_lost';
  return undefined;
}
