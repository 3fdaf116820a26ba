import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateStore } from '../src/index.js';
import { parsePostgresUrl } from '../src/parse-postgres-url.js';
import { postgresConnectionFactory } from '../src/postgres-connections.js';
import { SilentAfterStartup } from './support/silent-after-startup.js';
import { adminUrl } from './support/store-fixtures.js';

/** TCP sockets keeping the process alive: the clients' (the relay's own are unref'd). */
const clientSockets = () => process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;

// libpq's connect_timeout covers a host's whole attempt, target_session_attrs check included. A
// host that logs the client in and then goes silent must cost one connect_timeout, not the minutes
// TCP keepalive takes, whether it goes silent before the session setup or before the role check.
describe('a host that goes silent after the login', () => {
  let server = { host: '', port: 0 };
  let beforeSetup: SilentAfterStartup;
  let beforeRoleCheck: SilentAfterStartup;
  let afterRoleCheck: SilentAfterStartup;

  beforeAll(async () => {
    const admin = new URL(adminUrl());
    server = { host: admin.hostname, port: Number(admin.port || '5432') };
    beforeSetup = await SilentAfterStartup.start(server, 0);
    beforeRoleCheck = await SilentAfterStartup.start(server, 1);
    afterRoleCheck = await SilentAfterStartup.start(server, 2);
  });

  afterAll(async () => {
    await Promise.all([beforeSetup?.close(), beforeRoleCheck?.close(), afterRoleCheck?.close()]);
  });

  const urlOver = (ports: number[], query: string) => {
    const admin = new URL(adminUrl());
    const credentials = admin.username === '' ? '' : `${admin.username}${admin.password === '' ? '' : `:${admin.password}`}@`;
    return `postgres://${credentials}${ports.map((port) => `127.0.0.1:${port}`).join(',')}${admin.pathname}?sslmode=disable&${query}`;
  };

  it.each([
    ['the session setup', () => beforeSetup, 'any'],
    ['the role check', () => beforeRoleCheck, 'read-write'],
  ])('silent before %s: passed over after connect_timeout, the next host serves', async (_what, peer, target) => {
    const silent = peer();
    const { accepted, clientsGone } = silent.counts;
    const startedAt = Date.now();
    const store = await createPostgresStateStore({ url: urlOver([silent.port, server.port], `connect_timeout=2&target_session_attrs=${target}`), migrate: false });
    try {
      await store.health();
      const elapsed = Date.now() - startedAt;
      const opened = silent.counts.accepted - accepted;
      console.log(`silent after the login (${target}), then the server: open + health in ${elapsed} ms; the silent host got ${opened} connections, dropped ${silent.counts.dropped} writes`);
      expect(opened).toBeGreaterThanOrEqual(1);
      expect(elapsed).toBeGreaterThanOrEqual(1900); // the timer never fires early
      expect(elapsed).toBeLessThan(30_000);
    } finally {
      await store.close();
    }
    // Every attempt on the silent host was destroyed, not left waiting on its socket.
    expect(silent.counts.clientsGone - clientsGone).toBe(silent.counts.accepted - accepted);
  }, 60_000);

  it('a lone silent host: a ConnectionError after connect_timeout', async () => {
    const startedAt = Date.now();
    const error: unknown = await createPostgresStateStore({ url: urlOver([beforeRoleCheck.port], 'connect_timeout=2&target_session_attrs=primary'), migrate: false }).then(
      async (store) => void (await store.close()),
      (caught: unknown) => caught,
    );
    const elapsed = Date.now() - startedAt;
    console.log(`lone silent host: ${String(error)} after ${elapsed} ms`);
    expect(error).toMatchObject({ code: 'CONNECTION', outcomeUnknown: false });
    expect((error as Error).message).toMatch(/timeout expired/);
    expect(elapsed).toBeLessThan(30_000);
  }, 60_000);

  it("the caller's signal ends an attempt stuck in the role check", async () => {
    const { hostConfigs, targetSessionAttrs } = parsePostgresUrl(urlOver([beforeRoleCheck.port], 'target_session_attrs=read-write'));
    const factory = postgresConnectionFactory(hostConfigs, { connectTimeoutMs: 0, keepAliveMs: 0, targetSessionAttrs });
    const { accepted, clientsGone } = beforeRoleCheck.counts;
    const controller = new AbortController();
    const reason = new Error('the caller gave up');
    const startedAt = Date.now();
    setTimeout(() => controller.abort(reason), 1000);
    await expect(factory.open(() => undefined, controller.signal)).rejects.toBe(reason);
    const elapsed = Date.now() - startedAt;
    console.log(`role check stuck, no connect_timeout: the abort ended the attempt after ${elapsed} ms`);
    expect(beforeRoleCheck.counts.accepted - accepted).toBe(1);
    expect(elapsed).toBeLessThan(20_000);
    await expect.poll(() => beforeRoleCheck.counts.clientsGone - clientsGone).toBe(1);
  }, 60_000);

  it('a host passed over (it does not suit) that goes silent is closed all the same', async () => {
    const { hostConfigs, targetSessionAttrs } = parsePostgresUrl(urlOver([afterRoleCheck.port], 'target_session_attrs=read-only'));
    const factory = postgresConnectionFactory(hostConfigs, { connectTimeoutMs: 5000, keepAliveMs: 0, targetSessionAttrs });
    const { accepted } = afterRoleCheck.counts;
    const before = clientSockets();
    // The server answers the role check (a primary: not read-only); the answer to its polite end
    // (Terminate, then FIN) never arrives: the socket stays half-open until it is destroyed.
    await expect(factory.open(() => undefined, undefined)).rejects.toThrow(/is not read-only/);
    expect(afterRoleCheck.counts.accepted - accepted).toBe(1);
    const startedAt = Date.now();
    await expect.poll(() => clientSockets() - before, { timeout: 15_000 }).toBeLessThanOrEqual(0);
    console.log(`passed-over host silent at its end: socket gone ${Date.now() - startedAt} ms after the walk gave up`);
  }, 60_000);
});
