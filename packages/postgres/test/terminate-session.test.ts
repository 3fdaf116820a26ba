import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { parsePostgresUrl } from '../src/parse-postgres-url.js';
import { terminateSession } from '../src/terminate-session.js';
import { adminUrl } from './support/store-fixtures.js';

/** A session that exists nowhere: the identity only has to be well-formed. */
const NOBODY = { pid: 1, startedAt: '2000-01-01 00:00:00+00' };

const tcpSockets = () => process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;

// terminateSession tries again only while the server cannot be reached; an error the server
// answered with stays the same a moment later. Its connections never hold the process open.
describe('terminateSession', () => {
  let proxy: TcpProxy;

  beforeAll(async () => {
    const admin = new URL(adminUrl());
    proxy = await TcpProxy.start({ host: admin.hostname, port: Number(admin.port || '5432') });
  });

  afterAll(async () => {
    await proxy?.close();
  });

  // First: no other test's sockets are still closing while it counts.
  it('a connection to a silent peer does not keep the process alive', async () => {
    const accepted: Socket[] = [];
    // The peer's own sockets must not count: only the client side is looked at.
    const silent = createServer((socket) => {
      socket.unref();
      socket.on('error', () => undefined);
      accepted.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const idle = tcpSockets();
      const { hostConfigs } = parsePostgresUrl(`postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`);
      // Never awaited: it goes on trying (unreachable) after the test, as it would in an application.
      void terminateSession(hostConfigs[0] ?? {}, NOBODY);
      await expect.poll(() => accepted.length, { timeout: 10_000 }).toBe(1);
      // Well before the attempt's own 5 s timeout destroys the socket anyway.
      await expect.poll(() => tcpSockets() - idle, { timeout: 3000 }).toBe(0);
      console.log(`terminateSession to a silent peer: ${accepted.length} connection open, ${tcpSockets() - idle} of them keeping the process alive`);
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  }, 30_000);

  it('gives up at once when the server answers with an error (a role that does not exist)', async () => {
    const { hostConfigs } = parsePostgresUrl(`postgres://nightcrier_no_such_role@127.0.0.1:${proxy.port}/postgres?sslmode=disable`);
    const before = proxy.counts.accepted;
    const startedAt = Date.now();
    await terminateSession(hostConfigs[0] ?? {}, NOBODY);
    const attempts = proxy.counts.accepted - before;
    console.log(`server refused the login: terminateSession made ${attempts} connection(s) in ${Date.now() - startedAt} ms`);
    expect(attempts).toBe(1);
  }, 30_000);
});
