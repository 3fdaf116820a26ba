import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectHonestOutcomesThroughRestarts } from '../../../test-support/restart-scenario.js';
import { createMysqlStateStore } from '../src/index.js';
import { startTempMariadb, type TempMariadb } from './support/temp-mariadb-server.js';

const ROUNDS = 3;

async function storedIds(url: string, cluster: string): Promise<Set<string>> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await connection.query('SELECT CAST(incident_id AS CHAR) AS id FROM incidents WHERE cluster = ?', [cluster]);
    return new Set((rows as Array<{ id: string }>).map((row) => row.id));
  } finally {
    await connection.end();
  }
}

// A throwaway server of our own, SIGKILLed and restarted under load: every session dies at once,
// possibly between committing a write and answering it, and InnoDB recovers on the way up.
describe('MariaDB killed (SIGKILL) and restarted under 25 writers', () => {
  let server: TempMariadb;

  beforeAll(async () => {
    server = await startTempMariadb();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it(`${ROUNDS} rounds: every resolved call is stored, every call rejected without outcomeUnknown is not`, async () => {
    const url = server.url();
    const store = await createMysqlStateStore({ url, pool: { maxOpenConns: 25, maxIdleConns: 25 }, connectTimeoutMs: 2000 });
    try {
      await expectHonestOutcomesThroughRestarts({
        name: 'SIGKILL restarts',
        store,
        rounds: ROUNDS,
        restart: () => server.restart(true),
        storedIds: (cluster) => storedIds(url, cluster),
      });
    } finally {
      await store.close();
    }
  }, 180_000);
});
