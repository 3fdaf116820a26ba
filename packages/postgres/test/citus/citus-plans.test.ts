import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateStore } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../../src/index.js';
import { adminQuery, faultEvent, incidentFor } from '../support/store-fixtures.js';
import { citusTestDatabase } from './support/citus-test-database.js';
import { citusPlanOf, type CitusPlan, type PlanSamples } from './support/citus-plan.js';

const SEEDED = 20_000;
const SHARDS = 8;

// How the coordinator plans each call the store makes: a call about one incident goes to one shard
// (a router plan, "Task Count": 1), and a list or page asks every shard for its first rows in order,
// read off that shard's order index, then merges them.
describe('Citus query plans', () => {
  let url = '';
  let store: StateStore;
  let client: pg.Client;
  let statements: string[] = [];

  /** The statements `call` sent, each with the coordinator's plan for it. */
  async function plansOf(call: () => Promise<unknown>, samples: PlanSamples = {}): Promise<CitusPlan[]> {
    statements = [];
    await call();
    const sent = statements.filter((sql) => !/^(begin|commit|rollback|savepoint|release)/i.test(sql));
    expect(sent.length).toBeGreaterThan(0);
    return Promise.all(sent.map((sql) => citusPlanOf(client, sql, samples)));
  }

  beforeAll(async () => {
    url = await citusTestDatabase('plans');
    store = await createPostgresStateStore({ url, pool: { maxOpenConns: 2 }, onQuery: (event) => statements.push(event.sql) });
    // Enough rows per shard that an index walk beats a scan and sort of the shard.
    await adminQuery(
      `insert into fault_events (fault_id, received_at, subscription_id, cluster, fault_type, severity, context, timestamp)
         select 'seed-f-' || i, now(), 'sub', 'cluster-' || (i % 10), 'CrashLoopBackOff', 'high', 'ctx', '2024-05-01T00:00:00Z'
           from generate_series(1, ${SEEDED}) as i`,
      [],
      url,
    );
    await adminQuery(
      `insert into incidents (incident_id, fault_id, status, created_at, cluster, fault_type, severity, context, timestamp)
         select 'seed-i-' || i, 'seed-f-' || i, 'pending', now() - i * interval '1 minute', 'cluster-' || (i % 10),
                'CrashLoopBackOff', 'high', 'ctx', '2024-05-01T00:00:00Z'
           from generate_series(1, ${SEEDED}) as i`,
      [],
      url,
    );
    await adminQuery('analyze', [], url);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    // Every shard's plan in the EXPLAIN output, not only one of them.
    await client.query('set citus.explain_all_tasks = on');
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await store?.close();
  });

  it('getIncident, getFaultEvent and the updates of one incident are router plans: one shard', async () => {
    const event = faultEvent('plan-f-1');
    await store.createIncident(incidentFor('plan-i-1', event), event);
    const calls: Record<string, () => Promise<unknown>> = {
      getIncident: () => store.getIncident('plan-i-1'),
      getFaultEvent: () => store.getFaultEvent('plan-f-1'),
      updateIncidentStatus: () => store.updateIncidentStatus('plan-i-1', 'investigating', new Date()),
      completeIncident: () => store.completeIncident('plan-i-1', 0),
      listAgentExecutions: () => store.listAgentExecutions('plan-i-1'),
      listTriageReports: () => store.listTriageReports('plan-i-1'),
    };
    const taskCounts: Record<string, number[]> = {};
    for (const [name, call] of Object.entries(calls)) taskCounts[name] = (await plansOf(call)).flatMap((plan) => plan.taskCounts);
    console.log(`router plans, task counts per call: ${JSON.stringify(taskCounts)}`);
    for (const counts of Object.values(taskCounts)) expect(counts).toEqual([1]);
  });

  it('the writes of one incident touch one shard per table: each part of createIncident, recordAgentExecution and recordTriageReport is routed', async () => {
    const event = faultEvent('plan-f-2');
    const calls: Record<string, () => Promise<unknown>> = {
      createIncident: () => store.createIncident(incidentFor('plan-i-2', event), event),
      recordAgentExecution: () => store.recordAgentExecution({ executionId: 'plan-e-2', incidentId: 'plan-i-2', startedAt: new Date() }),
      recordTriageReport: () =>
        store.recordTriageReport({ reportId: 'plan-r-2', incidentId: 'plan-i-2', executionId: 'plan-e-2', generatedAt: new Date(), reportMarkdown: '# r' }),
    };
    const taskCounts: Record<string, number[]> = {};
    for (const [name, call] of Object.entries(calls)) taskCounts[name] = (await plansOf(call)).flatMap((plan) => plan.taskCounts);
    console.log(`two-key writes, task counts per part: ${JSON.stringify(taskCounts)}`);
    for (const counts of Object.values(taskCounts)) {
      expect(counts.length).toBeGreaterThan(0);
      expect(counts.every((count) => count === 1)).toBe(true);
    }
  });

  it(`lists and pages ask each of the ${SHARDS} shards for its first rows off the order index, and merge them on the coordinator`, async () => {
    const first = await store.pageIncidents({ limit: 50 });
    const firstOfCluster = await store.pageIncidents({ cluster: 'cluster-3', limit: 50 });
    // Plans are made for a cluster that has rows, past the cursor a walk's second page has.
    const samples = { text: 'cluster-3', 'timestamp with time zone': (firstOfCluster.incidents.at(-1)?.createdAt as Date).toISOString() };
    const byTime = 'idx_incidents_created_at';
    const byCluster = 'idx_incidents_cluster_created_at';
    const calls: Record<string, [() => Promise<unknown>, string]> = {
      listIncidents: [() => store.listIncidents({ limit: 50 }), byTime],
      'listIncidents by cluster': [() => store.listIncidents({ cluster: 'cluster-3', limit: 50 }), byCluster],
      pageIncidents: [() => store.pageIncidents({ limit: 50 }), byTime],
      'pageIncidents, a later page': [() => store.pageIncidents({ limit: 50, cursor: first.nextCursor as string }), byTime],
      'pageIncidents by cluster': [() => store.pageIncidents({ cluster: 'cluster-3', limit: 50 }), byCluster],
      'pageIncidents by cluster, a later page': [
        () => store.pageIncidents({ cluster: 'cluster-3', limit: 50, cursor: firstOfCluster.nextCursor as string }),
        byCluster,
      ],
    };
    const shapes: string[] = [];
    for (const [name, [call, index]] of Object.entries(calls)) {
      const [plan, ...others] = await plansOf(call, samples);
      expect(others).toEqual([]);
      if (plan === undefined) throw new Error(`no plan for ${name}`);
      const remote = [...new Set(plan.remote.map((nodes) => nodes.join(' > ').replace(/_\d+$/, '_<shard>')))];
      shapes.push(`${name}: coordinator ${plan.coordinator.join(' > ')}; ${plan.taskCounts.join(',')} tasks: ${remote.join(' | ')}`);
      const shape = shapes[shapes.length - 1];
      expect(plan.taskCounts, shape).toEqual([SHARDS]);
      // Each shard: a Limit straight over a walk of the order index (named <index>_<shard id> there),
      // no sort of the shard's rows.
      expect(plan.remote, shape).toHaveLength(SHARDS);
      for (const nodes of plan.remote) expect(nodes, shape).toEqual(['Limit', expect.stringMatching(new RegExp(`^Index Scan using ${index}_\\d+$`))]);
      // The coordinator merges the shards' answers (at most shards × limit rows) and keeps the first.
      expect(plan.coordinator, shape).toEqual(['Limit', 'Sort', 'Custom Scan']);
    }
    console.log(`list plans:\n  ${shapes.join('\n  ')}`);
  });
});
