import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/free-port.js';
import { createPostgresStateStore } from '../src/index.js';
import { adminUrl } from './support/store-fixtures.js';

// A host that accepts TCP and never answers, before the test server in the list: libpq's
// connect_timeout holds for each host, so the walk moves on after it, once per silent host.
describe('the host walk: connect_timeout per host', () => {
  const silent: Server[] = [];
  let silentPorts: number[] = [];
  const sockets = new Set<Socket>();
  let server = '';

  beforeAll(async () => {
    const admin = new URL(adminUrl());
    server = `${admin.hostname}:${admin.port || '5432'}`;
    // Two listeners on 127.0.0.1, one per silent host: no reliance on localhost resolving to two addresses.
    for (let index = 0; index < 2; index += 1) {
      const listener = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      silent.push(listener);
    }
    silentPorts = silent.map((listener) => {
      const address = listener.address();
      return typeof address === 'object' && address !== null ? address.port : 0;
    });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(silent.map((listener) => new Promise((resolve) => listener.close(resolve))));
  });

  const urlOver = (hosts: string[]) => {
    const admin = new URL(adminUrl());
    const credentials = admin.username === '' ? '' : `${admin.username}${admin.password === '' ? '' : `:${admin.password}`}@`;
    return `postgres://${credentials}${hosts.join(',')}${admin.pathname}?sslmode=disable&connect_timeout=2`;
  };

  it('passes over two silent hosts after 2 s each and settles on the server', async () => {
    const startedAt = Date.now();
    const store = await createPostgresStateStore({ url: urlOver([`127.0.0.1:${silentPorts[0]}`, `127.0.0.1:${silentPorts[1]}`, server]), migrate: false });
    try {
      await store.health();
      const elapsed = Date.now() - startedAt;
      console.log(`two silent hosts, then the server: open + health in ${elapsed} ms (connect_timeout=2 per host)`);
      // Two timeouts of 2 s each went by (a timer never fires early); the upper bound is generous.
      expect(elapsed).toBeGreaterThanOrEqual(3900);
      expect(elapsed).toBeLessThan(30_000);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('when no host answers, the ConnectionError names each host and why', async () => {
    const closed = await freePort();
    const error: unknown = await createPostgresStateStore({ url: urlOver([`127.0.0.1:${silentPorts[0]}`, `127.0.0.1:${closed}`]), migrate: false }).then(
      async (store) => void (await store.close()),
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'CONNECTION', outcomeUnknown: false });
    const message = (error as Error).message;
    console.log(`no host answers: ${message}`);
    expect(message).toContain(`no host accepted the connection: 127.0.0.1:${silentPorts[0]} failed to connect (`);
    expect(message).toMatch(/timeout/i);
    expect(message).toContain(`127.0.0.1:${closed} failed to connect (connect ECONNREFUSED`);
  }, 60_000);
});
