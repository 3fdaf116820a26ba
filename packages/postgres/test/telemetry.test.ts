import { afterAll, beforeAll, expect, inject } from 'vitest';
import { waitFor } from '../../../test-support/fixtures.js';
import { describeTelemetry } from '../../../test-support/telemetry-suite.js';
import { createPostgresStateStore } from '../src/index.js';
import { killSessionsOf, lockTable, sessionsOf, tagged, uniqueTag } from './support/store-fixtures.js';
import { cloneDatabase, dropDatabase } from './support/test-databases.js';

const adminUrl = inject('postgresAdminUrl');
// One migrated database for the file: the tests use ids of their own. The stores' sessions carry
// one application_name, so that the retry test can find them.
const applicationName = uniqueTag('otel');
let url = '';

beforeAll(async () => {
  url = await cloneDatabase(adminUrl, inject('postgresTemplate'));
});

afterAll(async () => {
  if (url !== '') await dropDatabase(adminUrl, url);
});

const server = new URL(adminUrl);

describeTelemetry('postgres', {
  open: (options) => createPostgresStateStore({ ...options, url: tagged(url, applicationName), migrate: false }),
  get serverAttributes() {
    return {
      'db.system.name': 'postgresql',
      'db.namespace': decodeURIComponent(new URL(url).pathname.slice(1)),
      'server.address': server.hostname,
      'server.port': Number(server.port || 5432),
    };
  },
  // unique_violation
  conflictStatusCode: '23505',
  // The read waits behind a table lock; its backend is terminated there (the connection is lost
  // mid-statement), so core runs it again on a new connection, which gets the row once the lock goes.
  retriedCall: async (store, incidentId) => {
    const lock = await lockTable(url, 'incidents');
    let released = false;
    try {
      const read = store.getIncident(incidentId);
      // Generous: the read must be running (so killing it loses the connection mid-statement).
      const waiting = await waitFor(async () => (await sessionsOf(applicationName)).some((session) => session.state === 'active'), 20_000);
      const killed = await killSessionsOf(applicationName);
      console.log(`read waiting on the lock: ${waiting}; sessions terminated: ${killed}`);
      expect(waiting).toBe(true);
      expect(killed).toBeGreaterThanOrEqual(1);
      await lock.release();
      released = true;
      await read;
    } finally {
      if (!released) await lock.release();
    }
  },
});
