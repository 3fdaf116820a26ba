import { describe, expect, it } from 'vitest';
import { newIncidentFromEvent, NotFoundError, OperationCancelledError, OperationTimeoutError } from '@nightcrier/storage-core';
import { adminQuery, faultEvent, holdLock, openFreshStore, runningStatements, sessionsOn, waitFor } from './support/store-fixtures.js';

describe('MySQL cancellation and timeouts stop the statement on the server (KILL QUERY)', () => {
  it('a cancelled read blocked by LOCK TABLES: rejected promptly, 20 times, nothing left running, same session reused', async () => {
    const { store, database, url, close } = await openFreshStore({ pool: { maxOpenConns: 1 } });
    await store.health();
    const [session] = await sessionsOn(database);
    const lock = await holdLock(url, { table: 'incidents' });
    const latencies: number[] = [];
    try {
      for (let round = 0; round < 20; round += 1) {
        const controller = new AbortController();
        const call = store.getIncident('blocked', { signal: controller.signal });
        expect(await waitFor(async () => (await runningStatements(database)) === 1)).toBe(true);
        const abortedAt = Date.now();
        controller.abort();
        await expect(call).rejects.toBeInstanceOf(OperationCancelledError);
        latencies.push(Date.now() - abortedAt);
        expect(await waitFor(async () => (await runningStatements(database)) === 0, 2000)).toBe(true);
      }
      await lock.release();
      await expect(store.getIncident('after')).rejects.toBeInstanceOf(NotFoundError);
      // The one pooled connection survived all 20 cancellations: the same server session throughout.
      expect(await waitFor(async () => (await sessionsOn(database)).map((s) => s.id).join() === String(session?.id))).toBe(true);
      console.log(`cancel latency over 20 rounds: max ${Math.max(...latencies)} ms, median ${latencies.sort((a, b) => a - b)[10]} ms`);
      expect(Math.max(...latencies)).toBeLessThan(2000); // generous: a shared 2-core machine
    } finally {
      await lock.release().catch(() => undefined);
      await close();
    }
  }, 60_000);

  it('a write behind a row lock times out: TIMEOUT, the statement gone from PROCESSLIST, the row unchanged, the pool healthy', async () => {
    const { store, database, url, close } = await openFreshStore({ pool: { maxOpenConns: 2 } });
    try {
      const event = faultEvent('row-lock-f');
      await store.createIncident(newIncidentFromEvent('row-lock', event), event);
      let failures = 0;
      for (let round = 0; round < 10; round += 1) {
        const lock = await holdLock(url, { rowOf: 'row-lock' });
        const started = Date.now();
        await expect(store.updateIncidentStatus('row-lock', 'resolved', undefined, { timeoutMs: 150 })).rejects.toBeInstanceOf(OperationTimeoutError);
        expect(Date.now() - started).toBeLessThan(2000);
        // The row is still locked: only KILL QUERY can have stopped the UPDATE this soon.
        const stopped = await waitFor(async () => (await runningStatements(database)) === 0, 2000);
        await lock.release();
        expect(stopped).toBe(true);
        try {
          expect((await store.getIncident('row-lock')).status).toBe('investigating');
        } catch {
          failures += 1;
        }
      }
      expect(failures).toBe(0);
      await store.updateIncidentStatus('row-lock', 'resolved');
      expect((await store.getIncident('row-lock')).status).toBe('resolved');
      const rows = await adminQuery<{ status: string }>("SELECT CAST(status AS CHAR) AS status FROM incidents WHERE incident_id = 'row-lock'", [], url);
      expect(rows).toEqual([{ status: 'resolved' }]);
    } finally {
      await close();
    }
  }, 60_000);

  it("the store's defaultTimeoutMs applies to calls without their own, and rolls a write back", async () => {
    const { store, database, url, close } = await openFreshStore({ defaultTimeoutMs: 150 });
    try {
      const lock = await holdLock(url, { table: 'incidents' });
      const event = faultEvent('default-timeout-f');
      const started = Date.now();
      await expect(store.createIncident(newIncidentFromEvent('default-timeout', event), event)).rejects.toBeInstanceOf(OperationTimeoutError);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await waitFor(async () => (await runningStatements(database)) === 0, 2000)).toBe(true);
      await lock.release();
      await expect(store.getFaultEvent('default-timeout-f')).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await close();
    }
  });
});
