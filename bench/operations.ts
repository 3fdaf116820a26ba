import type { IncidentStatus } from '@nightcrier/storage-core';
import type { BenchTarget } from './harness/bench-target.js';
import type { OperationCall } from './harness/interleave.js';
import type { TargetKey } from './harness/targets.js';
import { DEEP_PAGE_ROWS, execution, type Fixture, LIST_CLUSTER, LIST_PAGE_SIZE, newIncidentInput, triageReport } from './workload.js';

/** Sets the chunk size: reads are µs-scale, writes commit, list calls decode 50 rows. */
export type OperationKind = 'read' | 'write' | 'list';

export interface OperationDef {
  /** CLI name; `--ops` matches it exactly or by the part before the dot. */
  key: string;
  title: string;
  kind: OperationKind;
  target?: TargetKey;
  /**
   * The timed call of one side. Called once per side with the same arguments, so both sides get
   * equal inputs; building inputs here keeps data generation out of the timing.
   */
  bind(target: BenchTarget, fixture: Fixture, total: number): Promise<OperationCall>;
}

const listFilters = Object.freeze({ cluster: LIST_CLUSTER, limit: LIST_PAGE_SIZE });

function cycle<T>(values: readonly T[]): (index: number) => T {
  if (values.length === 0) throw new Error('empty fixture');
  return (index) => values[index % values.length] as T;
}

/** The cursor after DEEP_PAGE_ROWS rows of the list cluster, found by walking the pages. */
async function deepCursor(target: BenchTarget): Promise<string> {
  let cursor: string | undefined;
  for (let skipped = 0; skipped < DEEP_PAGE_ROWS; skipped += LIST_PAGE_SIZE) {
    const page = await target.pageIncidents({ ...listFilters, ...(cursor === undefined ? {} : { cursor }) });
    if (page.nextCursor === undefined) throw new Error('list cluster too small for the deep page');
    cursor = page.nextCursor;
  }
  return cursor as string;
}

/**
 * A read keyed by one id per call, cycling over one of the fixture's id lists: the shape of every
 * lookup the benchmark times, so each differs only in which ids and which call.
 */
function readById(
  def: Pick<OperationDef, 'key' | 'title' | 'target'>,
  ids: (fixture: Fixture) => readonly string[],
  read: (target: BenchTarget, id: string) => Promise<unknown>,
): OperationDef {
  return {
    ...def,
    kind: 'read',
    async bind(target, fixture) {
      const id = cycle(ids(fixture));
      return (i) => read(target, id(i));
    },
  };
}

const STATUS_CYCLE: readonly IncidentStatus[] = ['investigating', 'pending'];

export const OPERATIONS: readonly OperationDef[] = [
  {
    key: 'createIncident',
    title: 'createIncident',
    kind: 'write',
    target: 'createIncident',
    async bind(target, _fixture, total) {
      const inputs = Array.from({ length: total }, (_, i) => newIncidentInput('create', i, `bench-create-${i % 4}`));
      return (i) => {
        const input = inputs[i]!;
        return target.createIncident(input.incident, input.event);
      };
    },
  },
  readById({ key: 'getIncident', title: 'getIncident', target: 'getIncident' }, (f) => f.readIds, (t, id) => t.getIncident(id)),
  readById({ key: 'getFaultEvent', title: 'getFaultEvent' }, (f) => f.readFaultIds, (t, id) => t.getFaultEvent(id)),
  {
    key: 'updateIncidentStatus',
    title: 'updateIncidentStatus',
    kind: 'write',
    async bind(target, fixture) {
      const id = cycle(fixture.writtenIds);
      const startedAt = Array.from({ length: 64 }, (_, i) => new Date(Date.UTC(2025, 1, 1) + i * 1000));
      return (i) => target.updateIncidentStatus(id(i), STATUS_CYCLE[i % 2]!, startedAt[i % 64]);
    },
  },
  {
    key: 'completeIncident',
    title: 'completeIncident',
    kind: 'write',
    async bind(target, fixture) {
      const id = cycle(fixture.writtenIds);
      return (i) => (i % 3 === 0 ? target.completeIncident(id(i), 1, 'agent exited with status 1') : target.completeIncident(id(i), 0));
    },
  },
  {
    key: 'recordAgentExecution.insert',
    title: 'recordAgentExecution (insert)',
    kind: 'write',
    target: 'recordAgentExecution',
    async bind(target, fixture, total) {
      const id = cycle(fixture.writtenIds);
      const inputs = Array.from({ length: total }, (_, i) => execution(`x-${i}`, id(i), i, false));
      return (i) => target.recordAgentExecution(inputs[i]!);
    },
  },
  {
    key: 'recordAgentExecution.upsert',
    title: 'recordAgentExecution (upsert)',
    kind: 'write',
    target: 'recordAgentExecution',
    async bind(target, fixture, total) {
      const id = cycle(fixture.writtenIds);
      const executionId = cycle(fixture.writtenExecutionIds);
      const inputs = Array.from({ length: total }, (_, i) => execution(executionId(i), id(i), i, true));
      return (i) => target.recordAgentExecution(inputs[i]!);
    },
  },
  {
    key: 'recordTriageReport',
    title: 'recordTriageReport',
    kind: 'write',
    async bind(target, fixture, total) {
      const id = cycle(fixture.writtenIds);
      const executionId = cycle(fixture.writtenExecutionIds);
      const inputs = Array.from({ length: total }, (_, i) => triageReport(`r-${i}`, id(i), executionId(i), i));
      return (i) => target.recordTriageReport(inputs[i]!);
    },
  },
  {
    key: 'listIncidents',
    title: 'listIncidents 50 rows',
    kind: 'list',
    target: 'list50',
    async bind(target) {
      return () => target.listIncidents(listFilters);
    },
  },
  {
    key: 'pageIncidents.first',
    title: 'pageIncidents 50 (first page)',
    kind: 'list',
    target: 'list50',
    async bind(target) {
      return () => target.pageIncidents(listFilters);
    },
  },
  {
    key: 'pageIncidents.deep',
    title: `pageIncidents 50 (keyset, ${DEEP_PAGE_ROWS} deep)`,
    kind: 'list',
    target: 'list50',
    async bind(target) {
      const filters = { ...listFilters, cursor: await deepCursor(target) };
      return () => target.pageIncidents(filters);
    },
  },
  readById({ key: 'listAgentExecutions', title: 'listAgentExecutions (3 rows)' }, (f) => f.historyIds, (t, id) => t.listAgentExecutions(id)),
  readById({ key: 'listTriageReports', title: 'listTriageReports (3 rows)' }, (f) => f.historyIds, (t, id) => t.listTriageReports(id)),
];

/** The operations `selection` names (exact key, or the part before the dot); all when empty. */
export function selectOperations(selection: readonly string[]): OperationDef[] {
  if (selection.length === 0) return [...OPERATIONS];
  const chosen = OPERATIONS.filter((op) => selection.some((name) => op.key === name || op.key.split('.')[0] === name));
  const unknown = selection.filter((name) => !OPERATIONS.some((op) => op.key === name || op.key.split('.')[0] === name));
  if (unknown.length > 0) throw new Error(`unknown operation(s) ${unknown.join(', ')}; known: ${OPERATIONS.map((op) => op.key).join(', ')}`);
  return chosen;
}

export { deepCursor, listFilters };
