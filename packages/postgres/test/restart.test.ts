import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectHonestOutcomesThroughRestarts } from '../../../test-support/restart-scenario.js';
import { createPostgresStateStore } from '../src/index.js';
import { locateExternalTools } from './support/external-tools.js';
import { handOverToDatabaseUser, startTempPostgresServer, type TempPostgresServer } from './support/temp-postgres-server.js';

const ROUNDS = 3;
const tools = locateExternalTools();

async function storedIds(url: string, cluster: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ incident_id: string }>('select incident_id from incidents where cluster = $1', [cluster]);
    return new Set(rows.map((row) => row.incident_id));
  } finally {
    await client.end();
  }
}

// A throwaway server of our own, restarted with -m immediate under load: every backend dies at once,
// possibly between committing a write and answering it.
describe('PostgreSQL restarted with -m immediate under 25 writers', () => {
  let baseDirectory = '';
  let server: TempPostgresServer;

  beforeAll(async () => {
    if (tools.missing.length > 0) throw new Error(`the restart test needs ${tools.missing.join(', ')}`);
    baseDirectory = mkdtempSync(join(tmpdir(), 'nightcrier-pg-restart-'));
    await handOverToDatabaseUser(baseDirectory);
    server = await startTempPostgresServer({ tools, baseDirectory, name: 'restart', maxConnections: 60 });
  });

  afterAll(async () => {
    await server?.stop();
    if (baseDirectory !== '') rmSync(baseDirectory, { recursive: true, force: true });
  });

  it(`${ROUNDS} rounds: every resolved call is stored, every call rejected without outcomeUnknown is not`, async () => {
    const url = `postgres://postgres@127.0.0.1:${server.port}/postgres?sslmode=disable`;
    const store = await createPostgresStateStore({ url, pool: { maxOpenConns: 25, maxIdleConns: 25 }, connectTimeoutMs: 2000 });
    try {
      await expectHonestOutcomesThroughRestarts({
        name: 'immediate restarts',
        store,
        rounds: ROUNDS,
        restart: () => server.restart('immediate'),
        storedIds: (cluster) => storedIds(url, cluster),
      });
    } finally {
      await store.close();
    }
  }, 120_000);
});
