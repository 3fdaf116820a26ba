import { exerciseListQueryShapes } from '@nightcrier/storage-core/conformance';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresStateStore } from '../src/index.js';
import { freshDatabase } from './support/store-fixtures.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

// A value of each parameter type the list queries use; the generic plan does not depend on it.
const SAMPLE_BY_TYPE: Readonly<Record<string, string>> = {
  text: 'x',
  'text[]': '{pending}',
  'timestamp with time zone': '2024-01-01T00:00:00Z',
  bigint: '50',
  integer: '50',
};

describe('PostgreSQL query plans', () => {
  it('every list and page query shape can walk an index: no sequential scan, no sort', async () => {
    const database = await freshDatabase();
    const statements = new Set<string>();
    const store = await createPostgresStateStore({ url: database.url, migrate: false, onQuery: (event) => statements.add(event.sql) });
    const client = new pg.Client({ connectionString: database.url });
    try {
      const calls = await exerciseListQueryShapes(store);
      const listQueries = [...statements].filter((sql) => /^select/i.test(sql) && /"(incidents|agent_executions|triage_reports)"/.test(sql));
      expect(calls).toBeGreaterThan(60);
      expect(listQueries.length).toBeGreaterThan(50);

      await client.connect();
      // The plan for any parameter values (what the store's named statements end up using), with
      // table scans and sorts priced out: if one still appears, no index can serve the query.
      await client.query('set plan_cache_mode = force_generic_plan; set enable_seqscan = off; set enable_sort = off');
      const offenders: string[] = [];
      for (const [index, sql] of listQueries.entries()) {
        const name = `plan_${index}`;
        await client.query(`prepare ${name} as ${sql}`);
        const { rows } = await client.query<{ types: string[] }>(
          'select parameter_types::text[] as types from pg_prepared_statements where name = $1',
          [name],
        );
        const types = rows[0]?.types ?? [];
        const values = types.map((type) => {
          const sample = SAMPLE_BY_TYPE[type];
          if (sample === undefined) throw new Error(`no sample value for parameter type ${type}`);
          return client.escapeLiteral(sample);
        });
        const explained = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
          `explain (format json) execute ${name}${values.length > 0 ? `(${values.join(', ')})` : ''}`,
        );
        const plan = explained.rows[0]?.['QUERY PLAN'][0]?.Plan;
        if (plan === undefined) throw new Error(`no plan for ${sql}`);
        const bad = nodes(plan).filter((node) => ['Seq Scan', 'Sort', 'Incremental Sort'].includes(node['Node Type']));
        if (bad.length > 0) offenders.push(`${sql}\n  → ${nodes(plan).map((node) => node['Node Type']).join(' > ')}`);
      }
      expect(offenders).toEqual([]);
    } finally {
      await client.end().catch(() => undefined);
      await store.close();
      await database.drop();
    }
  });
});
