import type { StoredTimestamp, ValueCodecs } from '@nightcrier/storage-core/adapter';

/** SQLite keeps instants as INTEGER epoch milliseconds and JSON as text. */
export const sqliteCodecs: ValueCodecs = {
  encodeTimestamp: (value: Date) => value.getTime(),
  decodeTimestamp: (value: StoredTimestamp) => new Date(typeof value === 'number' ? value : Number(value)),
  encodeJson: (value: unknown) => JSON.stringify(value),
  decodeJson: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
};
