import { describe, expect, it } from 'vitest';
import { NotFoundError } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../src/index.js';
import {
  adminQuery,
  faultEvent,
  freshDatabase,
  tagged,
  incidentFor,
  killSessionsOf,
  lockIncidents,
  lockTable,
  openFreshStore,
  sessionsOf,
  uniqueTag,
  waitFor,
} from './support/store-fixtures.js';

describe('PostgreSQL pool', () => {
  it('maxOpenConns caps server sessions; stats() reports active and waiting calls from the pool', async () => {
    const tag = uniqueTag('pool-max');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 3, maxIdleConns: 3 } });
    try {
      const lock = await lockIncidents(url);
      const calls = Array.from({ length: 10 }, (_, i) => store.getIncident(`missing-${i}`).catch((error: unknown) => error));
      const saturated = await waitFor(async () => store.stats().waitingRequests === 7);
      if (!saturated) await lock.release();
      expect(store.stats()).toEqual({ totalConnections: 3, idleConnections: 0, activeConnections: 3, waitingRequests: 7 });
      expect(saturated).toBe(true);
      expect(store.stats()).toEqual({ totalConnections: 3, idleConnections: 0, activeConnections: 3, waitingRequests: 7 });
      expect((await sessionsOf(tag)).length).toBe(3);
      await lock.release();
      const results = await Promise.all(calls);
      expect(results.filter((result) => result instanceof NotFoundError)).toHaveLength(10);
      expect(store.stats()).toMatchObject({ activeConnections: 0, waitingRequests: 0 });
    } finally {
      await close();
    }
  });

  it('maxIdleConns caps idle connections once the idle grace passed: a burst of 10 shrinks to 2 sessions', async () => {
    const tag = uniqueTag('pool-idle-cap');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 10, maxIdleConns: 2, idleGraceMs: 300 } });
    try {
      const lock = await lockIncidents(url);
      const calls = Array.from({ length: 10 }, (_, i) => store.getIncident(`missing-${i}`).catch(() => undefined));
      expect(await waitFor(async () => store.stats().totalConnections === 10)).toBe(true);
      await lock.release();
      await Promise.all(calls);
      // Within the grace the sessions stay, so that a burst right after a lull reuses them.
      expect(store.stats().idleConnections).toBe(10);
      expect(await waitFor(async () => store.stats().idleConnections === 2, 3000)).toBe(true);
      expect(await waitFor(async () => (await sessionsOf(tag)).length === 2)).toBe(true);
    } finally {
      await close();
    }
  });

  it('a burst after a short lull reuses the sessions of the burst before it', async () => {
    const tag = uniqueTag('pool-lull');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 10, maxIdleConns: 2, idleGraceMs: 5000 } });
    try {
      const burst = async () => {
        const lock = await lockIncidents(url);
        const calls = Array.from({ length: 10 }, (_, i) => store.getIncident(`missing-${i}`).catch(() => undefined));
        expect(await waitFor(async () => store.stats().activeConnections === 10)).toBe(true);
        await lock.release();
        await Promise.all(calls);
        return new Set((await sessionsOf(tag)).map((session) => session.pid));
      };
      const first = await burst();
      await new Promise((resolve) => setTimeout(resolve, 300)); // a lull shorter than the grace
      const second = await burst();
      expect(first.size).toBe(10);
      expect([...second].filter((pid) => first.has(pid))).toHaveLength(10);
    } finally {
      await close();
    }
  });

  it('1,000 calls that timed out waiting for a connection leave the queue: waitingRequests returns to 0', async () => {
    const tag = uniqueTag('pool-waiters');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 1 } });
    try {
      const lock = await lockIncidents(url);
      const blocker = store.getIncident('held').catch(() => undefined);
      expect(await waitFor(async () => store.stats().activeConnections === 1)).toBe(true);
      const waiters = await Promise.allSettled(Array.from({ length: 1000 }, (_, i) => store.getIncident(`w-${i}`, { timeoutMs: 100 })));
      expect(waiters.filter((result) => result.status === 'rejected' && (result.reason as { code?: string }).code === 'TIMEOUT')).toHaveLength(1000);
      expect(store.stats()).toMatchObject({ waitingRequests: 0, totalConnections: 1 });
      await lock.release();
      await blocker;
      expect(store.stats()).toMatchObject({ waitingRequests: 0, activeConnections: 0 });
    } finally {
      await close();
    }
  });

  it('close() is bounded: a call stuck on a lock is stopped after closeTimeoutMs, its session ended, and close() says so', async () => {
    const tag = uniqueTag('pool-close-bounded');
    const database = await freshDatabase();
    const url = tagged(database.url, tag);
    const store = await createPostgresStateStore({ url, migrate: false, closeTimeoutMs: 300 });
    const lock = await lockIncidents(url);
    try {
      const event = faultEvent(`${tag}-f`, tag);
      const stuck = store.createIncident(incidentFor(`${tag}-i`, event), event).then(() => 'resolved', (error: unknown) => error);
      expect(await waitFor(async () => (await sessionsOf(tag)).some((s) => s.state === 'active'))).toBe(true);
      const started = Date.now();
      const closing = await store.close().then(() => 'resolved', (error: unknown) => error);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((closing as { code?: string }).code).toBe('TIMEOUT');
      const outcome = (await stuck) as { code?: string; outcomeUnknown?: boolean };
      // Its insert was on the server, waiting for the lock: it may still commit, and the error says so.
      expect(outcome).toMatchObject({ outcomeUnknown: true });
      expect(await waitFor(async () => (await sessionsOf(tag)).length === 0, 5000)).toBe(true);
    } finally {
      await lock.release();
      await database.drop();
    }
  });

  it('connMaxIdleTimeMs closes connections left idle that long', async () => {
    const tag = uniqueTag('pool-idle-time');
    const { store, close } = await openFreshStore(tag, { pool: { connMaxIdleTimeMs: 300 } });
    try {
      await store.listIncidents();
      expect((await sessionsOf(tag)).length).toBe(1);
      expect(await waitFor(async () => (await sessionsOf(tag)).length === 0, 5000)).toBe(true);
      expect(store.stats().totalConnections).toBe(0);
      await store.listIncidents(); // and a new one opens on demand
    } finally {
      await close();
    }
  });

  it('connMaxLifetimeMs recycles connections however busy they are', async () => {
    const tag = uniqueTag('pool-lifetime');
    const { store, close } = await openFreshStore(tag, { pool: { connMaxLifetimeMs: 400, maxOpenConns: 1 } });
    try {
      await store.listIncidents();
      const [first] = await sessionsOf(tag);
      const deadline = Date.now() + 1500;
      while (Date.now() < deadline) await store.listIncidents(); // keep it busy past its lifetime
      await new Promise((resolve) => setTimeout(resolve, 100));
      await store.listIncidents();
      const pids = (await sessionsOf(tag)).map((session) => session.pid);
      expect(first).toBeDefined();
      expect(pids).not.toContain(first?.pid);
    } finally {
      await close();
    }
  });

  it('close() ends every server session of the store', async () => {
    const tag = uniqueTag('pool-close');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 5, maxIdleConns: 5 } });
    const lock = await lockIncidents(url);
    const calls = Array.from({ length: 5 }, (_, i) => store.getIncident(`missing-${i}`).catch(() => undefined));
    expect(await waitFor(async () => store.stats().totalConnections === 5)).toBe(true);
    await lock.release();
    await Promise.all(calls);
    await close();
    expect(await waitFor(async () => (await sessionsOf(tag)).length === 0)).toBe(true);
  });
});

