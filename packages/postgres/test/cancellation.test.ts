import { describe, expect, it } from 'vitest';
import { NotFoundError, OperationCancelledError, OperationTimeoutError } from '@nightcrier/storage-core';
import { lockIncidents, openFreshStore, sessionsOf, uniqueTag, waitFor } from './support/store-fixtures.js';

/** Sessions of `tag` still running a statement on the server. */
async function runningStatements(tag: string): Promise<number> {
  return (await sessionsOf(tag)).filter((session) => session.state === 'active').length;
}

describe('PostgreSQL cancellation and timeouts stop the query on the server', () => {
  it('a cancelled query blocked on a lock: rejected promptly, 20 times, nothing left running, the next query fine', async () => {
    const tag = uniqueTag('cancel');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 1 } });
    const lock = await lockIncidents(url);
    const latencies: number[] = [];
    try {
      await store.health();
      const [session] = await sessionsOf(tag);
      for (let round = 0; round < 20; round += 1) {
        const controller = new AbortController();
        const call = store.getIncident('blocked', { signal: controller.signal });
        expect(await waitFor(async () => (await runningStatements(tag)) === 1)).toBe(true);
        const abortedAt = Date.now();
        controller.abort();
        await expect(call).rejects.toBeInstanceOf(OperationCancelledError);
        latencies.push(Date.now() - abortedAt);
        expect(await waitFor(async () => (await runningStatements(tag)) === 0, 2000)).toBe(true);
      }
      await lock.release();
      await expect(store.getIncident('after')).rejects.toBeInstanceOf(NotFoundError);
      // The one pooled connection survived all 20 cancellations: same server session throughout.
      expect((await sessionsOf(tag)).map((s) => s.pid)).toEqual([session?.pid]);
      console.log(`cancel latency over 20 rounds: max ${Math.max(...latencies)} ms, median ${latencies.sort((a, b) => a - b)[10]} ms`);
      expect(Math.max(...latencies)).toBeLessThan(2000); // generous: a shared 2-core machine
    } finally {
      await lock.release().catch(() => undefined);
      await close();
    }
  }, 60_000);

  it('20 timeouts each followed by a normal query: 20 TIMEOUT errors, 20 good answers, nothing left running', async () => {
    const tag = uniqueTag('timeout');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 2 } });
    let failures = 0;
    try {
      for (let round = 0; round < 20; round += 1) {
        const lock = await lockIncidents(url);
        await expect(store.listIncidents({}, { timeoutMs: 100 })).rejects.toBeInstanceOf(OperationTimeoutError);
        // Still locked: only a server-side cancel can have stopped the statement.
        const stopped = await waitFor(async () => (await runningStatements(tag)) === 0, 2000);
        await lock.release();
        expect(stopped).toBe(true);
        try {
          expect(await store.listIncidents()).toEqual([]);
        } catch {
          failures += 1;
        }
      }
      expect(failures).toBe(0);
      expect(await waitFor(async () => (await runningStatements(tag)) === 0, 2000)).toBe(true);
    } finally {
      await close();
    }
  }, 60_000);

  it("the store's defaultTimeoutMs applies to calls without their own, and rolls a write back", async () => {
    const tag = uniqueTag('default-timeout');
    const { store, url, close } = await openFreshStore(tag, { defaultTimeoutMs: 150 });
    try {
      const lock = await lockIncidents(url);
      const event = {
        faultId: `${tag}-f`, receivedAt: new Date(), subscriptionId: 's', cluster: tag, faultType: 'OOMKilled',
        severity: 'high', context: '', timestamp: '',
      };
      const started = Date.now();
      await expect(store.createIncident({ ...event, incidentId: `${tag}-i`, status: 'pending', createdAt: new Date() }, event)).rejects.toBeInstanceOf(
        OperationTimeoutError,
      );
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await waitFor(async () => (await runningStatements(tag)) === 0, 2000)).toBe(true);
      await lock.release();
      await expect(store.getFaultEvent(`${tag}-f`)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await close();
    }
  });
});
