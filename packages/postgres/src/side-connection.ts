import { Socket } from 'node:net';
import pg from 'pg';
import { destroyClient } from './destroy-client.js';

/**
 * Runs `use` over a short-lived connection of its own to `hostConfig` (a probe, a terminate), and
 * destroys that connection afterwards whatever happened. The whole of it, connect included, gets
 * `timeoutMs`: a peer that accepts and never answers ends the attempt anyway. Its socket and timer
 * never keep the process alive, so a side task left running cannot delay the application's exit.
 *
 * Rejects with the driver's error (a pg `DatabaseError` when the server answered with one).
 */
export async function withSideConnection<T>(hostConfig: pg.ClientConfig, timeoutMs: number, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...hostConfig, connectionTimeoutMillis: timeoutMs });
  // pg makes the socket in the constructor (typed as any Duplex); unref before connect takes
  // effect once it connects.
  const { stream } = client.connection;
  if (stream instanceof Socket) stream.unref();
  // Without a listener, the destroy below (or the server ending the session) would crash the process.
  client.on('error', () => undefined);
  const timer = setTimeout(() => destroyClient(client), timeoutMs);
  timer.unref();
  try {
    await client.connect();
    return await use(client);
  } finally {
    clearTimeout(timer);
    destroyClient(client);
  }
}