describe('PostgreSQL connections killed by the server', () => {
  it('every pooled backend killed, then 30 concurrent creates: 30 succeed, the process survives', async () => {
    const tag = uniqueTag('kill-idle');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 5, maxIdleConns: 5 } });
    try {
      const lock = await lockIncidents(url);
      const warm = Array.from({ length: 5 }, (_, i) => store.getIncident(`warm-${i}`).catch(() => undefined));
      expect(await waitFor(async () => store.stats().totalConnections === 5)).toBe(true);
      await lock.release();
      await Promise.all(warm);
      expect(await killSessionsOf(tag)).toBe(5);

      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => {
          const event = faultEvent(`${tag}-f${i}`, tag);
          return store.createIncident(incidentFor(`${tag}-i${i}`, event), event);
        }),
      );
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(await store.listIncidents({ cluster: tag })).toHaveLength(30);
      await store.health();
    } finally {
      await close();
    }
  });

  it('a connection killed in the middle of createIncident: the server aborted the statement, so the store runs it again', async () => {
    const tag = uniqueTag('kill-mid-create');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 2 } });
    try {
      const lock = await lockIncidents(url);
      const event = faultEvent(`${tag}-f`, tag);
      const call = store.createIncident(incidentFor(`${tag}-i`, event), event);
      expect(await waitFor(async () => (await sessionsOf(tag)).some((s) => s.state === 'active' && /incidents/.test(s.query)))).toBe(
        true,
      );
      expect(await killSessionsOf(tag)).toBeGreaterThanOrEqual(1);
      await lock.release();
      await call; // 57P01 means nothing committed: the retry on a fresh connection stores it once
      expect((await store.getIncident(`${tag}-i`)).faultId).toBe(`${tag}-f`);
      const [counts] = await adminQuery<{ faults: string; incidents: string }>(
        'select (select count(*) from fault_events) as faults, (select count(*) from incidents) as incidents',
        [],
        url,
      );
      expect(counts).toEqual({ faults: '1', incidents: '1' });
    } finally {
      await close();
    }
  });

  it('a connection killed in the middle of a transaction: ConnectionError and none of its writes remain', async () => {
    const tag = uniqueTag('kill-mid-tx');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 2 } });
    try {
      const lock = await lockTable(url, 'triage_reports');
      const event = faultEvent(`${tag}-f`, tag);
      const call = store
        .transaction(async (tx) => {
          await tx.createIncident(incidentFor(`${tag}-i`, event), event);
          await tx.recordAgentExecution({ executionId: `${tag}-e`, incidentId: `${tag}-i`, startedAt: new Date() });
          await tx.recordTriageReport({
            reportId: `${tag}-r`, incidentId: `${tag}-i`, executionId: `${tag}-e`, generatedAt: new Date(), reportMarkdown: '# r',
          });
        })
        .catch((error: unknown) => error);
      expect(await waitFor(async () => (await sessionsOf(tag)).some((s) => s.state === 'active' && /triage_reports/.test(s.query)))).toBe(
        true,
      );
      expect(await killSessionsOf(tag)).toBeGreaterThanOrEqual(1);
      await lock.release();
      expect(((await call) as { code?: string }).code).toBe('CONNECTION');
      const [counts] = await adminQuery<{ faults: string; incidents: string; executions: string }>(
        `select (select count(*) from fault_events) as faults, (select count(*) from incidents) as incidents,
                (select count(*) from agent_executions) as executions`,
        [],
        url,
      );
      expect(counts).toEqual({ faults: '0', incidents: '0', executions: '0' });
    } finally {
      await close();
    }
  });
});
