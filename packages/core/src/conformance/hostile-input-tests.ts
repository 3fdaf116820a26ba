import { describe, expect, it } from 'vitest';
import type { AgentExecution, FaultEvent, Incident, IncidentFilters, OperationOptions } from '../domain/types.js';
import type { StateStoreTransaction } from '../state-store.js';
import { FIELD_LIMITS } from '../validation/field-limits.js';
import { expectNoIncident, expectValidation } from './assertions.js';
import type { ConformanceContext } from './context.js';
import { makeEvent, makeExecution, makeIncident, seedIncident, uniquePrefix } from './fixtures.js';

/** Messages quote at most a short prefix of any value. */
const MAX_MESSAGE_CHARS = 1000;

const circular = (): Record<string, unknown> => {
  const value: Record<string, unknown> = { name: 'loop' };
  value['self'] = value;
  return value;
};

const throwingGetter = (): object =>
  Object.defineProperty({}, 'incidentId', {
    enumerable: true,
    get() {
      throw new Error('getter says no');
    },
  });

const hostileProxy = (): object =>
  new Proxy(
    {},
    {
      get() {
        throw new TypeError('proxy trap says no');
      },
    },
  );

interface CreateCase {
  label: string;
  field: string | RegExp;
  incident?: Record<string, unknown>;
  event?: Record<string, unknown>;
  whole?: { incident?: unknown; event?: unknown };
}

const KEY = FIELD_LIMITS.keyBytes;
/** Four-byte characters one past the key limit. */
const EMOJI = Math.floor(KEY / 4) + 1;

const CREATE_CASES: readonly CreateCase[] = [
  { label: 'a BigInt exit code', field: 'incident.exitCode', incident: { exitCode: 1n } },
  { label: 'a symbol status', field: 'incident.status', incident: { status: Symbol('pending') } },
  { label: 'a function id', field: 'incident.incidentId', incident: { incidentId: () => 'id' } },
  { label: 'a circular object as the cluster', field: 'incident.cluster', incident: { cluster: circular() } },
  { label: 'a string as createdAt', field: 'incident.createdAt', incident: { createdAt: '2024-05-01T10:00:00Z' } },
  { label: 'a Date after the year 9999', field: 'incident.createdAt', incident: { createdAt: new Date(Date.UTC(10_000, 0, 1)) } },
  { label: `an id of ${KEY + 1} bytes`, field: 'incident.incidentId', incident: { incidentId: 'i'.repeat(KEY + 1) } },
  { label: `an id of ${EMOJI} emoji (${EMOJI * 4} bytes)`, field: 'incident.incidentId', incident: { incidentId: '😀'.repeat(EMOJI) } },
  { label: 'a 10 MB cluster', field: 'event.cluster', event: { cluster: 'c'.repeat(10_000_000) } },
  { label: 'a namespace past the key limit', field: 'incident.namespace', incident: { namespace: 'n'.repeat(KEY + 1) } },
  { label: 'a context past the text limit', field: 'event.context', event: { context: 'x'.repeat(FIELD_LIMITS.textBytes + 1) } },
  { label: 'a resource that is an array', field: 'event.resource', event: { resource: [] } },
  { label: 'an incident whose getter throws', field: 'arguments', whole: { incident: throwingGetter() } },
  { label: 'an event that is a hostile proxy', field: 'arguments', whole: { event: hostileProxy() } },
  { label: 'a number instead of the incident', field: 'incident', whole: { incident: 42 } },
];

const OPTION_CASES: ReadonlyArray<[string, unknown, string]> = [
  ['a number', 42, 'options'],
  ['a string', 'fast', 'options'],
  ['a string timeoutMs', { timeoutMs: '100' }, 'options.timeoutMs'],
  ['a BigInt timeoutMs', { timeoutMs: 100n }, 'options.timeoutMs'],
  ['a plain object as signal', { signal: {} }, 'options.signal'],
  ['a string signal', { signal: 'abort' }, 'options.signal'],
];

const FILTER_CASES: ReadonlyArray<[string, Record<string, unknown>, string | RegExp]> = [
  ['a status string instead of a list', { status: 'pending' }, 'filters.status'],
  ['a symbol in the status list', { status: [Symbol('x')] }, /^filters\.status/],
  ['a sparse status list', { status: [, 'pending'] }, /^filters\.status/],
  ['a BigInt limit', { limit: 10n }, 'filters.limit'],
  ['a cluster past the key limit', { cluster: 'c'.repeat(KEY + 1) }, 'filters.cluster'],
  ['a createdAfter after the year 9999', { createdAfter: new Date(Date.UTC(10_000, 0, 1)) }, 'filters.createdAfter'],
  ['filters that are a hostile proxy', hostileProxy() as Record<string, unknown>, 'arguments'],
];

