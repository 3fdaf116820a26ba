import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, type StateStore } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../../src/index.js';
import { adminQuery, faultEvent, incidentFor } from '../support/store-fixtures.js';
import { citusTestDatabase } from './support/citus-test-database.js';
import { workerOf } from './support/shard-placement.js';

const ROUNDS = 40;

/** How the two racing calls of each round came out. */
function tally(outcomes: PromiseSettledResult<unknown>[][]) {
  const count = { oneWon: 0, bothWon: 0, neitherWon: 0, otherErrors: [] as string[] };
  for (const round of outcomes) {
    const won = round.filter((outcome) => outcome.status === 'fulfilled').length;
    for (const outcome of round) {
      if (outcome.status === 'rejected' && !(outcome.reason instanceof ConflictError)) count.otherErrors.push(String(outcome.reason));
    }
    if (won === 1) count.oneWon += 1;
    else if (won === 2) count.bothWon += 1;
    else count.neitherWon += 1;
  }
  return count;
}

// The keys Citus cannot have (executionId, reportId alone; a foreign key to fault_events) still hold
// when two calls race on a cluster: the owner tables' primary keys decide, on whichever worker.
describe('Citus: ids unique across shards under concurrency', () => {
  let url = '';
  let store: StateStore;
  let incidents: string[] = [];

  beforeAll(async () => {
    url = await citusTestDatabase('uniqueness');
    store = await createPostgresStateStore({ url, pool: { maxOpenConns: 10 } });
    // Two incidents per round on different workers, so each race spans both.
    const created: string[] = [];
    for (let i = 0; created.length < 4 * ROUNDS; i += 1) {
      const id = `race-i-${i}`;
      await store.createIncident(incidentFor(id, faultEvent(`race-f-${i}`)), faultEvent(`race-f-${i}`));
      created.push(id);
    }
    incidents = created;
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  /** Round r's two incidents, on different workers. */
  async function pairFor(round: number): Promise<[string, string]> {
    const first = incidents[round] as string;
    const firstWorker = await workerOf(url, 'incidents', first);
    for (const other of incidents.slice(ROUNDS)) {
      if ((await workerOf(url, 'incidents', other)) !== firstWorker) return [first, other];
    }
    throw new Error('no incident on the other worker');
  }

  it(`two racing recordTriageReport of one reportId under incidents on different workers: exactly one wins, ${ROUNDS} rounds`, async () => {
    const execution = { executionId: 'race-report-exec', incidentId: incidents[0] as string, startedAt: new Date() };
    await store.recordAgentExecution(execution);
    const outcomes: PromiseSettledResult<unknown>[][] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const [a, b] = await pairFor(round);
      const report = { reportId: `race-r-${round}`, executionId: execution.executionId, generatedAt: new Date(), reportMarkdown: `round ${round}` };
      outcomes.push(await Promise.allSettled([store.recordTriageReport({ ...report, incidentId: a }), store.recordTriageReport({ ...report, incidentId: b })]));
    }
    const count = tally(outcomes);
    const [stored] = await adminQuery<{ reports: number; owners: number }>(
      `select (select count(*)::int from triage_reports where report_id like 'race-r-%') as reports,
              (select count(*)::int from triage_report_owners where report_id like 'race-r-%') as owners`,
      [],
      url,
    );
    console.log(`racing reportIds: ${ROUNDS} rounds, ${count.oneWon} won once, ${count.bothWon} both, ${count.neitherWon} neither; ${stored?.reports} reports and ${stored?.owners} owner rows stored`);
    expect(count).toEqual({ oneWon: ROUNDS, bothWon: 0, neitherWon: 0, otherErrors: [] });
    expect(stored).toEqual({ reports: ROUNDS, owners: ROUNDS });
  }, 120_000);

  it(`two racing first recordAgentExecution of one executionId under incidents on different workers: one execution, owned by one of them, ${ROUNDS} rounds`, async () => {
    let misplaced = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const [a, b] = await pairFor(round);
      const executionId = `race-e-${round}`;
      const results = await Promise.allSettled([
        store.recordAgentExecution({ executionId, incidentId: a, startedAt: new Date(), exitCode: 1 }),
        store.recordAgentExecution({ executionId, incidentId: b, startedAt: new Date(), exitCode: 2 }),
      ]);
      // Both succeed, as on one server: the later one updates the execution the earlier one inserted.
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      const listed = [...(await store.listAgentExecutions(a)), ...(await store.listAgentExecutions(b))].filter((e) => e.executionId === executionId);
      const [owner] = await adminQuery<{ incident_id: string }>('select incident_id from agent_execution_owners where execution_id = $1', [executionId], url);
      if (listed.length !== 1 || listed[0]?.incidentId !== owner?.incident_id) misplaced += 1;
    }
    const [rows] = await adminQuery<{ count: number }>("select count(*)::int as count from agent_executions where execution_id like 'race-e-%'", [], url);
    console.log(`racing executionIds: ${ROUNDS} rounds, ${rows?.count} executions stored, ${misplaced} not where their owner row says`);
    expect(misplaced).toBe(0);
    expect(rows?.count).toBe(ROUNDS);
  }, 120_000);

  it(`two racing createIncident of one incidentId with different fault events: one wins, the loser leaves no fault event, ${ROUNDS} rounds`, async () => {
    const outcomes: PromiseSettledResult<unknown>[][] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const id = `race-dup-${round}`;
      const [first, second] = [faultEvent(`race-dup-f1-${round}`), faultEvent(`race-dup-f2-${round}`)];
      outcomes.push(await Promise.allSettled([store.createIncident(incidentFor(id, first), first), store.createIncident(incidentFor(id, second), second)]));
    }
    const count = tally(outcomes);
    // fault_events and incidents are not co-located (no join across them on Citus): compare the id sets.
    const events = await adminQuery<{ id: string }>("select fault_id as id from fault_events where fault_id like 'race-dup-f%'", [], url);
    const owners = new Set((await adminQuery<{ id: string }>("select fault_id as id from incidents where incident_id like 'race-dup-%'", [], url)).map((row) => row.id));
    const stored = { incidents: owners.size, events: events.length, orphans: events.filter((event) => !owners.has(event.id)).length };
    console.log(`racing incidentIds: ${ROUNDS} rounds, ${count.oneWon} won once; ${stored?.incidents} incidents, ${stored?.events} fault events, ${stored?.orphans} orphaned`);
    expect(count).toEqual({ oneWon: ROUNDS, bothWon: 0, neitherWon: 0, otherErrors: [] });
    expect(stored).toEqual({ incidents: ROUNDS, events: ROUNDS, orphans: 0 });
  }, 120_000);

  it('an unknown execution or incident writes nothing anywhere: no report, no execution, no owner row', async () => {
    const before = await adminQuery('select (select count(*)::int from agent_execution_owners) as e, (select count(*)::int from triage_report_owners) as r', [], url);
    await expect(store.recordTriageReport({ reportId: 'fk-r', incidentId: incidents[0] as string, executionId: 'fk-missing', generatedAt: new Date(), reportMarkdown: 'm' })).rejects.toMatchObject({ code: 'FOREIGN_KEY' });
    await expect(store.recordAgentExecution({ executionId: 'fk-e', incidentId: 'fk-missing-incident', startedAt: new Date() })).rejects.toMatchObject({ code: 'FOREIGN_KEY' });
    expect(await adminQuery('select (select count(*)::int from agent_execution_owners) as e, (select count(*)::int from triage_report_owners) as r', [], url)).toEqual(before);
  });
});
