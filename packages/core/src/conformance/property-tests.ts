import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES } from '../domain/types.js';
import { StateStoreError } from '../errors/state-store-error.js';
import type { StateStore } from '../state-store.js';
import { HEAVY_TEST_TIMEOUT_MS, type ConformanceContext } from './context.js';
import { makeExecution, seedIncident, uniquePrefix } from './fixtures.js';

/** Calls per backend: enough to meet every validation branch, few enough for a network database. */
const RUNS = 150;

/** Everything the test's own ids hold, read through the public API. */
async function digest(store: StateStore, p: string, ids: readonly string[]): Promise<unknown> {
  const settle = async (work: Promise<unknown>) => work.then((value) => value, (error: unknown) => (error as { code?: string }).code);
  const perId = await Promise.all(
    ids.map(async (id) => ({
      incident: await settle(store.getIncident(id)),
      event: await settle(store.getFaultEvent(`${id}-f`)),
      executions: await settle(store.listAgentExecutions(id)),
      reports: await settle(store.listTriageReports(id)),
    })),
  );
  return { listed: await settle(store.listIncidents({ cluster: p })), perId };
}

/** Any value a caller might pass, valid or not, with `pool` values made likely. */
function anything<T>(...pool: T[]) {
  return fc.oneof(
    { weight: 6, arbitrary: pool.length === 0 ? fc.string() : fc.constantFrom(...pool) },
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom('', 'nul\u0000inside', 'x'.repeat(300)),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.constantFrom(undefined, null, true, Symbol('s'), () => 'f', [], {}),
    fc.date({ noInvalidDate: false }),
  );
}

function callsFor(p: string, ids: readonly string[]) {
  const id = anything(...ids);
  const date = anything(new Date('2024-05-01T10:00:00.000Z'), new Date('1969-07-20T20:17:40.000Z'));
  const text = anything('text', 'multi\nline', '😀');
  const key = anything(p, 'namespace');
  const status = anything(...INCIDENT_STATUSES);
  const resource = fc.option(fc.record({ apiVersion: text, kind: text, name: text }), { nil: undefined });
  const event = fc.record({ faultId: id.map((v) => (typeof v === 'string' ? `${v}-f` : v)), receivedAt: date, subscriptionId: text, cluster: key, resource, faultType: text, severity: text, context: text, timestamp: text }, { requiredKeys: [] });
  const incident = fc.record({ incidentId: id, faultId: id, status, createdAt: date, startedAt: date, exitCode: anything(0, 1, 137), cluster: key, namespace: key, resource, faultType: text, severity: text, context: text, timestamp: text }, { requiredKeys: [] });
  const createPair = fc.tuple(incident, event, fc.boolean()).map(([i, e, matching]) => (matching ? [i, { ...e, faultId: i['faultId'] }] : [i, e]));
  const execution = fc.record({ executionId: id, incidentId: id, startedAt: date, completedAt: date, exitCode: anything(0, 2), errorMessage: text, logPaths: anything({ stdout: '/a' }, { bad: 1 }) }, { requiredKeys: [] });
  const report = fc.record({ reportId: id, incidentId: id, executionId: anything(`${ids[0]}-e`), generatedAt: date, reportMarkdown: text, reportHtml: text }, { requiredKeys: [] });
  const filters = fc.option(fc.record({ status: anything(['pending'], ['failed', 'resolved'], ['nope']), cluster: key, createdAfter: date, limit: anything(0, 1, 5), offset: anything(0, 1) }, { requiredKeys: [] }), { nil: undefined });
  const options = fc.option(fc.record({ timeoutMs: anything(5000), signal: fc.constantFrom(undefined, AbortSignal.abort()) }, { requiredKeys: [] }), { nil: undefined });
  return fc.oneof(
    fc.tuple(fc.constant('createIncident'), createPair, options).map(([name, pair, o]) => [name, [...pair, o]] as const),
    fc.tuple(fc.constant('getFaultEvent'), fc.tuple(id, options)),
    fc.tuple(fc.constant('updateIncidentStatus'), fc.tuple(id, status, anything(new Date(), null, undefined), options)),
    fc.tuple(fc.constant('completeIncident'), fc.tuple(id, anything(0, 1), text, options)),
    fc.tuple(fc.constant('recordAgentExecution'), fc.tuple(execution, options)),
    fc.tuple(fc.constant('recordTriageReport'), fc.tuple(report, options)),
    fc.tuple(fc.constant('getIncident'), fc.tuple(id, options)),
    fc.tuple(fc.constant('listIncidents'), fc.tuple(filters, options)),
    fc.tuple(fc.constant('pageIncidents'), fc.tuple(filters, options)),
    fc.tuple(fc.constant('listAgentExecutions'), fc.tuple(id, options)),
    fc.tuple(fc.constant('listTriageReports'), fc.tuple(id, options)),
  );
}

/** fast-check over every method: each call resolves or rejects with a StateStoreError, and a rejected call leaves everything as it was. */
export function describeProperties(ctx: ConformanceContext): void {
  describe('property: random calls', () => {
    it(
      `${RUNS} random calls over every method: each succeeds or throws a StateStoreError, and a failed call changes nothing`,
      async () => {
        const p = uniquePrefix('prop');
        const ids = [`${p}-a`, `${p}-b`];
        const store = ctx.store();
        await seedIncident(store, `${p}-a`, { cluster: p });
        await store.recordAgentExecution(makeExecution(`${p}-a-e`, `${p}-a`));
        await fc.assert(
          fc.asyncProperty(callsFor(p, ids), async ([name, args]) => {
            const before = await digest(store, p, ids);
            const method = store[name as keyof StateStore] as (...values: unknown[]) => Promise<unknown>;
            let failure: unknown;
            try {
              await method(...(args as unknown[]));
            } catch (error) {
              failure = error;
            }
            if (failure === undefined) return;
            expect(failure, `${name} threw something that is not a StateStoreError`).toBeInstanceOf(StateStoreError);
            expect(await digest(store, p, ids), `${name} failed with ${(failure as Error).message} but changed the database`).toEqual(before);
          }),
          { numRuns: RUNS },
        );
      },
      HEAVY_TEST_TIMEOUT_MS,
    );
  });
}
