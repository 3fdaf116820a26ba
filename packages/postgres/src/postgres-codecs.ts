import type { StoredTimestamp, ValueCodecs } from '@nightcrier/storage-core/adapter';

// timestamptz text in the ISO DateStyle: sessions run with TimeZone=UTC, but any offset is honoured.
const TIMESTAMPTZ = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/;

/** Parses timestamptz text output into a Date, truncated to the millisecond. */
export function parseTimestamptz(text: string): Date {
  const match = TIMESTAMPTZ.exec(text);
  if (match === null) throw new Error(`unexpected timestamptz text ${JSON.stringify(text)}: the session must use DateStyle ISO`);
  const [, year, month, day, hour, minute, second, fraction = '', sign, offsetHours, offsetMinutes = '0', offsetSeconds = '0'] = match;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offsetMs = (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60 + Number(offsetSeconds)) * 1000;
  return new Date(date.getTime() - (sign === '-' ? -offsetMs : offsetMs));
}

/** PostgreSQL keeps instants as timestamptz (sent as ISO text) and log paths as jsonb. */
export const postgresCodecs: ValueCodecs = {
  encodeTimestamp: (value: Date) => value.toISOString(),
  decodeTimestamp: (value: StoredTimestamp) =>
    value instanceof Date ? value : typeof value === 'number' ? new Date(value) : parseTimestamptz(value),
  encodeJson: (value: unknown) => JSON.stringify(value),
  decodeJson: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
};
