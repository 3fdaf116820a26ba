import { describeStateStoreConformance } from '@nightcrier/storage-core/conformance';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPostgresStateStore } from '../src/index.js';
import { cloneDatabase, dropDatabase } from './support/test-databases.js';

const adminUrl = inject('postgresAdminUrl');
let url = '';
let cleaner: pg.Client;

// One database cloned from the migrated template for this file; each test then starts from it
// emptied (TRUNCATE takes milliseconds where CREATE/DROP DATABASE per test takes ~0.4 s).
beforeAll(async () => {
  url = await cloneDatabase(adminUrl, inject('postgresTemplate'));
  cleaner = new pg.Client({ connectionString: url });
  await cleaner.connect();
});

afterAll(async () => {
  await cleaner?.end();
  if (url !== '') await dropDatabase(adminUrl, url);
});

describeStateStoreConformance('postgres', {
  open: async () => {
    await cleaner.query('truncate triage_reports, agent_executions, incidents, fault_events');
    return createPostgresStateStore({ url, migrate: false });
  },
});
