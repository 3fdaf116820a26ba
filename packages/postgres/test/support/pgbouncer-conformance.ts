import { describeStateStoreConformance } from '@nightcrier/storage-core/conformance';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPostgresStateStore } from '../../src/index.js';
import { startPgBouncer, type PgBouncer } from './pgbouncer.js';
import { cloneDatabase, dropDatabase } from './test-databases.js';

/**
 * The whole conformance suite, unchanged, through a PgBouncer of its own in transaction mode with a
 * pool of 5 server connections, on one database cloned for the file. `urlParameters` are added to
 * the store's URL (the switch a pooler without prepared statements needs).
 */
export function describeConformanceThroughPgBouncer(name: string, maxPreparedStatements: number, urlParameters: Record<string, string> = {}): void {
  const adminUrl = inject('postgresAdminUrl');
  let url = '';
  let bouncer: PgBouncer;
  let cleaner: pg.Client;

  beforeAll(async () => {
    url = await cloneDatabase(adminUrl, inject('postgresTemplate'));
    bouncer = await startPgBouncer(adminUrl, { maxPreparedStatements, poolSize: 5 });
    cleaner = new pg.Client({ connectionString: url });
    await cleaner.connect();
  });

  afterAll(async () => {
    await cleaner?.end();
    await bouncer?.stop();
    if (url !== '') await dropDatabase(adminUrl, url);
  });

  describeStateStoreConformance(name, {
    open: async () => {
      await cleaner.query('truncate triage_reports, agent_executions, incidents, fault_events');
      const through = new URL(bouncer.through(url));
      for (const [key, value] of Object.entries(urlParameters)) through.searchParams.set(key, value);
      return createPostgresStateStore({ url: through.toString(), migrate: false });
    },
  });
}
