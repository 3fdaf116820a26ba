import { describe, it } from 'vitest';
import { expectToSurviveNetworkCut, NETWORK_CUT_CASES } from '../../../test-support/network-cut-scenario.js';
import { createPostgresStateStore } from '../src/index.js';
import { adminQuery, freshDatabase } from './support/store-fixtures.js';

// The scenario and its cases are shared with every server adapter: test-support/network-cut-scenario.ts.
describe('PostgreSQL keeps serving through a silent network cut', () => {
  for (const { name, config } of NETWORK_CUT_CASES) {
    it(
      `${name}: calls succeed again soon after the network heals, health() passes, close() settles, no outcome misreported`,
      async () => {
        const database = await freshDatabase();
        const direct = new URL(database.url);
        try {
          await expectToSurviveNetworkCut({
            name: `PostgreSQL, ${name}`,
            server: { host: direct.hostname, port: Number(direct.port) },
            open: (port) => {
              const viaProxy = new URL(database.url);
              viaProxy.port = String(port);
              return createPostgresStateStore({ ...config, url: viaProxy.toString(), migrate: false });
            },
            storedIds: async (cluster) => {
              const rows = await adminQuery<{ incident_id: string }>('select incident_id from incidents where cluster = $1', [cluster], database.url);
              return new Set(rows.map((row) => row.incident_id));
            },
          });
        } finally {
          await database.drop();
        }
      },
      90_000,
    );
  }
});
