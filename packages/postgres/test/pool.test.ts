import { describe, expect, it } from 'vitest';
import { NotFoundError } from '@nightcrier/storage-core';
import {
  adminQuery,
  faultEvent,
  incidentFor,
  killSessionsOf,
  lockIncidents,
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

  it('maxIdleConns really caps idle connections: a burst of 10 leaves at most 2 sessions open', async () => {
    const tag = uniqueTag('pool-idle-cap');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 10, maxIdleConns: 2 } });
    try {
      const lock = await lockIncidents(url);
      const calls = Array.from({ length: 10 }, (_, i) => store.getIncident(`missing-${i}`).catch(() => undefined));
      expect(await waitFor(async () => store.stats().totalConnections === 10)).toBe(true);
      await lock.release();
      await Promise.all(calls);
      expect(store.stats().idleConnections).toBeLessThanOrEqual(2);
      expect(await waitFor(async () => (await sessionsOf(tag)).length <= 2)).toBe(true);
    } finally {
      await close();
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

  it('a connection killed in the middle of createIncident leaves nothing of the call', async () => {
    const tag = uniqueTag('kill-mid-create');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 2 } });
    try {
      // Lets the fault_events insert through and blocks the incidents insert that follows it.
      const lock = await lockIncidents(url);
      const event = faultEvent(`${tag}-f`, tag);
      const call = store.createIncident(incidentFor(`${tag}-i`, event), event).catch((error: unknown) => error);
      expect(await waitFor(async () => (await sessionsOf(tag)).some((s) => s.state === 'active' && /incidents/.test(s.query)))).toBe(
        true,
      );
      expect(await killSessionsOf(tag)).toBeGreaterThanOrEqual(1);
      await lock.release();
      const error = (await call) as { code?: string };
      expect(error.code).toBe('CONNECTION');
      await expect(store.getFaultEvent(`${tag}-f`)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.getIncident(`${tag}-i`)).rejects.toBeInstanceOf(NotFoundError);
      const rows = await adminQuery<{ n: string }>('select count(*) as n from fault_events', [], url);
      expect(rows[0]?.n).toBe('0');
    } finally {
      await close();
    }
  });
});
