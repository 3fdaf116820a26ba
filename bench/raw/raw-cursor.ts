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
