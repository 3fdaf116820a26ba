import type { StoredTimestamp } from './storage-schema.js';

/** How an adapter turns domain values into column values and back. */
export interface ValueCodecs {
  /** A `Date` as the column stores it: epoch milliseconds (SQLite) or the `Date` itself (drivers that bind it). */
  encodeTimestamp(value: Date): StoredTimestamp;
  /** A stored timestamp back to a `Date`, to the millisecond. */
  decodeTimestamp(value: StoredTimestamp): Date;
  /** A JSON column's value (`logPaths`, a resource), as text. */
  encodeJson(value: unknown): string;
  /** A JSON column back to its value; drivers that parse JSON themselves hand over the object. */
  decodeJson(value: unknown): unknown;
}
