import type { StoredTimestamp } from './storage-schema.js';

/** How an adapter turns domain values into column values and back. */
export interface ValueCodecs {
  encodeTimestamp(value: Date): StoredTimestamp;
  decodeTimestamp(value: StoredTimestamp): Date;
  encodeJson(value: unknown): string;
  decodeJson(value: unknown): unknown;
}
