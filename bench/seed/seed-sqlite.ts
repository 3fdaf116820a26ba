import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { createSqliteStateStore } from '@nightcrier/storage-sqlite';
import { seedRow } from './dataset.js';

const BATCH = 100_000;
const SEEDED_TABLES = ['fault_events', 'incidents'];

export interface SeedTiming {
  rows: number;
  insertMs: number;
  indexMs: number;
  totalMs: number;
}

/**
 * Builds the dataset in a fresh SQLite file: the store migrates it (so it is exactly the schema the
 * store reads, migration table included), then one prepared insert per table runs in transactions
 * of 100k rows with the secondary indexes dropped, and the indexes are rebuilt at the end.
 */
export async function seedSqlite(filename: string, count: number, log: (line: string) => void): Promise<SeedTiming> {
  const began = performance.now();
  mkdirSync(dirname(filename), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${filename}${suffix}`, { force: true });
  const store = await createSqliteStateStore({ filename });
  await store.close();

  const db = new BetterSqlite3(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  db.pragma('temp_store = MEMORY');
  const placeholders = SEEDED_TABLES.map((table) => `'${table}'`).join(', ');
  const indexes = db
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${placeholders})`)
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`drop index ${index.name}`);

  const insertEvent = db.prepare(
    `insert into fault_events (fault_id, received_at, subscription_id, cluster, resource_api_version, resource_kind, resource_name,
      resource_namespace, resource_uid, fault_type, severity, context, timestamp) values (?, ?, ?, ?, 'v1', 'Pod', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertIncident = db.prepare(
    `insert into incidents (incident_id, fault_id, status, created_at, started_at, completed_at, exit_code, failure_reason, cluster,
      namespace, resource_api_version, resource_kind, resource_name, resource_namespace, resource_uid, fault_type, severity, context,
      timestamp, triggering_event_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'v1', 'Pod', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i <= to; i += 1) {
      const r = seedRow(i, count);
      insertEvent.run(r.faultId, r.receivedAt, r.subscriptionId, r.cluster, r.podName, r.namespace, r.uid, r.faultType, r.severity, r.context, r.timestamp);
      insertIncident.run(r.incidentId, r.faultId, r.status, r.createdAt, r.startedAt, r.completedAt, r.exitCode, r.failureReason, r.cluster,
        r.namespace, r.podName, r.namespace, r.uid, r.faultType, r.severity, r.context, r.timestamp, r.faultId);
    }
  });
  const insertBegan = performance.now();
  for (let from = 1; from <= count; from += BATCH) {
    insertBatch(from, Math.min(count, from + BATCH - 1));
    log(`  sqlite: ${Math.min(count, from + BATCH - 1).toLocaleString('en-US')} incidents + events`);
  }
  const insertMs = performance.now() - insertBegan;
  const indexBegan = performance.now();
  for (const index of indexes) db.exec(index.sql);
  const indexMs = performance.now() - indexBegan;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { rows: count, insertMs, indexMs, totalMs: performance.now() - began };
}
