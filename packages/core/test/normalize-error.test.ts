import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ConnectionError,
  ForeignKeyError,
  NotFoundError,
  OperationCancelledError,
  OperationTimeoutError,
  StateStoreError,
  StorageError,
  StoreClosedError,
  ValidationError,
} from '../src/index.js';
import type { DriverErrorKind } from '../src/adapter.js';
import { abortedError, normalizeError } from '../src/store/normalize-error.js';

const driverError = () => Object.assign(new Error('driver says no to postgres://u:hunter2@db/x'), { code: 'XX' });

describe('normalizeError: every driver error kind becomes one typed error', () => {
  it.each<[DriverErrorKind | undefined, new (...args: never[]) => StateStoreError, string]>([
    ['unique_violation', ConflictError, 'CONFLICT'],
    ['foreign_key_violation', ForeignKeyError, 'FOREIGN_KEY'],
    ['check_violation', ValidationError, 'VALIDATION'],
    ['not_null_violation', ValidationError, 'VALIDATION'],
    ['connection', ConnectionError, 'CONNECTION'],
    ['connection_lost', ConnectionError, 'CONNECTION'],
    ['cancelled', OperationCancelledError, 'CANCELLED'],
    ['busy', StorageError, 'STORAGE'],
    ['deadlock', StorageError, 'STORAGE'],
    ['undefined_table', StorageError, 'STORAGE'],
    [undefined, StorageError, 'STORAGE'],
  ])('%s → %s', (kind, errorClass, code) => {
    const cause = driverError();
    const error = normalizeError(cause, 'insert incident inc-1', kind, { secrets: ['hunter2'] });
    expect(error).toBeInstanceOf(errorClass);
    expect(error.code).toBe(code);
    expect(error.outcomeUnknown).toBe(false);
    expect(error.message).toMatch(/^failed to insert incident inc-1: /);
    expect(error.cause).toBe(cause);
    expect(`${error.message}\n${error.stack}\n${(cause as Error).message}\n${(cause as Error).stack}`).not.toContain('hunter2');
  });

  it('carries outcomeUnknown when the caller says the write may have taken effect', () => {
    const error = normalizeError(driverError(), 'insert incident inc-1', 'connection_lost', { secrets: [], outcomeUnknown: true });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.outcomeUnknown).toBe(true);
  });

  it('quotes at most a short prefix of a long driver message', () => {
    const error = normalizeError(new Error(`duplicate ${'x'.repeat(100_000)}`), 'insert incident x', 'unique_violation', { secrets: [] });
    expect(error.message.length).toBeLessThan(500);
  });

  it('an abandoned call reports its timeout, cancellation or the closed store', () => {
    expect(abortedError('list incidents', { kind: 'timeout', timeoutMs: 50 })).toBeInstanceOf(OperationTimeoutError);
    expect(abortedError('list incidents', { kind: 'cancelled' })).toBeInstanceOf(OperationCancelledError);
    expect(abortedError('list incidents', { kind: 'closed' })).toBeInstanceOf(StoreClosedError);
    expect(abortedError('insert incident a', { kind: 'cancelled' }, { outcomeUnknown: true }).outcomeUnknown).toBe(true);
  });

  it('a NotFoundError from the query layer gains the "failed to …" prefix; other typed errors pass through', () => {
    const notFound = normalizeError(new NotFoundError('incident x not found'), 'get incident x', undefined, { secrets: [] });
    expect(notFound.message).toBe('failed to get incident x: incident x not found');
    const validation = new ValidationError('invalid limit', { field: 'limit' });
    expect(normalizeError(validation, 'list incidents', undefined, { secrets: [] })).toBe(validation);
  });
});
