import { describe, expect, it } from 'vitest';
import { StoreClosedError } from '../errors/state-store-error.js';
import type { StateStore } from '../state-store.js';
import { expectRejection } from './assertions.js';
import { type ConformanceContext, SLOW_TEST_TIMEOUT_MS } from './context.js';
import { everyDataCall } from './every-call.js';
import { makeEvent, makeIncident, seedExecution, seedIncident, sleep, uniquePrefix } from './fixtures.js';

function expectClosed(work: Promise<unknown>): Promise<StoreClosedError> {
  return expectRejection(work, StoreClosedError, 'CLOSED');
}

function expectStats(store: StateStore): void {
  const stats = store.stats();
  expect(Object.keys(stats).sort()).toEqual(['activeConnections', 'idleConnections', 'totalConnections', 'waitingRequests']);
  for (const value of Object.values(stats)) {
    expect(Number.isInteger(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
  }
  expect(stats.totalConnections).toBeGreaterThanOrEqual(stats.idleConnections);
}

export function describeClose(ctx: ConformanceContext): void {
  describe('health, stats and close', () => {
    it('health() resolves on an open store', async () => {
      await expect(ctx.store().health()).resolves.toBeUndefined();
    });

    it('stats() reports four non-negative integer counts, before and after use', async () => {
      expectStats(ctx.store());
      await seedIncident(ctx.store(), `${uniquePrefix('stats')}-i`);
      expectStats(ctx.store());
    });

    it('close() is idempotent, also when called concurrently', async () => {
      const store = ctx.store();
      await Promise.all([store.close(), store.close()]);
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });

    it('rejects every call after close() with StoreClosedError', async () => {
      const p = uniquePrefix('closed');
      const store = ctx.store();
      await seedExecution(store, p);
      await store.close();
      const calls: Array<[string, () => Promise<unknown>]> = [...everyDataCall(store, p), ['health', () => store.health()]];
      for (const [name, call] of calls) {
        const error = await expectClosed(call());
        expect(error.name, name).toBe('StoreClosedError');
      }
      let called = false;
      await expectClosed(
        store.transaction(async () => {
          called = true;
        }),
      );
      expect(called, 'transaction fn must not run on a closed store').toBe(false);
    });

    it('refuses stats() after close() with StoreClosedError', async () => {
      const store = ctx.store();
      await store.health();
      await store.close();
      expect(() => store.stats()).toThrow(StoreClosedError);
    });

    it(
      'waits for in-flight calls: 50 creates started before close() all succeed, and close() resolves after them',
      async () => {
        const p = uniquePrefix('close-drain');
        const store = ctx.store();
        let settled = 0;
        const creates = Array.from({ length: 50 }, (_, i) => {
          const event = makeEvent(`${p}-f${i}`, { cluster: p });
          return store.createIncident(makeIncident(`${p}-${i}`, event), event).finally(() => {
            settled += 1;
          });
        });
        const closing = store.close().then(() => settled);
        // A call made once close() began is refused.
        await expectClosed(store.getIncident(`${p}-0`));
        const results = await Promise.allSettled(creates);
        expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
        expect(await closing).toBe(50);
      },
      SLOW_TEST_TIMEOUT_MS,
    );

    it(
      'waits for a transaction in flight, whose calls still succeed',
      async () => {
        const p = uniquePrefix('close-tx');
        const store = ctx.store();
        let committed = false;
        const running = store
          .transaction(async (tx) => {
            await seedIncident(tx, `${p}-a`);
            await sleep(100);
            await seedIncident(tx, `${p}-b`);
            return 'ok';
          })
          .then((value) => {
            committed = true;
            return value;
          });
        await sleep(10);
        await store.close();
        expect(committed, 'close() resolved before the transaction finished').toBe(true);
        await expect(running).resolves.toBe('ok');
      },
      SLOW_TEST_TIMEOUT_MS,
    );
  });
}
