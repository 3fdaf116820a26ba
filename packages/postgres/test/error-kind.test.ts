import { describe, expect, it } from 'vitest';
import { postgresErrorKind } from '../src/postgres-error-kind.js';

function pgError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code });
}

describe('PostgreSQL error codes map to one kind each', () => {
  it.each([
    ['23505', 'unique_violation'],
    ['23503', 'foreign_key_violation'],
    ['23514', 'check_violation'],
    ['23502', 'not_null_violation'],
    ['57014', 'cancelled'],
    ['57P01', 'connection_lost'],
    ['57P02', 'connection_lost'],
    ['57P03', 'connection'],
    ['40P01', 'deadlock'],
    ['40001', 'deadlock'],
    ['55P03', 'busy'],
    ['42P01', 'undefined_table'],
    ['53300', 'connection'],
    ['08006', 'connection_lost'],
    ['28P01', 'connection'],
    ['28000', 'connection'],
    ['3D000', 'connection'],
    ['ECONNREFUSED', 'connection'],
    ['ENOTFOUND', 'connection'],
    ['ECONNRESET', 'connection_lost'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'connection'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'connection'],
  ])('%s → %s', (code, kind) => {
    expect(postgresErrorKind(pgError(code))).toBe(kind);
  });

  it('recognises pg messages without a code and AggregateErrors of refused addresses', () => {
    expect(postgresErrorKind(new Error('Connection terminated unexpectedly'))).toBe('connection_lost');
    expect(postgresErrorKind(new Error('Client has encountered a connection error and is not queryable'))).toBe('connection');
    expect(postgresErrorKind(new Error('timeout expired'))).toBe('connection');
    expect(postgresErrorKind(new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')]))).toBe('connection');
    expect(postgresErrorKind(new Error('Client was closed and is not queryable'))).toBe('connection');
    expect(postgresErrorKind(new Error('Connection terminated due to connection timeout'))).toBe('connection');
    expect(postgresErrorKind(pgError('22001'))).toBeUndefined(); // value too long: a StorageError
    expect(postgresErrorKind('not an error')).toBeUndefined();
  });
});
