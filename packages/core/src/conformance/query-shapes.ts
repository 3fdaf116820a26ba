import type { IncidentFilters } from '../domain/types.js';
import type { StateStore } from '../state-store.js';
import { makeEvent, makeIncident } from './fixtures.js';

const AFTER = new Date('2024-01-01T00:00:00.000Z');
const BEFORE = new Date('2030-01-01T00:00:00.000Z');

/** The filter combinations whose SQL shapes an adapter's query-plan test should check. */
export const LIST_FILTER_SHAPES: readonly Omit<IncidentFilters, 'limit' | 'offset'>[] = [
  {},
  { status: ['pending'] },
  { status: ['pending', 'investigating', 'failed'] },
  { cluster: 'plan-cluster' },
  { namespace: 'plan-namespace' },
  { faultType: 'OOMKilled' },
  { severity: 'critical' },
  { createdAfter: AFTER },
  { createdBefore: BEFORE },
  { createdAfter: AFTER, createdBefore: BEFORE },
  { cluster: 'plan-cluster', status: ['failed', 'agent_failed'] },
  { cluster: 'plan-cluster', createdAfter: AFTER, createdBefore: BEFORE },
  { namespace: 'plan-namespace', status: ['resolved'], severity: 'critical' },
  {
    status: ['pending', 'resolved'],
    cluster: 'plan-cluster',
    namespace: 'plan-namespace',
    faultType: 'OOMKilled',
    severity: 'critical',
    createdAfter: AFTER,
    createdBefore: BEFORE,
  },
];

/**
 * Issues every list and page query shape the store has — each filter combination above as a plain
 * list, with a limit, with limit and offset, as a first page and as a cursor page — plus the
 * execution and report lists, so an adapter test that records the SQL (e.g. through `onQuery`) can
 * check each one's plan. Returns how many calls it made.
 */
export async function exerciseListQueryShapes(store: StateStore): Promise<number> {
  const first = makeEvent('plan-shapes-f1');
  const second = makeEvent('plan-shapes-f2');
  await store.createIncident(makeIncident('plan-shapes-1', first), first);
  await store.createIncident(makeIncident('plan-shapes-2', second), second);
  const { nextCursor } = await store.pageIncidents({ limit: 1 });
  if (nextCursor === undefined) throw new Error('expected a second page');
  let calls = 0;
  for (const filters of LIST_FILTER_SHAPES) {
    await store.listIncidents(filters);
    await store.listIncidents({ ...filters, limit: 50 });
    await store.listIncidents({ ...filters, limit: 50, offset: 100 });
    await store.pageIncidents({ ...filters, limit: 50 });
    await store.pageIncidents({ ...filters, limit: 50, cursor: nextCursor });
    calls += 5;
  }
  await store.listAgentExecutions('plan-shapes-1');
  await store.listTriageReports('plan-shapes-1');
  return calls + 2;
}
