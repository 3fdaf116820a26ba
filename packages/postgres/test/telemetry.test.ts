import { afterAll, beforeAll, inject } from 'vitest';
import { describeTelemetry } from '../../../test-support/telemetry-suite.js';
import { createPostgresStateStore } from '../src/index.js';
import { cloneDatabase, dropDatabase } from './support/test-databases.js';

const adminUrl = inject('postgresAdminUrl');
// One migrated database for the file: the tests use ids of their own.
let url = '';

beforeAll(async () => {
  url = await cloneDatabase(adminUrl, inject('postgresTemplate'));
});

afterAll(async () => {
  if (url !== '') await dropDatabase(adminUrl, url);
});

const server = new URL(adminUrl);

describeTelemetry('postgres', {
  open: (options) => createPostgresStateStore({ ...options, url, migrate: false }),
  get serverAttributes() {
    return {
      'db.system.name': 'postgresql',
      'db.namespace': decodeURIComponent(new URL(url).pathname.slice(1)),
      'server.address': server.hostname,
      'server.port': Number(server.port || 5432),
    };
  },
});
