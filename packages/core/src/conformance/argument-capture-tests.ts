import { describe, expect, it } from 'vitest';
import type { IncidentFilters } from '../domain/types.js';
import type { StateStoreOperations } from '../state-store.js';
import type { ConformanceContext } from './context.js';
import { fullResource, idsOf, makeEvent, makeExecution, makeFullIncident, makeReport, seedIncident, uniquePrefix } from './fixtures.js';

const FAR_FUTURE_MS = Date.UTC(10_000, 0, 1);

/**
 * Changes every field of `value` in place, the way a caller reusing one object in a loop would —
 * strings to NUL-holding text, Dates moved past the year 9999 (in place, and replaced), numbers to
 * fractions, nested objects likewise. A store that reads its arguments after the call returned
 * would store these, or fail on them.
 */
function poison(value: unknown, seen = new Set<unknown>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (typeof field === 'string') record[key] = `poisoned\u0000${field}`;
    else if (typeof field === 'number') record[key] = field + 0.5;
    else if (field instanceof Date) {
      field.setTime(FAR_FUTURE_MS);
      record[key] = new Date(FAR_FUTURE_MS);
    } else if (Array.isArray(field)) {
      field.push('poisoned');
      field.reverse();
    } else poison(field, seen);
  }
}

/** Runs `write` with its arguments, poisons them right after the call (before its promise settles), and awaits it. */
async function callThenPoison(write: Promise<unknown>, ...args: unknown[]): Promise<void> {
  for (const arg of args) poison(arg);
  await write;
}

function describeCapture(ctx: ConformanceContext, where: string, run: (fn: (ops: StateStoreOperations) => Promise<void>) => Promise<void>): void {
  it(`${where}: every write stores its arguments as they were at call time`, async () => {
    const p = uniquePrefix(`capture-${where.replace(/\W+/g, '-')}`);
    const event = makeEvent(`${p}-f`, { cluster: p, resource: fullResource() });
    const incident = makeFullIncident(`${p}-i`, event, { cluster: p });
    const execution = makeExecution(`${p}-e`, incident.incidentId, { completedAt: new Date('2024-05-01T10:09:00.000Z'), exitCode: 3, errorMessage: 'boom', logPaths: { stdout: '/var/log/a.out' } });
    const report = makeReport(`${p}-r`, incident.incidentId, execution.executionId, { reportHtml: '<h1>r</h1>' });
    const expected = structuredClone({ event, incident, execution, report });
    const startedAt = new Date('2024-05-01T10:07:00.000Z');
    await run(async (ops) => {
      await callThenPoison(ops.createIncident(incident, event), incident, event);
      await callThenPoison(ops.recordAgentExecution(execution), execution);
      await callThenPoison(ops.recordTriageReport(report), report);
      const statusAt = new Date(startedAt.getTime());
      const update = ops.updateIncidentStatus(expected.incident.incidentId, 'investigating', statusAt);
      statusAt.setTime(FAR_FUTURE_MS);
      await update;
    });
    const store = ctx.store();
    expect(await store.getFaultEvent(expected.event.faultId)).toStrictEqual(expected.event);
    expect(await store.getIncident(expected.incident.incidentId)).toStrictEqual({ ...expected.incident, status: 'investigating', startedAt });
    expect(await store.listAgentExecutions(expected.incident.incidentId)).toStrictEqual([expected.execution]);
    expect(await store.listTriageReports(expected.incident.incidentId)).toStrictEqual([expected.report]);
  });

  it(`${where}: list filters apply as they were at call time`, async () => {
    const p = uniquePrefix(`capture-filters-${where.replace(/\W+/g, '-')}`);
    await seedIncident(ctx.store(), `${p}-a`, { cluster: p, status: 'pending' });
    await seedIncident(ctx.store(), `${p}-b`, { cluster: p, status: 'failed' });
    const listed: string[][] = [];
    await run(async (ops) => {
      const filters: IncidentFilters = { cluster: p, status: ['pending'], createdBefore: new Date('2030-01-01T00:00:00.000Z') };
      const list = ops.listIncidents(filters);
      const page = ops.pageIncidents(filters);
      poison(filters);
      listed.push(idsOf(await list), idsOf((await page).incidents));
    });
    expect(listed).toEqual([[`${p}-a`], [`${p}-a`]]);
  });
}

/** Arguments are checked and copied when a method is called: nothing a caller changes afterwards reaches the database. */
export function describeArgumentCapture(ctx: ConformanceContext): void {
  describe('arguments are taken at call time', () => {
    describeCapture(ctx, 'outside a transaction', (fn) => fn(ctx.store()));
    describeCapture(ctx, 'inside a transaction', (fn) => ctx.store().transaction((tx) => fn(tx)));
  });
}
