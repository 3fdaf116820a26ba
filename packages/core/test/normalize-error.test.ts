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
  ValidationError,
} from '../src/index.js';
import { normalizeError } from '../src/store/normalize-error.js';
import type { DriverErrorKind } from '../src/store/store-driver.js';

const driverError = () => Object.assign(new Error('driver says no to postgres://u:hunter2@db/x'), { code: 'XX' });

describe('normalizeError: every driver error kind becomes one typed error', () => {
  it.each<[DriverErrorKind | undefined, new (...args: never[]) => StateStoreError, string]>([
    ['unique_violation', ConflictError, 'CONFLICT'],
    ['foreign_key_violation', ForeignKeyError, 'FOREIGN_KEY'],
    ['check_violation', ValidationError, 'VALIDATION'],
    ['not_null_violation', ValidationError, 'VALIDATION'],
    ['connection', ConnectionError, 'CONNECTION'],
    ['connection_lost', ConnectionError, 'CONNECTION'],
    ['server_terminated', ConnectionError, 'CONNECTION'],
    ['cancelled', OperationCancelledError, 'CANCELLED'],
    ['busy', StorageError, 'STORAGE'],
    [undefined, StorageError, 'STORAGE'],
  ])('%s → %s', (kind, errorClass, code) => {
    const cause = driverError();
    const error = normalizeError(cause, 'insert incident inc-1', kind, ['hunter2'], undefined);
    expect(error).toBeInstanceOf(errorClass);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^failed to insert incident inc-1: /);
    expect(error.cause).toBe(cause);
    expect(`${error.message}\n${error.stack}\n${(cause as Error).message}\n${(cause as Error).stack}`).not.toContain('hunter2');
  });

  it('an aborted call reports its timeout or cancellation whatever the driver said', () => {
    expect(normalizeError(driverError(), 'list incidents', 'cancelled', [], { kind: 'timeout', timeoutMs: 50 })).toBeInstanceOf(
      OperationTimeoutError,
    );
    expect(normalizeError(driverError(), 'list incidents', undefined, [], { kind: 'cancelled' })).toBeInstanceOf(OperationCancelledError);
  });

  it('a NotFoundError from the query layer gains the "failed to …" prefix; other typed errors pass through', () => {
    const notFound = normalizeError(new NotFoundError('incident x not found'), 'get incident x', undefined, [], undefined);
    expect(notFound.message).toBe('failed to get incident x: incident x not found');
    const validation = new ValidationError('invalid limit', { field: 'limit' });
    expect(normalizeError(validation, 'list incidents', undefined, [], undefined)).toBe(validation);
  });
});
