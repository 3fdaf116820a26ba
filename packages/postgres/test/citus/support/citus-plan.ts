import type pg from 'pg';

/** What the Citus coordinator plans for one statement, reduced to what the plan tests compare. */
export interface CitusPlan {
  /** The coordinator's own plan nodes, top down along the first child (e.g. Limit > Sort > Custom Scan). */
  coordinator: string[];
  /** "Task Count" of every distributed job in the plan, subplans (CTEs run first) included: 1 = one shard. */
  taskCounts: number[];
  /** The plan of each task of the main job on its worker (all of them with `citus.explain_all_tasks`), top down along the first child, with the index used. */
  remote: string[][];
}

/** A literal per parameter type, e.g. `{ text: 'cluster-3' }`: what the plan is made for. */
export type PlanSamples = Readonly<Record<string, string>>;

// A value of each parameter type the store's statements use; which shard a plan goes to depends on
// the distribution column being a constant, not on the value.
const SAMPLE_BY_TYPE: PlanSamples = {
  text: 'plan-sample',
  'text[]': '{pending}',
  'timestamp with time zone': '2024-05-01T00:00:00Z',
  bigint: '50',
  integer: '50',
  smallint: '1',
  jsonb: '{}',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  /** Citus's part of a Custom Scan: its jobs, tasks and their remote plans. */
  'Distributed Query'?: Json;
  Plans?: PlanNode[];
}

let prepared = 0;

/**
 * The coordinator's plan of `sql` (with `$n` placeholders): parameters become typed literals first,
 * because Citus decides the shard at planning time only from constants (it cannot EXPLAIN EXECUTE a
 * prepared statement whose parameters sit in a CTE).
 */
export async function citusPlanOf(client: pg.Client, sql: string, samples: PlanSamples = {}): Promise<CitusPlan> {
  prepared += 1;
  const name = `nc_plan_${prepared}`;
  await client.query(`prepare ${name} as ${sql}`);
  const { rows } = await client.query<{ types: string[] }>('select parameter_types::text[] as types from pg_prepared_statements where name = $1', [name]);
  await client.query(`deallocate ${name}`);
  const types = rows[0]?.types ?? [];
  const literal = sql.replace(/\$(\d+)/g, (_match, position: string) => {
    const type = types[Number(position) - 1] ?? 'unknown';
    const sample = samples[type] ?? SAMPLE_BY_TYPE[type];
    if (sample === undefined) throw new Error(`no sample value for parameter type ${type} in ${sql}`);
    return `${client.escapeLiteral(sample)}::${type}`;
  });
  const explained = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (format json) ${literal}`);
  const plan = explained.rows[0]?.['QUERY PLAN'][0]?.Plan;
  if (plan === undefined) throw new Error(`no plan for ${sql}`);
  return { coordinator: chain(plan), taskCounts: taskCounts(plan), remote: remotePlans(plan) };
}

function describeNode(node: PlanNode): string {
  return node['Index Name'] === undefined ? node['Node Type'] : `${node['Node Type']} using ${node['Index Name']}`;
}

function chain(plan: PlanNode): string[] {
  const first = plan.Plans?.[0];
  return [describeNode(plan), ...(first === undefined ? [] : chain(first))];
}

function taskCounts(value: Json | PlanNode): number[] {
  if (Array.isArray(value)) return value.flatMap(taskCounts);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]: [string, Json]) =>
    key === 'Task Count' && typeof inner === 'number' ? [inner] : taskCounts(inner),
  );
}

interface DistributedQuery {
  Job?: { Tasks?: { 'Remote Plan'?: { Plan: PlanNode }[][] }[] };
}

/** The node that runs the distributed query, nearest the top (a CTE's subplans hang below it). */
function distributedScan(plan: PlanNode): PlanNode | undefined {
  if (plan['Distributed Query'] !== undefined) return plan;
  for (const child of plan.Plans ?? []) {
    const found = distributedScan(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The plans of the main job's shown tasks on their workers. */
function remotePlans(plan: PlanNode): string[][] {
  const query = distributedScan(plan)?.['Distributed Query'] as DistributedQuery | undefined;
  return (query?.Job?.Tasks ?? []).flatMap((task) => {
    const remote = task['Remote Plan']?.[0]?.[0]?.Plan;
    return remote === undefined ? [] : [chain(remote)];
  });
}
