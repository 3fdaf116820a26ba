import { ValidationError } from '../errors/state-store-error.js';

// The instants every backend stores exactly: SQLite keeps epoch milliseconds, PostgreSQL's
// timestamptz keeps microseconds from 4713 BC, JavaScript keeps ±8.64e15 ms. Years 1–9999 fit all.
export const MIN_TIME_MS = new Date('0001-01-01T00:00:00.000Z').getTime();
export const MAX_TIME_MS = new Date('9999-12-31T23:59:59.999Z').getTime();
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

// Field names are built only when a check fails: validation runs on every call, failures are rare.
function fieldName(field: string, key: string | undefined): string {
  return key === undefined ? field : `${field}.${key}`;
}

function fail(field: string, problem: string, key?: string): never {
  const name = fieldName(field, key);
  throw new ValidationError(`invalid ${name}: ${problem}`, { field: name });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** A string without NUL characters (neither SQLite's C API nor PostgreSQL text can hold one). */
export function checkString(field: string, value: unknown, key?: string): string {
  if (typeof value !== 'string') fail(field, `expected a string, got ${describe(value)}`, key);
  if (value.includes('\u0000')) fail(field, 'must not contain a NUL character', key);
  // A lone UTF-16 surrogate has no UTF-8 form: each database would store something else.
  if (!value.isWellFormed()) fail(field, 'must be well-formed Unicode (it holds a lone surrogate)', key);
  return value;
}

export function checkNonEmptyString(field: string, value: unknown, key?: string): string {
  const text = checkString(field, value, key);
  if (text.length === 0) fail(field, 'must not be empty', key);
  return text;
}

export function checkOptionalString(field: string, value: unknown, key?: string): void {
  if (value !== undefined) checkString(field, value, key);
}

export function checkOptionalNonEmptyString(field: string, value: unknown, key?: string): void {
  if (value !== undefined) checkNonEmptyString(field, value, key);
}

export function checkDate(field: string, value: unknown, key?: string): Date {
  if (!(value instanceof Date)) fail(field, `expected a Date, got ${describe(value)}`, key);
  const time = value.getTime();
  if (Number.isNaN(time)) fail(field, 'is an invalid Date', key);
  if (time < MIN_TIME_MS || time > MAX_TIME_MS) fail(field, 'must lie between the years 0001 and 9999', key);
  return value;
}

export function checkOptionalDate(field: string, value: unknown, key?: string): void {
  if (value !== undefined) checkDate(field, value, key);
}

/** A 32-bit signed integer, the range of the exit code columns. */
export function checkInteger(field: string, value: unknown, key?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, `expected an integer, got ${String(value)}`, key);
  if (value < INT32_MIN || value > INT32_MAX) fail(field, 'must fit in a 32-bit signed integer', key);
  return value;
}

export function checkOptionalInteger(field: string, value: unknown, key?: string): void {
  if (value !== undefined) checkInteger(field, value, key);
}

export function checkOptionalCount(field: string, value: unknown, key?: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(field, `expected a non-negative integer, got ${String(value)}`, key);
  }
}

export function checkObject(field: string, value: unknown, key?: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, `expected an object, got ${describe(value)}`, key);
  }
  return value as Record<string, unknown>;
}

export function checkStringRecord(field: string, value: unknown, key?: string): void {
  const record = checkObject(field, value, key);
  const name = fieldName(field, key);
  for (const entryKey in record) {
    if (!Object.hasOwn(record, entryKey)) continue;
    checkString(`${name} key`, entryKey);
    checkString(name, record[entryKey], entryKey);
  }
}

export { fail as failValidation };
