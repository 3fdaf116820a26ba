import pg from 'pg';
import { checkBenchDatabaseName, databaseUrl } from '../harness/bench-database.js';
import { upMigrationSql } from '../harness/paths.js';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server URL: BENCH_POSTGRES_URL, else the local trust server. */
export function serverUrl(): string {
  return process.env['BENCH_POSTGRES_URL'] ?? DEFAULT_POSTGRES_URL;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops (if present) and creates the database `name`; returns its URL. */
export async function recreateDatabase(name: string): Promise<string> {
  checkBenchDatabaseName(name);
  await withAdmin(async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  return databaseUrl(serverUrl(), name);
}

export async function dropDatabase(name: string): Promise<void> {
  checkBenchDatabaseName(name);
  await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
}

/** Applies the repository's PostgreSQL up migrations at `url`, the schema the store migrates itself to. */
export async function migrateRaw(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of upMigrationSql('postgres')) await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function serverVersion(): Promise<string> {
  return withAdmin(async (client) => (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? 'unknown');
}

/** Sessions ever opened on `database` (pg_stat_database.sessions, PostgreSQL 14+): counts new connections. */
export async function sessionsOpened(database: string): Promise<number> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ sessions: string }>('select sessions from pg_stat_database where datname = $1', [database]);
    return Number(rows[0]?.sessions ?? 0);
  });
}

/**
 * The server sessions on `database` right now, each as `pid@backend_start` (a pid alone may be
 * reused by the OS; with its start instant it names one session).
 */
export async function backendsOf(database: string): Promise<string[]> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ backend: string }>(
      "select pid || '@' || to_char(backend_start, 'YYYY-MM-DD HH24:MI:SS.US') as backend from pg_stat_activity where datname = $1",
      [database],
    );
    return rows.map((row) => row.backend);
  });
}
