import type pg from 'pg';
import { invalidUrl } from '@nightcrier/storage-core/adapter';

/**
 * libpq's `target_session_attrs`: which of the URL's hosts a connection may settle on.
 *
 * - `any` (default): the first host that accepts the connection;
 * - `read-write`: a session where `transaction_read_only` is off (not a standby, and not a server
 *   whose `default_transaction_read_only` is on); `read-only`: the opposite;
 * - `primary`: a server not in recovery; `standby`: a server in recovery;
 * - `prefer-standby`: a standby if any host is one, else any host.
 */
export type TargetSessionAttrs = 'any' | 'read-write' | 'read-only' | 'primary' | 'standby' | 'prefer-standby';

const TARGETS: readonly TargetSessionAttrs[] = ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'];

/** What a server session turned out to be. */
export interface SessionRole {
  readOnly: boolean;
  inRecovery: boolean;
}

/** Reads `target_session_attrs` from the URL; absent or empty means `any` (libpq reads empty as unset). */
export function readTargetSessionAttrs(given: string | undefined): TargetSessionAttrs {
  if (given === undefined || given === '') return 'any';
  const target = TARGETS.find((name) => name === given);
  if (target === undefined) throw invalidUrl(`target_session_attrs must be ${TARGETS.join(', ')}; got ${JSON.stringify(given.slice(0, 40))}`);
  return target;
}

/**
 * Asks the session what libpq asks: `transaction_read_only` (libpq's `SHOW transaction_read_only`)
 * and `pg_is_in_recovery()`, in one round trip. Only sent when the target is not `any`.
 */
export async function readSessionRole(client: pg.Client): Promise<SessionRole> {
  const { rows } = await client.query<{ read_only: string; in_recovery: boolean }>(
    "select current_setting('transaction_read_only') as read_only, pg_is_in_recovery() as in_recovery",
  );
  const row = rows[0];
  return { readOnly: row?.read_only === 'on', inRecovery: row?.in_recovery === true };
}

/**
 * Why a session does not suit `target` (for the error naming every host tried), or undefined when
 * it does. For `prefer-standby` a primary does not suit either: the host walk keeps the first one
 * as its fallback should no host be a standby.
 */
export function sessionMismatch(target: TargetSessionAttrs, role: SessionRole): string | undefined {
  switch (target) {
    case 'read-write':
      return role.readOnly ? 'is read-only' : undefined;
    case 'read-only':
      return role.readOnly ? undefined : 'is not read-only';
    case 'primary':
      return role.inRecovery ? 'is a standby (in recovery)' : undefined;
    case 'standby':
    case 'prefer-standby':
      return role.inRecovery ? undefined : 'is not a standby (not in recovery)';
    case 'any':
      return undefined;
  }
}
