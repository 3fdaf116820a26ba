import type { Incident, IncidentPage } from '@nightcrier/storage-core';

/**
 * The keyset cursor of the raw baselines: the position after a page's last row, in the same
 * format the store uses (base64url of JSON [version, createdAtMs, incidentId]), so both sides
 * hand out equal cursors. No validation: the raw side trusts its input.
 */
export function encodeRawCursor(createdAtMs: number, incidentId: string): string {
  return Buffer.from(JSON.stringify([1, createdAtMs, incidentId]), 'utf8').toString('base64url');
}

export function decodeRawCursor(cursor: string): { createdAtMs: number; incidentId: string } {
  const [, createdAtMs, incidentId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, number, string];
  return { createdAtMs, incidentId };
}

/**
 * One page from the up to `limit + 1` rows a raw baseline fetched: the extra row only says another
 * page follows, and the cursor points after the last row kept, as the store's does.
 */
export function rawPage<R>(rows: readonly R[], limit: number, toIncident: (row: R) => Incident): IncidentPage {
  const hasMore = rows.length > limit;
  const incidents = (hasMore ? rows.slice(0, limit) : rows).map(toIncident);
  const last = incidents[incidents.length - 1];
  if (!hasMore || last === undefined) return { incidents };
  return { incidents, nextCursor: encodeRawCursor(last.createdAt.getTime(), last.incidentId) };
}
