import { ValidationError } from '../errors/state-store-error.js';
import { MAX_TIME_MS, MIN_TIME_MS } from '../validation/field-checks.js';

/** The position after the last incident of a page: its `createdAt` and `incidentId`. */
export interface IncidentCursor {
  createdAtMs: number;
  incidentId: string;
}

const CURSOR_VERSION = 1;

export function encodeIncidentCursor(cursor: IncidentCursor): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, cursor.createdAtMs, cursor.incidentId]), 'utf8').toString('base64url');
}

export function decodeIncidentCursor(text: string): IncidentCursor {
  const malformed = () => new ValidationError('invalid filters.cursor: not a cursor returned by pageIncidents', { field: 'filters.cursor' });
  if (text.length === 0 || text.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(text)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new ValidationError('invalid filters.cursor: not a cursor returned by pageIncidents', { field: 'filters.cursor', cause });
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw malformed();
  const [version, createdAtMs, incidentId] = parsed as unknown[];
  if (version !== CURSOR_VERSION || typeof createdAtMs !== 'number' || !Number.isSafeInteger(createdAtMs)) throw malformed();
  if (createdAtMs < MIN_TIME_MS || createdAtMs > MAX_TIME_MS) throw malformed();
  if (typeof incidentId !== 'string' || incidentId.length === 0 || incidentId.includes('\u0000')) throw malformed();
  return { createdAtMs, incidentId };
}
