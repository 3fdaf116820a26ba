import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createPostgresStateStore } from '@nightcrier/storage-postgres';
import { recreateDatabase } from '../postgres/postgres-admin.js';
import type { SeedTiming } from './seed-sqlite.js';
import { BASE_MS, FAULT_TYPES, HASH_MULTIPLIER, SEVERITIES, STATUSES, stepMs } from './dataset.js';

const BATCH = 100_000;
const textArray = (values: readonly string[]) => `array[${values.map((v) => `'${v}'`).join(', ')}]`;
const at = (ms: string) => `(timestamptz 'epoch' + (${ms}) * interval '1 millisecond')`;

/** The rows i = $1…$2 of the dataset, column for column what seedRow() computes in dataset.ts. */
const SEED_ROWS = `
  with g as (
    select i, (i::bigint * ${HASH_MULTIPLIER}) % 4294967296 as h from generate_series($1::int, $2::int) as i
  ), s as (
    select i, h,
      $3::bigint + i * $4::bigint + h % 2000 as created_ms,
      'cluster-' || lpad((h % 20)::text, 2, '0') as cluster,
      (${textArray(STATUSES)})[((h / 20) % 5)::int + 1] as status,
      'ns-' || ((h / 100) % 50) as ns,
      (${textArray(FAULT_TYPES)})[((h / 5000) % 6)::int + 1] as fault_type,
      (${textArray(SEVERITIES)})[((h / 30000) % 4)::int + 1] as severity,
      lpad(i::text, 7, '0') as n
    from g
  )
  select *, fault_type || ' on pod-' || n || ' in ' || ns || ': back-off restarting failed container' as context,
    to_char(${at('created_ms - 500')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ts
  from s`;

const INSERT_EVENTS = `
  insert into fault_events (fault_id, received_at, subscription_id, cluster, resource_api_version, resource_kind, resource_name,
    resource_namespace, resource_uid, fault_type, severity, context, timestamp)
  select 'flt-' || n, ${at('created_ms - 200')}, 'sub-' || (h % 3), cluster, 'v1', 'Pod', 'pod-' || n, ns, 'uid-' || n,
    fault_type, severity, context, ts
  from (${SEED_ROWS}) r`;

const INSERT_INCIDENTS = `
  insert into incidents (incident_id, fault_id, status, created_at, started_at, completed_at, exit_code, failure_reason, cluster,
    namespace, resource_api_version, resource_kind, resource_name, resource_namespace, resource_uid, fault_type, severity, context,
    timestamp, triggering_event_id)
  select 'inc-' || n, 'flt-' || n, status, ${at('created_ms')},
    case when status = 'pending' then null else ${at('created_ms + 1000')} end,
    case when status in ('resolved', 'failed', 'agent_failed') then ${at('created_ms + 60000 + h % 100000')} end,
    case status when 'resolved' then 0 when 'failed' then 1 end,
    case status when 'failed' then 'agent exited with status 1' when 'agent_failed' then 'agent crashed' end,
    cluster, ns, 'v1', 'Pod', 'pod-' || n, ns, 'uid-' || n, fault_type, severity, context, ts, 'flt-' || n
  from (${SEED_ROWS}) r`;

/**
 * Builds the dataset in a fresh database `name`: the store migrates it, then `insert … select from
 * generate_series` in batches of 100k with the secondary indexes dropped (and FK triggers off: the
 * rows are consistent by construction), then the indexes are rebuilt and the tables analysed.
 */
export async function seedPostgres(name: string, count: number, log: (line: string) => void): Promise<SeedTiming> {
  const began = performance.now();
  const url = await recreateDatabase(name);
  const store = await createPostgresStateStore({ url });
  await store.close();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("set session_replication_role = replica; set synchronous_commit = off; set maintenance_work_mem = '512MB'");
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename in ('fault_events', 'incidents')
         and indexname not in (select conname from pg_constraint)`,
    );
    for (const index of indexes) await client.query(`drop index ${index.indexname}`);
    const insertBegan = performance.now();
    for (let from = 1; from <= count; from += BATCH) {
      const values = [from, Math.min(count, from + BATCH - 1), BASE_MS, stepMs(count)];
      await client.query(INSERT_EVENTS, values);
      await client.query(INSERT_INCIDENTS, values);
      log(`  postgres: ${Math.min(count, from + BATCH - 1).toLocaleString('en-US')} incidents + events`);
    }
    const insertMs = performance.now() - insertBegan;
    const indexBegan = performance.now();
    for (const index of indexes) await client.query(index.indexdef);
    await client.query('vacuum analyze fault_events');
    await client.query('vacuum analyze incidents');
    const indexMs = performance.now() - indexBegan;
    return { rows: count, insertMs, indexMs, totalMs: performance.now() - began };
  } finally {
    await client.end();
  }
}
