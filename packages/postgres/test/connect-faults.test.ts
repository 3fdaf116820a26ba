import { createServer, type Server, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, createStateStore, type QueryEvent } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../src/index.js';
import { freePort } from '../../../test-support/free-port.js';
import { adminUrl, tagged } from './support/store-fixtures.js';
import { withDatabase } from './support/test-databases.js';
import { startThrowawayPostgres, type TestServer } from './support/test-server.js';

// A password that would be easy to spot anywhere it leaked.
const PASSWORD = 'S3cret-Pa55w0rd-xyzzy';

/** Everything a user could see of an error: its text, stack, inspection and causes. */
function everythingShown(error: unknown): string {
  return [String(error), (error as Error).stack ?? '', inspect(error, { depth: 10 }), JSON.stringify(error) ?? ''].join('\n');
}

async function connectFailure(url: string, options: { connectTimeoutMs?: number } = {}): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  try {
    const store = await createPostgresStateStore({ url, ...options });
    await store.close();
    return { error: undefined, elapsedMs: Date.now() - started };
  } catch (error) {
    return { error, elapsedMs: Date.now() - started };
  }
}

describe('PostgreSQL connect faults give ConnectionError quickly, never a hang', () => {
  let silent: Server;
  let silentPort = 0;
  const sockets = new Set<Socket>();
  let passwordServer: TestServer;

  beforeAll(async () => {
    // Accepts TCP connections and never says a word: the server that hangs naive clients.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    passwordServer = await startThrowawayPostgres(PASSWORD);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await passwordServer?.stop();
  });

  it('connection refused', async () => {
    const port = await freePort();
    const { error, elapsedMs } = await connectFailure(`postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(elapsedMs).toBeLessThan(5000);
    expect(everythingShown(error)).not.toContain(PASSWORD);
  });

  it('a missing database', async () => {
    const { error } = await connectFailure(withDatabase(adminUrl(), 'nightcrier_does_not_exist'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(String(error)).toMatch(/nightcrier_does_not_exist/);
  });

  it('a silent TCP server: ConnectionError after the connect timeout', async () => {
    const { error, elapsedMs } = await connectFailure(`postgres://postgres:${PASSWORD}@127.0.0.1:${silentPort}/postgres`, {
      connectTimeoutMs: 500,
    });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(elapsedMs).toBeLessThan(5000);
    expect(everythingShown(error)).not.toContain(PASSWORD);
  });

  it('a wrong password: ConnectionError, and the password is nowhere in it', async () => {
    const wrong = new URL(passwordServer.adminUrl);
    wrong.password = `${PASSWORD}-wrong`;
    const { error } = await connectFailure(wrong.toString());
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('28P01');
    const shown = everythingShown(error);
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(wrong.toString());
  });

  it('the right password: a working store that shows no secret in inspect, JSON, errors or query logs', async () => {
    const logged: QueryEvent[] = [];
    const store = await createStateStore(tagged(passwordServer.adminUrl, 'secrets-check'), { onQuery: (event) => logged.push(event) });
    try {
      await store.health();
      const failure = await store.getIncident('missing').catch((error: unknown) => error);
      expect(inspect(store, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
      expect(JSON.stringify(store)).not.toContain(PASSWORD);
      expect(everythingShown(failure)).not.toContain(PASSWORD);
      expect(logged.length).toBeGreaterThan(0);
      expect(JSON.stringify(logged)).not.toContain(PASSWORD);
    } finally {
      await store.close();
    }
  });

  it('createStateStore on an unreachable postgres:// URL rejects with ConnectionError through the factory', async () => {
    const port = await freePort();
    await expect(createStateStore(`postgresql://user:${PASSWORD}@127.0.0.1:${port}/db`)).rejects.toBeInstanceOf(ConnectionError);
  });
});
