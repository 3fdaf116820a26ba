import type { StoredTimestamp, ValueCodecs } from '@nightcrier/storage-core/adapter';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: DATETIME(3) text, exact to the millisecond in every year 0001–9999. */
export function formatDatetime(value: Date): string {
  return (
    `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1, 2)}-${pad(value.getUTCDate(), 2)} ` +
    `${pad(value.getUTCHours(), 2)}:${pad(value.getUTCMinutes(), 2)}:${pad(value.getUTCSeconds(), 2)}.${pad(value.getUTCMilliseconds(), 3)}`
  );
}

const DATETIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;

/** Parses DATETIME text (the session runs in UTC) into a Date. mysql2's own Date parsing gets years below 100 wrong. */
export function parseDatetime(text: string): Date {
  const match = DATETIME.exec(text);
  if (match === null) throw new Error(`unexpected DATETIME text ${JSON.stringify(text)}`);
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  return date;
}

/** MySQL keeps instants as DATETIME(3) in UTC (sent and read as text) and log paths as JSON. */
export const mysqlCodecs: ValueCodecs = {
  encodeTimestamp: formatDatetime,
  decodeTimestamp: (value: StoredTimestamp) => (value instanceof Date ? value : typeof value === 'number' ? new Date(value) : parseDatetime(value)),
  encodeJson: (value: unknown) => JSON.stringify(value),
  decodeJson: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
};
