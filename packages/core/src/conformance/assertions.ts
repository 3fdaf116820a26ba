import { expect } from 'vitest';
import {
  ConflictError,
  ForeignKeyError,
  NotFoundError,
  StateStoreError,
  type StateStoreErrorCode,
  ValidationError,
} from '../errors/state-store-error.js';
import type { StateStoreOperations } from '../state-store.js';

type ErrorClass<E> = new (...args: never[]) => E;

/**
 * Awaits `work`, expects it to reject with an instance of `type` carrying `code`, and returns the error.
 * A resolved promise fails the assertion.
 */
export async function expectRejection<E extends StateStoreError>(
  work: Promise<unknown>,
  type: ErrorClass<E>,
  code: StateStoreErrorCode,
): Promise<E> {
  let caught: unknown = undefined;
  let settled = false;
  try {
    await work;
    settled = true;
  } catch (error) {
    caught = error;
  }
  expect(settled, `expected a ${type.name} (${code}), but the call succeeded`).toBe(false);
  expect(caught, `expected a ${type.name} (${code}), got ${String(caught)}`).toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(StateStoreError);
  expect(caught).toBeInstanceOf(Error);
  const error = caught as E;
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

/** Expects a `ValidationError` naming `field` (a string for an exact name, a RegExp for a family of names). */
export async function expectValidation(work: Promise<unknown>, field: string | RegExp): Promise<ValidationError> {
  const error = await expectRejection(work, ValidationError, 'VALIDATION');
  if (typeof field === 'string') expect(error.field).toBe(field);
  else expect(error.field).toMatch(field);
  return error;
}

export function expectNotFound(work: Promise<unknown>): Promise<NotFoundError> {
  return expectRejection(work, NotFoundError, 'NOT_FOUND');
}

/** A driver-originated error: says what failed ("failed to …"), names the record, keeps the driver error as cause. */
function expectDriverError(error: StateStoreError, mentions: string): void {
  expect(error.message.startsWith('failed to'), `message should start with "failed to": ${error.message}`).toBe(true);
  expect(error.message).toContain(mentions);
  expect(error.cause).toBeDefined();
}

export async function expectConflict(work: Promise<unknown>, mentions: string): Promise<ConflictError> {
  const error = await expectRejection(work, ConflictError, 'CONFLICT');
  expectDriverError(error, mentions);
  return error;
}

export async function expectForeignKey(work: Promise<unknown>, mentions: string): Promise<ForeignKeyError> {
  const error = await expectRejection(work, ForeignKeyError, 'FOREIGN_KEY');
  expectDriverError(error, mentions);
  return error;
}

/** Expects that neither the incident nor the fault event exists. */
export async function expectNoIncident(store: StateStoreOperations, incidentId: string, faultId?: string): Promise<void> {
  await expectNotFound(store.getIncident(incidentId));
  if (faultId !== undefined) await expectNotFound(store.getFaultEvent(faultId));
}

/** Expects that `record` has none of `keys` as own properties (absent, not `undefined`, `null` or `''`). */
export function expectAbsent(record: object, keys: readonly string[]): void {
  const present = Object.keys(record);
  for (const key of keys) expect(present, `${key} should be absent`).not.toContain(key);
}
