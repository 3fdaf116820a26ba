import { describe, expect, it } from 'vitest';
import type { OperationOptions } from '../domain/types.js';
import { OperationCancelledError, OperationTimeoutError } from '../errors/state-store-error.js';
import type { StateStore } from '../state-store.js';
import { expectNoIncident, expectRejection, expectValidation } from './assertions.js';
import { type ConformanceContext, SLOW_TEST_TIMEOUT_MS } from './context.js';
import { everyDataCall } from './every-call.js';
import { makeEvent, makeIncident, seedExecution, seedIncident, sleep, uniquePrefix } from './fixtures.js';

/** Time for a transaction abandoned by its caller to finish rolling back in the background. */
const SETTLE_MS = 300;

function expectCancelled(work: Promise<unknown>): Promise<OperationCancelledError> {
  return expectRejection(work, OperationCancelledError, 'CANCELLED');
}

/** Every store call: each data method, and health(). */
function everyCall(store: StateStore, p: string, options: OperationOptions): Array<[string, () => Promise<unknown>]> {
  return [...everyDataCall(store, p, options), ['health', () => store.health(options)]];
}

export function describeCancellation(ctx: ConformanceContext): void {
  describe('cancellation and timeouts', () => {
    it('rejects every call with an already aborted signal with OperationCancelledError and writes nothing', async () => {
      const p = uniquePrefix('cancel-pre');
      const { incident, execution } = await seedExecution(ctx.store(), p);
      for (const signal of [AbortSignal.abort(), AbortSignal.abort(new Error('the user went away'))]) {
        for (const [name, call] of everyCall(ctx.store(), p, { signal })) {
          const error = await expectCancelled(call());
          expect(error.name, name).toBe('OperationCancelledError');
        }
      }
      let called = false;
      await expectCancelled(
        ctx.store().transaction(
          async () => {
            called = true;
          },
          { signal: AbortSignal.abort() },
        ),
      );
      expect(called, 'transaction fn must not run with an aborted signal').toBe(false);
      await expectNoIncident(ctx.store(), `${p}-new`, `${p}-new-f`);
      expect(await ctx.store().getIncident(incident.incidentId)).toStrictEqual(incident);
      expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([execution]);
      expect(await ctx.store().listTriageReports(incident.incidentId)).toStrictEqual([]);
    });

    it('runs calls with a signal that never aborts, and ignores an abort after the call finished', async () => {
      const p = uniquePrefix('cancel-late');
      const controller = new AbortController();
      await seedExecution(ctx.store(), p);
      for (const [, call] of everyCall(ctx.store(), p, { signal: controller.signal })) await call();
      controller.abort();
      await ctx.store().getIncident(`${p}-new`);
      expect(await ctx.store().listTriageReports(`${p}-inc`)).toHaveLength(1);
    });

    it('runs every call with a generous timeoutMs', async () => {
      const p = uniquePrefix('timeout-ok');
      await seedExecution(ctx.store(), p);
      for (const [, call] of everyCall(ctx.store(), p, { timeoutMs: 60_000 })) await call();
      const value = await ctx.store().transaction(async (tx) => {
        await seedIncident(tx, `${p}-tx`);
        return 42;
      }, { timeoutMs: 60_000 });
      expect(value).toBe(42);
      await ctx.store().getIncident(`${p}-new`);
      await ctx.store().getIncident(`${p}-tx`);
    });

    it('rejects a timeoutMs of 0, -1, NaN, Infinity or beyond a timer (2^31 ms) with ValidationError and writes nothing', async () => {
      const p = uniquePrefix('timeout-invalid');
      for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
        const event = makeEvent(`${p}-f`);
        await expectValidation(ctx.store().createIncident(makeIncident(`${p}-i`, event), event, { timeoutMs }), /timeoutMs/);
        await expectValidation(ctx.store().listIncidents({ cluster: p }, { timeoutMs }), /timeoutMs/);
        await expectValidation(ctx.store().transaction(async () => undefined, { timeoutMs }), /timeoutMs/);
      }
      await expectNoIncident(ctx.store(), `${p}-i`, `${p}-f`);
    });

    // A transaction abandoned midway (deadline passed, or signal aborted) must leave nothing, both
    // when its fn makes another call afterwards and when fn just resolves later without one.
    const abandonments = [
      { how: 'times out', expected: OperationTimeoutError, code: 'TIMEOUT', options: () => ({ timeoutMs: 50 }) },
      {
        how: 'cancels',
        expected: OperationCancelledError,
        code: 'CANCELLED',
        options: () => {
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 50);
          return { signal: controller.signal };
        },
      },
    ] as const;
    for (const { how, expected, code, options } of abandonments) {
      for (const callsAgain of [true, false]) {
        it(
          `${how} a transaction midway and leaves nothing of it (${callsAgain ? 'fn calls again' : 'fn later resolves quietly'})`,
          async () => {
            const p = uniquePrefix(`abandon-${code}-${callsAgain}`);
            const work = ctx.store().transaction(async (tx) => {
              await seedIncident(tx, `${p}-a`);
              await sleep(200);
              if (callsAgain) await seedIncident(tx, `${p}-b`);
            }, options());
            await expectRejection(work, expected, code);
            await sleep(SETTLE_MS);
            await expectNoIncident(ctx.store(), `${p}-a`, `${p}-a-f`);
            await expectNoIncident(ctx.store(), `${p}-b`, `${p}-b-f`);
          },
          SLOW_TEST_TIMEOUT_MS,
        );
      }
    }

    it(
      'keeps working after a timed-out transaction',
      async () => {
        const p = uniquePrefix('timeout-recover');
        await expect(
          ctx.store().transaction(
            async (tx) => {
              await sleep(150);
              await seedIncident(tx, `${p}-a`);
            },
            { timeoutMs: 30 },
          ),
        ).rejects.toBeInstanceOf(OperationTimeoutError);
        await sleep(SETTLE_MS);
        await seedIncident(ctx.store(), `${p}-b`);
        await ctx.store().getIncident(`${p}-b`);
        await expectNoIncident(ctx.store(), `${p}-a`);
      },
      SLOW_TEST_TIMEOUT_MS,
    );
  });
}
