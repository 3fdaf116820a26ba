import { describeStateStoreConformance } from '@nightcrier/storage-core/conformance';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresStateStore } from '../../src/index.js';
import { citusTestDatabase } from './support/citus-test-database.js';

let url = '';
let cleaner: pg.Client;

// The whole conformance suite, unchanged, on the Citus coordinator: a database of the file's own,
// migrated once (the Citus layout, detected from the extension), emptied before each test. DELETE,
// not TRUNCATE: on a few rows it is one quick statement per shard, where TRUNCATE takes a lock and
// rewrites every shard (~0.6 s per test).
beforeAll(async () => {
  url = await citusTestDatabase('conformance');
  await (await createPostgresStateStore({ url })).close();
  cleaner = new pg.Client({ connectionString: url });
  await cleaner.connect();
});

afterAll(async () => {
  await cleaner?.end();
});

const TABLES = ['triage_report_owners', 'triage_reports', 'agent_execution_owners', 'agent_executions', 'incidents', 'fault_events'];

describeStateStoreConformance('postgres on Citus (coordinator + 2 workers, distributed tables)', {
  open: async () => {
    for (const table of TABLES) await cleaner.query(`delete from ${table}`);
    return createPostgresStateStore({ url, migrate: false });
  },
});
