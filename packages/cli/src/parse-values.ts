import { INCIDENT_STATUSES, type IncidentStatus } from '@nightcrier/storage-core';
import { UsageError } from './usage-error.js';

/** A whole number in [min, max], written in plain decimal digits. */
export function parseInteger(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`invalid --${flag} ${JSON.stringify(raw)}: expected ${range}`);
  }
  return value;
}

/** Comma-separated statuses, each one of INCIDENT_STATUSES; repeated options add up. */
export function parseStatuses(raws: readonly string[]): IncidentStatus[] {
  const statuses: IncidentStatus[] = [];
  for (const part of raws.flatMap((raw) => raw.split(','))) {
    const status = part.trim();
    if (status === '') continue;
    if (!(INCIDENT_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`invalid --status ${JSON.stringify(status)}: expected one of ${INCIDENT_STATUSES.join(', ')}`);
    }
    if (!statuses.includes(status as IncidentStatus)) statuses.push(status as IncidentStatus);
  }
  if (statuses.length === 0) throw new UsageError(`option --status needs at least one of ${INCIDENT_STATUSES.join(', ')}`);
  return statuses;
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Milliseconds since the epoch of a UTC calendar time; unlike Date.UTC, years 0-99 stay as written. */
function utcMillis(year: number, monthIndex: number, day: number, hours = 0, minutes = 0, seconds = 0, millis = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hours, minutes, seconds, millis);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMillis(year, month, 0)).getUTCDate();
}

/**
 * An ISO 8601 date (`2024-05-01`, midnight UTC) or date-time (`2024-05-01T12:30:00Z`,
 * `2024-05-01T14:30+02:00`); a date-time without an offset is taken as UTC. Impossible calendar
 * values (`2024-02-30`, `25:00`) are rejected rather than rolled over.
 */
export function parseIsoDate(flag: string, raw: string): Date {
  const match = ISO_DATE.exec(raw.trim());
  const invalid = () => new UsageError(`invalid --${flag} ${JSON.stringify(raw)}: expected an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T12:30:00Z`);
  if (match === null) throw invalid();
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw invalid();
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw invalid();
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) throw invalid();
    offsetMinutes = (digits.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = utcMillis(year, month - 1, day, Number(h), Number(mi), Number(s), millis) - offsetMinutes * 60_000;
  const date = new Date(utc);
  if (Number.isNaN(date.getTime())) throw invalid();
  return date;
}