export function describeHostileInput(ctx: ConformanceContext): void {
  describe('validation of anything a caller can pass', () => {
    for (const testCase of CREATE_CASES) {
      it(`createIncident rejects ${testCase.label} naming ${String(testCase.field)}, with a short message, writing nothing`, async () => {
        const p = uniquePrefix('hostile-create');
        const event = { ...makeEvent(`${p}-f`), ...testCase.event };
        const incident = { ...makeIncident(`${p}-i`, makeEvent(`${p}-f`)), ...testCase.incident };
        const error = await expectValidation(
          ctx.store().createIncident((testCase.whole?.incident ?? incident) as Incident, (testCase.whole?.event ?? event) as FaultEvent),
          testCase.field,
        );
        expect(error.message.length).toBeLessThan(MAX_MESSAGE_CHARS);
        await expectNoIncident(ctx.store(), `${p}-i`, `${p}-f`);
      });
    }

    it(`accepts ids and keys of exactly ${KEY} bytes, and a circular object where only its known fields are read`, async () => {
      const p = uniquePrefix('hostile-limit');
      const id = `${p}-`.padEnd(KEY, 'x');
      const event = { ...makeEvent(`${p}-f`), resource: { ...circular(), apiVersion: 'v1', kind: 'Pod', name: 'p' } };
      const incident = makeIncident(id, event, { namespace: 'n'.repeat(KEY) });
      await ctx.store().createIncident(incident, event as FaultEvent);
      expect((await ctx.store().getIncident(id)).namespace).toBe('n'.repeat(KEY));
      expect((await ctx.store().getFaultEvent(`${p}-f`)).resource).toStrictEqual({ apiVersion: 'v1', kind: 'Pod', name: 'p' });
    });

    for (const [label, options, field] of OPTION_CASES) {
      it(`rejects ${label} as options with ValidationError naming ${field}`, async () => {
        const p = uniquePrefix('hostile-options');
        const event = makeEvent(`${p}-f`);
        await expectValidation(ctx.store().createIncident(makeIncident(`${p}-i`, event), event, options as OperationOptions), field);
        await expectValidation(ctx.store().getIncident(`${p}-i`, options as OperationOptions), field);
        await expectValidation(ctx.store().transaction(async () => undefined, options as OperationOptions), field);
        await expectNoIncident(ctx.store(), `${p}-i`, `${p}-f`);
      });
    }

    it('rejects a transaction whose fn is not a function, before anything runs', async () => {
      for (const fn of [42, undefined, 'fn', null, {}]) {
        await expectValidation(ctx.store().transaction(fn as unknown as (tx: StateStoreTransaction) => Promise<void>), 'fn');
      }
      // The store still works: nothing was left half open.
      const p = uniquePrefix('hostile-fn');
      await seedIncident(ctx.store(), `${p}-i`);
      expect((await ctx.store().getIncident(`${p}-i`)).incidentId).toBe(`${p}-i`);
    });

    for (const [label, filters, field] of FILTER_CASES) {
      it(`listIncidents and pageIncidents reject ${label}`, async () => {
        await expectValidation(ctx.store().listIncidents(filters as IncidentFilters), field);
        await expectValidation(ctx.store().pageIncidents(filters as IncidentFilters), field);
      });
    }

    it('the other methods reject hostile values naming the field', async () => {
      const p = uniquePrefix('hostile-other');
      const incident = await seedIncident(ctx.store(), `${p}-i`);
      await expectValidation(ctx.store().updateIncidentStatus(incident.incidentId, 'resolved', '2024-01-01' as unknown as Date), 'startedAt');
      await expectValidation(ctx.store().updateIncidentStatus(Symbol('id') as unknown as string, 'resolved'), 'incidentId');
      await expectValidation(ctx.store().completeIncident(incident.incidentId, 1n as unknown as number), 'exitCode');
      await expectValidation(ctx.store().completeIncident(incident.incidentId, 1, circular() as unknown as string), 'failureReason');
      await expectValidation(ctx.store().getIncident('x'.repeat(10_000_000)), 'incidentId');
      await expectValidation(ctx.store().getFaultEvent(123 as unknown as string), 'faultId');
      await expectValidation(ctx.store().listAgentExecutions(null as unknown as string), 'incidentId');
      const loops: Record<string, unknown> = { stdout: '/a' };
      loops['self'] = loops;
      const execution = { ...makeExecution(`${p}-e`, incident.incidentId), logPaths: loops } as unknown as AgentExecution;
      await expectValidation(ctx.store().recordAgentExecution(execution), /^execution\.logPaths/);
      const tooMany = Object.fromEntries(Array.from({ length: FIELD_LIMITS.logPathEntries + 1 }, (_, i) => [`log${i}`, `/var/log/${i}`]));
      await expectValidation(ctx.store().recordAgentExecution({ ...makeExecution(`${p}-e`, incident.incidentId), logPaths: tooMany }), /^execution\.logPaths/);
      expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([]);
      expect(await ctx.store().getIncident(incident.incidentId)).toStrictEqual(incident);
    });
  });
}
