import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../errors/state-store-error.js';
import type { StateStoreTransaction } from '../state-store.js';
import { expectConflict, expectNoIncident, expectNotFound, expectRejection, expectValidation } from './assertions.js';
import type { ConformanceContext } from './context.js';
import { DATA_METHODS, everyDataCall } from './every-call.js';
import { makeEvent, makeExecution, makeIncident, makeReport, seedExecution, seedIncident, uniquePrefix } from './fixtures.js';


class CallerError extends Error {}

export function describeTransactions(ctx: ConformanceContext): void {
  describe('transaction', () => {
    it('commits when fn resolves, returns its value, and sees its own writes inside', async () => {
      const p = uniquePrefix('tx-commit');
      const result = await ctx.store().transaction(async (tx) => {
        const a = await seedIncident(tx, `${p}-a`, { cluster: p });
        await seedIncident(tx, `${p}-b`, { cluster: p });
        expect(await tx.getIncident(`${p}-a`)).toStrictEqual(a);
        await tx.updateIncidentStatus(`${p}-a`, 'investigating', new Date('2024-05-01T10:00:00.000Z'));
        await tx.recordAgentExecution(makeExecution(`${p}-e`, `${p}-a`));
        await tx.recordTriageReport(makeReport(`${p}-r`, `${p}-a`, `${p}-e`));
        await tx.completeIncident(`${p}-b`, 0);
        expect((await tx.listIncidents({ cluster: p })).length).toBe(2);
        return 'done';
      });
      expect(result).toBe('done');
      expect((await ctx.store().getIncident(`${p}-a`)).status).toBe('investigating');
      expect((await ctx.store().getIncident(`${p}-b`)).status).toBe('resolved');
      expect(await ctx.store().listAgentExecutions(`${p}-a`)).toHaveLength(1);
      expect(await ctx.store().listTriageReports(`${p}-a`)).toHaveLength(1);
      expect(await ctx.store().listIncidents({ cluster: p })).toHaveLength(2);
    });

    it('rolls back every write and rethrows the very error when fn throws', async () => {
      const p = uniquePrefix('tx-rollback');
      const existing = await seedIncident(ctx.store(), `${p}-existing`);
      const thrown = new CallerError('the caller changed its mind');
      let caught: unknown;
      try {
        await ctx.store().transaction(async (tx) => {
          await seedIncident(tx, `${p}-a`);
          await seedIncident(tx, `${p}-b`);
          await tx.updateIncidentStatus(existing.incidentId, 'resolved', new Date());
          await tx.recordAgentExecution(makeExecution(`${p}-e`, existing.incidentId));
          throw thrown;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(thrown);
      await expectNoIncident(ctx.store(), `${p}-a`, `${p}-a-f`);
      await expectNoIncident(ctx.store(), `${p}-b`, `${p}-b-f`);
      expect(await ctx.store().getIncident(existing.incidentId)).toStrictEqual(existing);
      expect(await ctx.store().listAgentExecutions(existing.incidentId)).toEqual([]);
    });

    it('rethrows a non-Error value thrown by fn as it is', async () => {
      const p = uniquePrefix('tx-throw-value');
      const thrown = { reason: 'not an Error' };
      await expect(
        ctx.store().transaction(async (tx) => {
          await seedIncident(tx, `${p}-a`);
          throw thrown;
        }),
      ).rejects.toBe(thrown);
      await expectNoIncident(ctx.store(), `${p}-a`);
    });

    it('gives fn every data method and neither close nor transaction', async () => {
      let seen: StateStoreTransaction | undefined;
      await ctx.store().transaction(async (tx) => {
        seen = tx;
      });
      const record = seen as unknown as Record<string, unknown>;
      for (const method of DATA_METHODS) expect(typeof record[method], method).toBe('function');
      expect(record['close']).toBeUndefined();
      expect(record['transaction']).toBeUndefined();
    });

    it('runs every data method inside a transaction and commits what they wrote', async () => {
      const p = uniquePrefix('tx-every');
      await seedExecution(ctx.store(), p);
      await ctx.store().transaction(async (tx) => {
        for (const [, call] of everyDataCall(tx, p)) await call();
      });
      expect((await ctx.store().getIncident(`${p}-new`)).incidentId).toBe(`${p}-new`);
      expect((await ctx.store().getIncident(`${p}-inc`)).status).toBe('failed');
      expect(await ctx.store().listAgentExecutions(`${p}-inc`)).toHaveLength(2);
      expect(await ctx.store().listTriageReports(`${p}-inc`)).toHaveLength(1);
    });

    it('propagates a ConflictError from inside fn with code CONFLICT and rolls back', async () => {
      const p = uniquePrefix('tx-conflict');
      const existing = await seedIncident(ctx.store(), `${p}-existing`);
      const error = await expectRejection(
        ctx.store().transaction(async (tx) => {
          await seedIncident(tx, `${p}-a`);
          const event = makeEvent(`${p}-dup-f`);
          await tx.createIncident(makeIncident(existing.incidentId, event), event);
        }),
        ConflictError,
        'CONFLICT',
      );
      expect(error.message).toContain(existing.incidentId);
      await expectNoIncident(ctx.store(), `${p}-a`, `${p}-a-f`);
      await expectNotFound(ctx.store().getFaultEvent(`${p}-dup-f`));
      expect(await ctx.store().getIncident(existing.incidentId)).toStrictEqual(existing);
    });

    it('refuses calls to the store itself (not tx) inside fn, and close() inside fn, with ValidationError', async () => {
      const p = uniquePrefix('tx-outer-call');
      const store = ctx.store();
      await store.transaction(async (tx) => {
        await seedIncident(tx, `${p}-a`);
        await expectValidation(store.getIncident(`${p}-a`), 'transaction');
        await expectValidation(store.close(), 'transaction');
      });
      expect((await store.getIncident(`${p}-a`)).incidentId).toBe(`${p}-a`);
    });

    it('propagates a NotFoundError from inside fn as it is', async () => {
      const p = uniquePrefix('tx-not-found');
      await expectRejection(
        ctx.store().transaction(async (tx) => {
          await seedIncident(tx, `${p}-a`);
          await tx.getIncident(`${p}-missing`);
        }),
        NotFoundError,
        'NOT_FOUND',
      );
      await expectNoIncident(ctx.store(), `${p}-a`, `${p}-a-f`);
    });

    it('keeps the transaction usable after a failed call that fn caught: earlier writes commit, nothing of the failed call remains', async () => {
      const p = uniquePrefix('tx-caught-conflict');
      const existing = await seedIncident(ctx.store(), `${p}-existing`);
      await ctx.store().transaction(async (tx) => {
        await seedIncident(tx, `${p}-a`);
        const event = makeEvent(`${p}-dup-f`);
        await expectConflict(tx.createIncident(makeIncident(existing.incidentId, event), event), existing.incidentId);
        await seedIncident(tx, `${p}-b`);
      });
      await ctx.store().getIncident(`${p}-a`);
      await ctx.store().getIncident(`${p}-b`);
      await expectNotFound(ctx.store().getFaultEvent(`${p}-dup-f`));
    });

    it('commits the earlier writes when fn catches a failed call and then resolves', async () => {
      const p = uniquePrefix('tx-caught-then-resolve');
      const existing = await seedIncident(ctx.store(), `${p}-existing`);
      await ctx.store().transaction(async (tx) => {
        await seedIncident(tx, `${p}-a`);
        const event = makeEvent(`${p}-dup-f`);
        await expectConflict(tx.createIncident(makeIncident(existing.incidentId, event), event), existing.incidentId);
      });
      // transaction() resolved, so what fn wrote before the failed call must be there.
      await ctx.store().getIncident(`${p}-a`);
    });

    it('applies concurrent calls made inside one transaction', async () => {
      const p = uniquePrefix('tx-concurrent-calls');
      const existing = await seedIncident(ctx.store(), `${p}-existing`);
      await ctx.store().transaction(async (tx) => {
        await Promise.all([
          ...Array.from({ length: 10 }, (_, i) => seedIncident(tx, `${p}-${i}`, { cluster: p })),
          tx.updateIncidentStatus(existing.incidentId, 'investigating'),
          tx.recordAgentExecution(makeExecution(`${p}-e`, existing.incidentId)),
        ]);
      });
      expect(await ctx.store().listIncidents({ cluster: p })).toHaveLength(10);
      expect((await ctx.store().getIncident(existing.incidentId)).status).toBe('investigating');
      expect(await ctx.store().listAgentExecutions(existing.incidentId)).toHaveLength(1);
    });

    it('keeps concurrent sibling calls when one call inside the transaction fails', async () => {
      const p = uniquePrefix('tx-concurrent-failure');
      const existing = await seedIncident(ctx.store(), `${p}-existing`);
      const duplicateEvent = makeEvent(`${p}-dup-f`);
      await ctx.store().transaction(async (tx) => {
        const results = await Promise.allSettled([
          seedIncident(tx, `${p}-a`, { cluster: p }),
          tx.createIncident(makeIncident(existing.incidentId, duplicateEvent), duplicateEvent),
          seedIncident(tx, `${p}-b`, { cluster: p }),
          seedIncident(tx, `${p}-c`, { cluster: p }),
        ]);
        expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      });
      expect((await ctx.store().listIncidents({ cluster: p })).map((incident) => incident.incidentId).sort()).toEqual([`${p}-a`, `${p}-b`, `${p}-c`]);
      await expectNotFound(ctx.store().getFaultEvent(duplicateEvent.faultId));
    });

    it('works again after a rollback', async () => {
      const p = uniquePrefix('tx-after-rollback');
      // Any rejection will do here; which error comes back is the business of the test above.
      await expect(
        ctx.store().transaction(async (tx) => {
          await seedIncident(tx, `${p}-a`);
          throw new CallerError('rollback');
        }),
      ).rejects.toThrow('rollback');
      await ctx.store().transaction(async (tx) => {
        await seedIncident(tx, `${p}-b`);
      });
      await expectNoIncident(ctx.store(), `${p}-a`);
      await ctx.store().getIncident(`${p}-b`);
    });
  });
}
