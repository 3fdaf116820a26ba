import pg from 'pg';

const CANCEL_GIVE_UP_MS = 5000;

/**
 * Asks the server to cancel whatever `target` is running, over a separate connection with the
 * PostgreSQL cancel-request protocol (no authentication, no pool slot). Resolves once the request
 * was delivered or given up on; never rejects.
 */
export function cancelBackend(target: pg.PoolClient, config: pg.ClientConfig): Promise<void> {
  const active = (target as unknown as { activeQuery?: unknown }).activeQuery;
  if (active === undefined || active === null) return Promise.resolve();
  return new Promise((resolve) => {
    const canceller = new pg.Client(config);
    const connection = (canceller as unknown as { connection: NodeJS.EventEmitter }).connection;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      (connection as unknown as { end?: () => void }).end?.();
      finish();
    }, CANCEL_GIVE_UP_MS);
    timer.unref();
    // The server closes the cancel connection after acting on it: that is our acknowledgement.
    connection.on('end', finish);
    connection.on('error', finish);
    canceller.on('error', finish);
    (canceller as unknown as { cancel(client: pg.PoolClient, query: unknown): void }).cancel(target, active);
  });
}
