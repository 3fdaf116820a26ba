import type pg from 'pg';

/**
 * Drops a pg client at once, without the polite `Terminate` message: pg has no `destroy()`, its
 * socket does. Whatever waits on the client (connect, a query) is rejected; a peer that went
 * silent cannot hold it open. Safe to call more than once.
 */
export function destroyClient(client: pg.Client): void {
  client.connection.stream.destroy();
}
