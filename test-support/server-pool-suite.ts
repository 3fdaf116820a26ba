import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StateStore, StoreOptions } from '@nightcrier/storage-core';
import { faultEvent, waitFor } from './fixtures.js';
import { newIncidentFromEvent, NotFoundError } from '@nightcrier/storage-core';

/** One server session of a store, as the server lists it. */
export interface ServerSession {
  id: number | string;
  /** Running a statement right now. */
  active: boolean;
  query: string | null;
}

/** A store on a fresh migrated database of its own, and what the server says of its sessions. */
export interface FreshStore {
  store: StateStore;
  url: string;
  /** The store's own server sessions (not the test's lock holders or the adapter's probes). */
  sessions(): Promise<ServerSession[]>;
  /** Ends every server session of the store at the server; returns how many. */
  killSessions(): Promise<number>;
  /** Closes the store and drops the database. */
  close(): Promise<void>;
}

/** What a server adapter's tests supply so the shared pool suite can run on it. */
export interface ServerPoolHarness {
  openFreshStore(config: StoreOptions): Promise<FreshStore>;
  /** Holds a lock on `table` that blocks every read and write of it, from a session of its own, until `release()`. */
  lockTable(url: string, table: string): Promise<{ release(): Promise<void> }>;
  countRows(url: string, tables: readonly string[]): Promise<Record<string, number>>;
}

const uniqueTag = (): string => `pool-${randomBytes(4).toString('hex')}`;
/**
 * The pool behaviour every server adapter must show, run against the real server: the SPEC's four
 * pool settings, stats(), waiters that leave on timeout, bounded close(), and connections the
 * server kills. One file for every server adapter, so that they cannot drift apart.
 */
