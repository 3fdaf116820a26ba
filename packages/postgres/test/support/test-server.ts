import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { locateExternalTools } from './external-tools.js';
import { handOverToDatabaseUser, startTempPostgresServer } from './temp-postgres-server.js';

/** A PostgreSQL server the tests may create and drop databases on. */
export interface TestServer {
  /** A superuser URL to the server's `postgres` database. */
  adminUrl: string;
  source: 'NIGHTCRIER_TEST_POSTGRES_URL' | 'testcontainers' | 'a throwaway cluster';
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function fromTestcontainers(): Promise<TestServer | undefined> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch {
    return undefined; // no container runtime answers here
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine').start();
  return { adminUrl: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
}

/**
 * A throwaway cluster from the machine's own PostgreSQL binaries (initdb, pg_ctl), in a folder below
 * the system temp folder that the `postgres` OS user can reach wherever the checkout lives; with a
 * password, TCP connections need it.
 */
export async function startThrowawayPostgres(password?: string): Promise<TestServer> {
  const tools = locateExternalTools();
  if (tools.missing.some((tool) => tool !== 'psql' && tool !== 'openssl')) {
    throw new Error(`a throwaway PostgreSQL cluster needs ${tools.missing.join(', ')}`);
  }
  const baseDirectory = mkdtempSync(join(tmpdir(), 'nightcrier-pg-'));
  await handOverToDatabaseUser(baseDirectory);
  const server = await startTempPostgresServer({ tools, baseDirectory, name: 'cluster', maxConnections: 200, ...(password === undefined ? {} : { password }) });
  const credentials = password === undefined ? 'postgres' : `postgres:${encodeURIComponent(password)}`;
  return {
    adminUrl: `postgres://${credentials}@127.0.0.1:${server.port}/postgres?sslmode=disable`,
    source: 'a throwaway cluster',
    stop: async () => {
      await server.stop();
      rmSync(baseDirectory, { recursive: true, force: true });
    },
  };
}

/**
 * The server for the PostgreSQL tests: `NIGHTCRIER_TEST_POSTGRES_URL` when set (an unreachable one
 * is an error, never a skip); otherwise a testcontainers container when a container runtime answers;
 * otherwise a throwaway cluster from the machine's PostgreSQL binaries. `NIGHTCRIER_TEST_POSTGRES=throwaway`
 * forces the last one.
 */
export async function startTestServer(): Promise<TestServer> {
  const url = process.env['NIGHTCRIER_TEST_POSTGRES_URL'];
  const forced = process.env['NIGHTCRIER_TEST_POSTGRES'] === 'throwaway';
  if (!forced && url !== undefined && url !== '') {
    const problem = await reachable(url);
    if (problem !== undefined) throw new Error(`NIGHTCRIER_TEST_POSTGRES_URL does not answer: ${problem}`);
    return { adminUrl: url, source: 'NIGHTCRIER_TEST_POSTGRES_URL', stop: async () => undefined };
  }
  if (!forced) {
    const container = await fromTestcontainers();
    if (container !== undefined) return container;
  }
  return startThrowawayPostgres();
}
