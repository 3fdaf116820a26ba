import { ValidationError } from '../errors/state-store-error.js';
import { FIELD_LIMITS } from './field-limits.js';
import { kindOf, previewValue } from './preview-value.js';

// The instants every backend stores exactly: SQLite keeps epoch milliseconds, PostgreSQL's
// timestamptz keeps microseconds from 4713 BC, MySQL's DATETIME(3) years 1000–9999 (we store from
// year 1: MariaDB keeps earlier years too), JavaScript ±8.64e15 ms. Years 1–9999 fit all.
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

/** UTF-8 length of `text` is at most `maxBytes` (measured only when it could be longer). */
function fitsBytes(text: string, maxBytes: number): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair: 2 units, 4 bytes).
  return text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes;
}

/**
 * A string every backend stores verbatim: no NUL (neither SQLite's C API nor PostgreSQL text can
 * hold one), well-formed Unicode (a lone surrogate has no UTF-8 form), at most `maxBytes` of UTF-8.
 */
export function checkString(field: string, value: unknown, key?: string, maxBytes: number = FIELD_LIMITS.keyBytes): string {
  if (typeof value !== 'string') fail(field, `expected a string, got ${kindOf(value)}`, key);
  if (value.includes('\u0000')) fail(field, 'must not contain a NUL character', key);
  if (!value.isWellFormed()) fail(field, 'must be well-formed Unicode (it holds a lone surrogate)', key);
  if (!fitsBytes(value, maxBytes)) fail(field, `must be at most ${maxBytes} bytes of UTF-8, got ${Buffer.byteLength(value, 'utf8')}`, key);
  return value;
}

export function checkNonEmptyString(field: string, value: unknown, key?: string): string {
  const text = checkString(field, value, key);
  if (text.length === 0) fail(field, 'must not be empty', key);
  return text;
}

export function checkOptionalString(field: string, value: unknown, key?: string, maxBytes?: number): void {
  if (value !== undefined) checkString(field, value, key, maxBytes);
}

export function checkOptionalNonEmptyString(field: string, value: unknown, key?: string): void {
  if (value !== undefined) checkNonEmptyString(field, value, key);
}

/** Free text (context, reports): the long limit. */
export function checkText(field: string, value: unknown, key?: string): string {
  return checkString(field, value, key, FIELD_LIMITS.textBytes);
}

export function checkOptionalText(field: string, value: unknown, key?: string): void {
  if (value !== undefined) checkText(field, value, key);
}

export function checkDate(field: string, value: unknown, key?: string): Date {
  if (!(value instanceof Date)) fail(field, `expected a Date, got ${kindOf(value)}`, key);
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
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, `expected an integer, got ${previewValue(value)}`, key);
  if (value < INT32_MIN || value > INT32_MAX) fail(field, 'must fit in a 32-bit signed integer', key);
  return value;
}

export function checkOptionalInteger(field: string, value: unknown, key?: string): void {
  if (value !== undefined) checkInteger(field, value, key);
}

export function checkOptionalCount(field: string, value: unknown, key?: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(field, `expected a non-negative integer, got ${previewValue(value)}`, key);
  }
}

export function checkObject(field: string, value: unknown, key?: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, `expected an object, got ${kindOf(value)}`, key);
  }
  return value as Record<string, unknown>;
}

/**
 * An execution's log paths: a plain object of short names to paths. Returns a copy of the checked
 * entries (each read once; JSON.stringify of the original could also call a caller's toJSON).
 */
export function readLogPaths(field: string, value: unknown, key: string): Record<string, string> {
  const record = checkObject(field, value, key);
  const name = fieldName(field, key);
  const keys = Object.keys(record);
  if (keys.length > FIELD_LIMITS.logPathEntries) fail(name, `must hold at most ${FIELD_LIMITS.logPathEntries} entries`);
  const copy: Record<string, string> = {};
  for (const entryKey of keys) {
    checkString(`${name} key`, entryKey);
    copy[entryKey] = checkString(name, record[entryKey], entryKey, FIELD_LIMITS.logPathBytes);
  }
  return copy;
}

export { fail as failValidation };
