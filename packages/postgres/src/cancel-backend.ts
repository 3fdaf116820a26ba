import { connect } from 'node:net';
import type pg from 'pg';

const CANCEL_GIVE_UP_MS = 5000;
const CANCEL_REQUEST_CODE = 80877102;

interface BackendKey {
  processID: number | null;
  secretKey: number | null;
}

/**
 * Asks the server to cancel whatever the session of `target` is running, with PostgreSQL's
 * cancel-request protocol over a separate connection: no authentication, no pool slot, and the
 * server answers by closing the connection once it has acted. Resolves then, or after a bounded
 * wait; never rejects. A request that arrives when the session is idle does nothing.
 */
export function cancelBackend(target: pg.Client, config: Pick<pg.ClientConfig, 'host' | 'port'>): Promise<void> {
  // pg keeps the session's backend key on the client without typing it.
  const { processID, secretKey } = target as pg.Client & BackendKey;
  if (processID === null || secretKey === null) return Promise.resolve();
  const host = config.host ?? 'localhost';
  const port = config.port ?? 5432;
  return new Promise((resolve) => {
    // A Unix socket directory, as libpq names it, or a TCP host.
    const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
    const timer = setTimeout(() => socket.destroy(), CANCEL_GIVE_UP_MS);
    timer.unref();
    const request = Buffer.alloc(16);
    request.writeInt32BE(16, 0);
    request.writeInt32BE(CANCEL_REQUEST_CODE, 4);
    request.writeInt32BE(processID, 8);
    request.writeInt32BE(secretKey, 12);
    socket.once('connect', () => socket.end(request));
    socket.once('error', () => socket.destroy());
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
