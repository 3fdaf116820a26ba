// Seed data for the MySQL query-plan test. The optimizer is cost-based and has statistics: on a
// near-empty table a full scan is the cheapest plan whatever the indexes, so a plan test on the
// two rows `exerciseListQueryShapes` writes would prove nothing. This writes a few thousand rows
// with a skew like production's (most incidents resolved, a handful of clusters, many namespaces),
// including the exact filter values LIST_FILTER_SHAPES uses, then ANALYZE TABLE so the statistics
// describe them.
import type mysql from 'mysql2/promise';
import { mulberry32 } from '../../../core/src/conformance/random.js';

/** Incidents seeded; each gets a fault event, 1–2 agent executions and a triage report per execution. */
export const SEEDED_INCIDENTS = 20_000;

// The values LIST_FILTER_SHAPES filters on are among these, at realistic frequencies.
const CLUSTERS = ['plan-cluster', 'prod-eu-1', 'prod-eu-2', 'prod-us-1', 'prod-us-2', 'staging', 'dev', 'edge-ap-1'];
const NAMESPACES = ['plan-namespace', ...Array.from({ length: 24 }, (_, i) => `team-${i}`)];
const FAULT_TYPES = ['OOMKilled', 'CrashLoopBackOff', 'ImagePullBackOff', 'NodeNotReady', 'Evicted', 'ProbeFailed'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
// Cumulative weights: most incidents are long resolved, few are still open.
const STATUSES: ReadonlyArray<readonly [string, number]> = [
  ['resolved', 0.7],
  ['failed', 0.8],
  ['agent_failed', 0.85],
  ['investigating', 0.9],
  ['pending', 1],
];

const START_MS = Date.parse('2024-01-01T00:00:00.000Z');
const SPAN_MS = 365 * 24 * 3600 * 1000;

/** DATETIME(3) text in UTC, as the store writes it. */
const datetime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Inserts `rows` in batches: one multi-row INSERT per batch (mysql2 expands the nested array). */
async function insertRows(connection: mysql.Connection, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    await connection.query(`INSERT INTO \`${table}\` (${columns.map((column) => `\`${column}\``).join(', ')}) VALUES ?`, [rows.slice(start, start + 500)]);
  }
}

/** Fills a migrated, empty store database with SEEDED_INCIDENTS incidents and their children, then analyzes it. */
export async function seedPlanData(connection: mysql.Connection): Promise<void> {
  const random = mulberry32(20240501);
  const pick = <T>(pool: readonly T[]): T => pool[Math.floor(random() * pool.length)] as T;
  const events: unknown[][] = [];
  const incidents: unknown[][] = [];
  const executions: unknown[][] = [];
  const reports: unknown[][] = [];
  for (let i = 0; i < SEEDED_INCIDENTS; i += 1) {
    const id = `seed-${String(i).padStart(5, '0')}`;
    const createdMs = START_MS + Math.floor(random() * SPAN_MS);
    const roll = random();
    const status = STATUSES.find(([, upTo]) => roll < upTo)?.[0] ?? 'resolved';
    const cluster = pick(CLUSTERS);
    const namespace = random() < 0.1 ? null : pick(NAMESPACES);
    const faultType = pick(FAULT_TYPES);
    const severity = pick(SEVERITIES);
    const at = datetime(createdMs);
    events.push([`fault-${id}`, at, 'sub-1', cluster, faultType, severity, 'seeded fault', new Date(createdMs).toISOString()]);
    incidents.push([id, `fault-${id}`, status, at, cluster, namespace, faultType, severity, 'seeded incident', new Date(createdMs).toISOString()]);
    const runs = random() < 0.3 ? 2 : 1;
    for (let run = 0; run < runs; run += 1) {
      const executionId = `exec-${id}-${run}`;
      const startedMs = createdMs + 1000 + run * 60_000;
      executions.push([executionId, id, datetime(startedMs), datetime(startedMs + 30_000), 0, JSON.stringify({ agent: `/logs/${executionId}.log` })]);
      reports.push([`report-${id}-${run}`, id, executionId, datetime(startedMs + 31_000), '# Triage\n\nseeded']);
    }
  }
  await insertRows(connection, 'fault_events', ['fault_id', 'received_at', 'subscription_id', 'cluster', 'fault_type', 'severity', 'context', 'timestamp'], events);
  await insertRows(
    connection,
    'incidents',
    ['incident_id', 'fault_id', 'status', 'created_at', 'cluster', 'namespace', 'fault_type', 'severity', 'context', 'timestamp'],
    incidents,
  );
  await insertRows(connection, 'agent_executions', ['execution_id', 'incident_id', 'started_at', 'completed_at', 'exit_code', 'log_paths'], executions);
  await insertRows(connection, 'triage_reports', ['report_id', 'incident_id', 'execution_id', 'generated_at', 'report_markdown'], reports);
  // Fresh InnoDB statistics (row counts, index cardinalities) for the rows just written; without
  // them the optimizer would plan with whatever it sampled while the tables were nearly empty.
  await connection.query('ANALYZE TABLE fault_events, incidents, agent_executions, triage_reports');
}
