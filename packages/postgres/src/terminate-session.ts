import pg from 'pg';
import { withSideConnection } from './side-connection.js';

/** How long one attempt may take, connect included. */
const ATTEMPT_MS = 5000;
/** How long the store keeps trying to end a session it gave up on (see {@link terminateSession}). */
const GIVE_UP_MS = 60_000;
const BACKOFF_MS = [250, 500, 1000, 2000] as const;

/** One server session, exactly: pids are reused, a pid together with its start time is not. */
export interface BackendIdentity {
  pid: number;
  /** `pg_stat_activity.backend_start`, as the session printed it (ISO, UTC). */
  startedAt: string;
}

// A session that ended already (the server saw its client leave) matches no row: nothing to do.
const TERMINATE = 'select pg_terminate_backend(pid) from pg_stat_activity where pid = $1::int and backend_start = $2::timestamptz';

/** Ended (or nothing left to end); the server answered with an error; the server could not be reached. */
type Answer = 'done' | 'refused' | 'unreachable';

/**
 * Whether the server answered with an error: then asking again a moment later gets the same
 * answer (42501 permission, 53300 too many connections, 28P01 password), and a fresh connection
 * every few seconds for a minute only adds load. Class 08 (connection exception) and 57
 * (operator intervention: starting up, shutting down) say the server is not there yet.
 */
function serverRefused(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return false;
  const code = error.code ?? '';
  return !code.startsWith('08') && !code.startsWith('57');
}

/** One `pg_terminate_backend` over a connection of its own; never rejects. */
async function terminate(clientConfig: pg.ClientConfig, backend: BackendIdentity): Promise<Answer> {
  try {
    await withSideConnection(clientConfig, ATTEMPT_MS, (client) => client.query(TERMINATE, [backend.pid, backend.startedAt]));
    return 'done';
  } catch (error) {
    return serverRefused(error) ? 'refused' : 'unreachable';
  }
}

/**
 * Ends server session `backend` for good, for a connection the store dropped while it may have
 * held a statement or a transaction. Without this, a session cut off by a silent network failure
 * (a NAT, a firewall, a load balancer that keeps the TCP connection) lives on at the server, which
 * sees no closed socket, and keeps its row locks: every writer of those rows waits behind them for
 * as long as the server's TCP keepalive takes to give up (two hours by default). The server may be
 * unreachable for a while (that is why the connection was dropped): tries again with backoff for up
 * to a minute while it cannot be reached (connect failure, timeout), and gives up at once when the
 * server answers with an error (no permission, too many connections). Never rejects; the same as
 * the MySQL adapter's `KILL CONNECTION`.
 */
export async function terminateSession(clientConfig: pg.ClientConfig, backend: BackendIdentity): Promise<void> {
  const giveUpAt = Date.now() + GIVE_UP_MS;
  for (let attempt = 0; Date.now() < giveUpAt; attempt += 1) {
    // Only a server that could not be reached is asked again: an error it answered with stays.
    if ((await terminate(clientConfig, backend)) !== 'unreachable') return;
    const pause = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, pause).unref());
  }
}