export function describeServerPool(name: string, harness: ServerPoolHarness): void {
  describe(`${name} pool`, () => {
    it('maxOpenConns caps server sessions; stats() reports active and waiting calls from the pool', async () => {
      const { store, url, sessions, killSessions, close } = await harness.openFreshStore({ pool: { maxOpenConns: 3, maxIdleConns: 3 } });
      const lock = await harness.lockTable(url, 'incidents');
      try {
        const calls = Array.from({ length: 10 }, (_, i) => store.getIncident(`missing-${i}`).catch((error: unknown) => error));
        const saturated = await waitFor(async () => store.stats().waitingRequests === 7);
        expect(saturated).toBe(true);
        expect(store.stats()).toEqual({ totalConnections: 3, idleConnections: 0, activeConnections: 3, waitingRequests: 7 });
        // The pool counts a connection from the moment it starts opening; the server lists a session
        // once its login is through, which a loaded machine can take a while to finish.
        expect(await waitFor(async () => (await sessions()).length === 3, 15_000)).toBe(true);
        expect(await sessions()).toHaveLength(3);
        await lock.release();
        const results = await Promise.all(calls);
        expect(results.filter((result) => result instanceof NotFoundError)).toHaveLength(10);
        expect(store.stats()).toMatchObject({ activeConnections: 0, waitingRequests: 0 });
      } finally {
        // Released in any case: a failed expectation must not leave calls blocked for close() to wait on.
        await lock.release();
        await close();
      }
    });

    it('maxIdleConns caps idle connections once the idle grace passed: a burst of 10 shrinks to 2 sessions', async () => {
      const { store, url, sessions, killSessions, close } = await harness.openFreshStore({ pool: { maxOpenConns: 10, maxIdleConns: 2, idleGraceMs: 300 } });
      try {
        const lock = await harness.lockTable(url, 'incidents');
        const calls = Array.from({ length: 10 }, (_, i) => store.getIncident(`missing-${i}`).catch(() => undefined));
        expect(await waitFor(async () => store.stats().totalConnections === 10)).toBe(true);
        await lock.release();
        await Promise.all(calls);
        // Within the grace the sessions stay, so that a burst right after a lull reuses them.
        expect(store.stats().idleConnections).toBe(10);
        expect(await waitFor(async () => store.stats().idleConnections === 2, 3000)).toBe(true);
        expect(await waitFor(async () => (await sessions()).length === 2)).toBe(true);
      } finally {
        await close();
      }
    });

    it('a burst after a short lull reuses the sessions of the burst before it', async () => {
      const { store, url, sessions, killSessions, close } = await harness.openFreshStore({ pool: { maxOpenConns: 10, maxIdleConns: 2, idleGraceMs: 5000 } });
      try {
        const burst = async () => {
          const lock = await harness.lockTable(url, 'incidents');
          const calls = Array.from({ length: 10 }, (_, i) => store.getIncident(`missing-${i}`).catch(() => undefined));
          expect(await waitFor(async () => store.stats().activeConnections === 10)).toBe(true);
          await lock.release();
          await Promise.all(calls);
          return new Set((await sessions()).map((session) => session.id));
        };
        const first = await burst();
        await new Promise((resolve) => setTimeout(resolve, 300)); // a lull shorter than the grace
        const second = await burst();
        expect(first.size).toBe(10);
        expect([...second].filter((id) => first.has(id))).toHaveLength(10);
      } finally {
        await close();
      }
    });

    it('1,000 calls that timed out waiting for a connection leave the queue: waitingRequests returns to 0', async () => {
      const { store, url, sessions, killSessions, close } = await harness.openFreshStore({ pool: { maxOpenConns: 1 } });
      try {
        const lock = await harness.lockTable(url, 'incidents');
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
      const tag = uniqueTag();
      const { store, url, sessions, close } = await harness.openFreshStore({ closeTimeoutMs: 300 });
      const lock = await harness.lockTable(url, 'incidents');
      try {
        const event = faultEvent(`${tag}-f`, tag);
        const stuck = store.createIncident(newIncidentFromEvent(`${tag}-i`, event), event).then(() => 'resolved', (error: unknown) => error);
        expect(await waitFor(async () => (await sessions()).some((s) => s.active))).toBe(true);
        const started = Date.now();
        const closing = await store.close().then(() => 'resolved', (error: unknown) => error);
        expect(Date.now() - started).toBeLessThan(3000);
        expect((closing as { code?: string }).code).toBe('TIMEOUT');
        const outcome = (await stuck) as { code?: string; outcomeUnknown?: boolean };
        // Its insert was on the server, waiting for the lock: it may still commit, and the error says so.
        expect(outcome).toMatchObject({ outcomeUnknown: true });
        expect(await waitFor(async () => (await sessions()).length === 0, 5000)).toBe(true);
      } finally {
        await lock.release();
        await close();
      }
    });

    it('connMaxIdleTimeMs closes connections left idle that long', async () => {
      const { store, sessions, close } = await harness.openFreshStore({ pool: { connMaxIdleTimeMs: 300 } });
      try {
        await store.listIncidents();
        expect((await sessions()).length).toBe(1);
        expect(await waitFor(async () => (await sessions()).length === 0, 5000)).toBe(true);
        expect(store.stats().totalConnections).toBe(0);
        await store.listIncidents(); // and a new one opens on demand
      } finally {
        await close();
      }
    });

    it('connMaxLifetimeMs recycles connections however busy they are', async () => {
      const { store, sessions, close } = await harness.openFreshStore({ pool: { connMaxLifetimeMs: 400, maxOpenConns: 1 } });
      try {
        await store.listIncidents();
        const [first] = await sessions();
        const deadline = Date.now() + 1500;
        while (Date.now() < deadline) await store.listIncidents(); // keep it busy past its lifetime
        await new Promise((resolve) => setTimeout(resolve, 100));
        await store.listIncidents();
        const ids = (await sessions()).map((session) => session.id);
        expect(first).toBeDefined();
        expect(ids).not.toContain(first?.id);
      } finally {
        await close();
      }
    });

    it('close() ends every server session of the store', async () => {
      const { store, url, sessions, killSessions, close } = await harness.openFreshStore({ pool: { maxOpenConns: 5, maxIdleConns: 5 } });
      const lock = await harness.lockTable(url, 'incidents');
      const calls = Array.from({ length: 5 }, (_, i) => store.getIncident(`missing-${i}`).catch(() => undefined));
      expect(await waitFor(async () => store.stats().totalConnections === 5)).toBe(true);
      await lock.release();
      await Promise.all(calls);
      await close();
      expect(await waitFor(async () => (await sessions()).length === 0)).toBe(true);
    });
  });

  describe(`${name} connections killed by the server`, () => {
    it('every pooled backend killed, then 30 concurrent creates: 30 succeed, the process survives', async () => {
      const tag = uniqueTag();
      const { store, url, sessions, killSessions, close } = await harness.openFreshStore({ pool: { maxOpenConns: 5, maxIdleConns: 5 } });
      try {
        const lock = await harness.lockTable(url, 'incidents');
        const warm = Array.from({ length: 5 }, (_, i) => store.getIncident(`warm-${i}`).catch(() => undefined));
        expect(await waitFor(async () => store.stats().totalConnections === 5)).toBe(true);
        await lock.release();
        await Promise.all(warm);
        expect(await killSessions()).toBe(5);

        const results = await Promise.allSettled(
          Array.from({ length: 30 }, (_, i) => {
            const event = faultEvent(`${tag}-f${i}`, tag);
            return store.createIncident(newIncidentFromEvent(`${tag}-i${i}`, event), event);
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
      const tag = uniqueTag();
      const { store, url, sessions, killSessions, close } = await harness.openFreshStore({ pool: { maxOpenConns: 2 } });
      try {
        const lock = await harness.lockTable(url, 'incidents');
        const event = faultEvent(`${tag}-f`, tag);
        const call = store.createIncident(newIncidentFromEvent(`${tag}-i`, event), event);
        expect(await waitFor(async () => (await sessions()).some((s) => s.active))).toBe(true,
        );
        expect(await killSessions()).toBeGreaterThanOrEqual(1);
        await lock.release();
        await call; // 57P01 means nothing committed: the retry on a fresh connection stores it once
        expect((await store.getIncident(`${tag}-i`)).faultId).toBe(`${tag}-f`);
        expect(await harness.countRows(url, ['fault_events', 'incidents'])).toEqual({ fault_events: 1, incidents: 1 });
      } finally {
        await close();
      }
    });

    it('a connection killed in the middle of a transaction: ConnectionError and none of its writes remain', async () => {
      const tag = uniqueTag();
      const { store, url, sessions, killSessions, close } = await harness.openFreshStore({ pool: { maxOpenConns: 2 } });
      try {
        const lock = await harness.lockTable(url, 'triage_reports');
        const event = faultEvent(`${tag}-f`, tag);
        const call = store
          .transaction(async (tx) => {
            await tx.createIncident(newIncidentFromEvent(`${tag}-i`, event), event);
            await tx.recordAgentExecution({ executionId: `${tag}-e`, incidentId: `${tag}-i`, startedAt: new Date() });
            await tx.recordTriageReport({
              reportId: `${tag}-r`, incidentId: `${tag}-i`, executionId: `${tag}-e`, generatedAt: new Date(), reportMarkdown: '# r',
            });
          })
          .catch((error: unknown) => error);
        expect(await waitFor(async () => (await sessions()).some((s) => s.active))).toBe(true,
        );
        expect(await killSessions()).toBeGreaterThanOrEqual(1);
        await lock.release();
        expect(((await call) as { code?: string }).code).toBe('CONNECTION');
        expect(await harness.countRows(url, ['fault_events', 'incidents', 'agent_executions'])).toEqual({
          fault_events: 0,
          incidents: 0,
          agent_executions: 0,
        });
      } finally {
        await close();
      }
    });
  });
}
