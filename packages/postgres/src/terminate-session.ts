import pg from 'pg';
import { destroyClient } from './postgres-connections.js';

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

type Answer = 'done' | 'unreachable';

/** One `pg_terminate_backend` over a connection of its own; never rejects. */
async function terminate(clientConfig: pg.ClientConfig, backend: BackendIdentity): Promise<Answer> {
  const client = new pg.Client({ ...clientConfig, connectionTimeoutMillis: ATTEMPT_MS });
  client.on('error', () => undefined);
  // A peer that accepts and never answers: the attempt ends anyway.
  const timer = setTimeout(() => destroyClient(client), ATTEMPT_MS);
  timer.unref();
  try {
    await client.connect();
    await client.query(TERMINATE, [backend.pid, backend.startedAt]);
    return 'done';
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
    destroyClient(client);
  }
}

/**
 * Ends server session `backend` for good, for a connection the store dropped while it may have
 * held a statement or a transaction. Without this, a session cut off by a silent network failure
 * (a NAT, a firewall, a load balancer that keeps the TCP connection) lives on at the server, which
 * sees no closed socket, and keeps its row locks: every writer of those rows waits behind them for
 * as long as the server's TCP keepalive takes to give up (two hours by default). The server may be
 * unreachable for a while (that is why the connection was dropped): tries again with backoff for up
 * to a minute. Never rejects; the same as the MySQL adapter's `KILL CONNECTION`.
 */
export async function terminateSession(clientConfig: pg.ClientConfig, backend: BackendIdentity): Promise<void> {
  const giveUpAt = Date.now() + GIVE_UP_MS;
  for (let attempt = 0; Date.now() < giveUpAt; attempt += 1) {
    if ((await terminate(clientConfig, backend)) === 'done') return;
    const pause = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, pause).unref());
  }
}
