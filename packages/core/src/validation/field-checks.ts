import { ValidationError } from '../errors/state-store-error.js';

// The instants every backend stores exactly: SQLite keeps epoch milliseconds, PostgreSQL's
// timestamptz keeps microseconds from 4713 BC, JavaScript keeps ±8.64e15 ms. Years 1–9999 fit all.
export const MIN_TIME_MS = new Date('0001-01-01T00:00:00.000Z').getTime();
export const MAX_TIME_MS = new Date('9999-12-31T23:59:59.999Z').getTime();
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

function fail(field: string, problem: string): never {
  throw new ValidationError(`invalid ${field}: ${problem}`, { field });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** A string without NUL characters (neither SQLite's C API nor PostgreSQL text can hold one). */
export function checkString(field: string, value: unknown): string {
  if (typeof value !== 'string') fail(field, `expected a string, got ${describe(value)}`);
  if (value.includes('\u0000')) fail(field, 'must not contain a NUL character');
  // A lone UTF-16 surrogate has no UTF-8 form: each database would store something else.
  if (!value.isWellFormed()) fail(field, 'must be well-formed Unicode (it holds a lone surrogate)');
  return value;
}

export function checkNonEmptyString(field: string, value: unknown): string {
  const text = checkString(field, value);
  if (text.length === 0) fail(field, 'must not be empty');
  return text;
}

export function checkOptionalString(field: string, value: unknown): void {
  if (value !== undefined) checkString(field, value);
}

export function checkOptionalNonEmptyString(field: string, value: unknown): void {
  if (value !== undefined) checkNonEmptyString(field, value);
}

export function checkDate(field: string, value: unknown): Date {
  if (!(value instanceof Date)) fail(field, `expected a Date, got ${describe(value)}`);
  const time = value.getTime();
  if (Number.isNaN(time)) fail(field, 'is an invalid Date');
  if (time < MIN_TIME_MS || time > MAX_TIME_MS) fail(field, 'must lie between the years 0001 and 9999');
  return value;
}

export function checkOptionalDate(field: string, value: unknown): void {
  if (value !== undefined) checkDate(field, value);
}

/** A 32-bit signed integer, the range of the exit code columns. */
export function checkInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, `expected an integer, got ${String(value)}`);
  if (value < INT32_MIN || value > INT32_MAX) fail(field, 'must fit in a 32-bit signed integer');
  return value;
}

export function checkOptionalInteger(field: string, value: unknown): void {
  if (value !== undefined) checkInteger(field, value);
}

export function checkOptionalCount(field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(field, `expected a non-negative integer, got ${String(value)}`);
  }
}

export function checkObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, `expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function checkStringRecord(field: string, value: unknown): void {
  const record = checkObject(field, value);
  for (const [key, entry] of Object.entries(record)) {
    checkString(`${field} key`, key);
    checkString(`${field}.${key}`, entry);
  }
}

export { fail as failValidation };
