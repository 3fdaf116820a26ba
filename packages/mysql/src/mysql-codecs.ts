import type { StoredTimestamp, ValueCodecs } from '@nightcrier/storage-core/adapter';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: DATETIME(3) text, exact to the millisecond in every year 0001–9999. */
export function formatDatetime(value: Date): string {
  return (
    `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1, 2)}-${pad(value.getUTCDate(), 2)} ` +
    `${pad(value.getUTCHours(), 2)}:${pad(value.getUTCMinutes(), 2)}:${pad(value.getUTCSeconds(), 2)}.${pad(value.getUTCMilliseconds(), 3)}`
  );
}

/**
 * Parses DATETIME text (the session runs in UTC) into a Date, through the engine's own ISO 8601
 * parser: it reads four-digit years 0001–9999 as written (mysql2's own Date parsing builds dates from
 * numbers and gets years below 100 wrong) and is several times cheaper than a regular expression,
 * which matters on list rows with three instants each.
 */
export function parseDatetime(text: string): Date {
  const date = new Date(`${text.slice(0, 10)}T${text.slice(11)}Z`);
  if (text.charCodeAt(10) !== 32 || Number.isNaN(date.getTime())) throw new Error(`unexpected DATETIME text ${JSON.stringify(text)}`);
  return date;
}

/** MySQL keeps instants as DATETIME(3) in UTC (sent and read as text) and log paths as JSON. */
export const mysqlCodecs: ValueCodecs = {
  encodeTimestamp: formatDatetime,
  decodeTimestamp: (value: StoredTimestamp) => (value instanceof Date ? value : typeof value === 'number' ? new Date(value) : parseDatetime(value)),
  encodeJson: (value: unknown) => JSON.stringify(value),
  decodeJson: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
};
