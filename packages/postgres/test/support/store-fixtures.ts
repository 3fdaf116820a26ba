import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FaultEvent, Incident, StateStore } from '@nightcrier/storage-core';
import { newIncidentFromEvent } from '@nightcrier/storage-core';
import { createPostgresStateStore, type PostgresStoreConfig } from '../../src/index.js';
import { cloneDatabase, dropDatabase } from './test-databases.js';

export const adminUrl = (): string => inject('postgresAdminUrl');

/** A fresh migrated database (cloned from the run's template) and a way to drop it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = await cloneDatabase(adminUrl(), inject('postgresTemplate'));
  return { url, drop: () => dropDatabase(adminUrl(), url) };
}

/** `url` with an `application_name`, so a test can find its own sessions in pg_stat_activity. */
export function tagged(url: string, applicationName: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
}

export function uniqueTag(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Runs one statement as the admin user, on `url`'s database when given. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
  url = adminUrl(),
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Server sessions of `applicationName`, with what each is doing. */
export function sessionsOf(applicationName: string): Promise<{ pid: number; state: string | null; query: string }[]> {
  return adminQuery('select pid, state, query from pg_stat_activity where application_name = $1', [applicationName]);
}

/** Terminates every server session of `applicationName`; returns how many. */
export async function killSessionsOf(applicationName: string): Promise<number> {
  const rows = await adminQuery<{ killed: boolean }>(
    'select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  return rows.filter((row) => row.killed).length;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return check();
}

export function faultEvent(faultId: string, cluster = 'pg-own'): FaultEvent {
  return {
    faultId,
    receivedAt: new Date(),
    subscriptionId: 'sub-1',
    cluster,
    resource: { apiVersion: 'v1', kind: 'Pod', name: `pod-${faultId}`, namespace: 'default' },
    faultType: 'CrashLoopBackOff',
    severity: 'high',
    context: 'back-off restarting failed container',
    timestamp: new Date().toISOString(),
  };
}

export function incidentFor(incidentId: string, event: FaultEvent): Incident {
  return newIncidentFromEvent(incidentId, event);
}

/** Opens a store on a fresh database; `close` closes it and drops the database. */
export async function openFreshStore(
  applicationName: string,
  config: Omit<PostgresStoreConfig, 'url'> = {},
): Promise<{ store: StateStore; url: string; close: () => Promise<void> }> {
  const database = await freshDatabase();
  const url = tagged(database.url, applicationName);
  const store = await createPostgresStateStore({ ...config, url, migrate: false });
  return {
    store,
    url,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** Holds an exclusive lock on `incidents` of `url`'s database until `release()`. */
export function lockIncidents(url: string): Promise<{ release: () => Promise<void> }> {
  return lockTable(url, 'incidents');
}

/** Holds an exclusive lock on `table` of `url`'s database until `release()`. */
export async function lockTable(url: string, table: string): Promise<{ release: () => Promise<void> }> {
  const untagged = new URL(url);
  untagged.searchParams.delete('application_name');
  const client = new pg.Client({ connectionString: untagged.toString() });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('begin');
  await client.query(`lock table ${table} in access exclusive mode`);
  let released = false;
  return {
    // Idempotent: a test may release in its body and again in its finally.
    release: async () => {
      if (released) return;
      released = true;
      await client.query('rollback');
      await client.end();
    },
  };
}
