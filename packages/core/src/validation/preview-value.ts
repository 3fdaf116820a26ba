import { MESSAGE_PREVIEW_CHARS } from './field-limits.js';

/** `text` cut to `max` characters (never inside a surrogate pair), with a note of what was cut. */
export function previewText(text: string, max = MESSAGE_PREVIEW_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… (${text.length} characters)`;
}

/**
 * A short, safe description of any value a caller may pass, for an error message: never throws
 * (symbols, BigInts, circular objects, throwing getters and proxies included) and never quotes
 * more than a short prefix of a string.
 */
export function previewValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(previewText(value));
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `a BigInt (${previewText(value.toString())}n)`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return describeObject(value);
  }
}

function describeObject(value: unknown): string {
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return `an array of ${value.length}`;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `a Date (${value.toISOString()})`;
  } catch {
    // a proxy whose traps throw: describe it by its kind only
  }
  return 'an object';
}

/** What kind of value `value` is ("a string", "a number", "null", …), for "expected X, got Y" messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    try {
      if (Array.isArray(value)) return 'an array';
    } catch {
      return 'an object';
    }
    return 'an object';
  }
  if (typeof value === 'undefined') return 'undefined';
  return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}
