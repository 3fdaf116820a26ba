import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationCancelledError, type Incident } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../src/index.js';
import { MIGRATIONS } from '../src/generated/migrations.js';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer.js';
import { adminQuery, adminUrl, faultEvent, freshDatabase, incidentFor, lockIncidents, uniqueTag, waitFor } from './support/store-fixtures.js';
import { migrateFromProcesses } from './support/migrate-from-processes.js';
import { createEmptyDatabase, dropDatabase } from './support/test-databases.js';

// PgBouncer 1.24 in transaction mode, 5 server connections per database, prepared statements on.
let bouncer: PgBouncer;
beforeAll(async () => {
  bouncer = await startPgBouncer(adminUrl(), { maxPreparedStatements: 200, poolSize: 5 });
});
afterAll(async () => bouncer?.stop());

/** Server sessions on `url`'s database (PgBouncer's, since the store reaches it only through it). */
async function serverSessions(url: string): Promise<number> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const rows = await adminQuery<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [database]);
  return Number(rows[0]?.n);
}

describe('the PostgreSQL store through PgBouncer in transaction mode', () => {
  it('200 concurrent incident lifecycles through 5 server connections: 0 errors, 0 lost', async () => {
    const database = await freshDatabase();
    const store = await createPostgresStateStore({ url: bouncer.through(database.url), migrate: false });
    try {
      const ids = Array.from({ length: 200 }, (_, i) => `inc-bouncer-${i}`);
      const outcomes = await Promise.allSettled(
        ids.map(async (id, i) => {
          const event = faultEvent(`fault-bouncer-${i}`);
          await store.createIncident(incidentFor(id, event), event);
          await store.updateIncidentStatus(id, 'investigating', new Date());
          await store.recordAgentExecution({ executionId: `exec-${id}`, incidentId: id, startedAt: new Date() });
          await store.recordAgentExecution({ executionId: `exec-${id}`, incidentId: id, startedAt: new Date(), completedAt: new Date(), exitCode: 0 });
          await store.completeIncident(id, 0);
        }),
      );
      const errors = outcomes.filter((outcome) => outcome.status === 'rejected');
      const stored = await store.listIncidents({ limit: 0 });
      const resolved = stored.filter((incident) => incident.status === 'resolved' && incident.exitCode === 0).length;
      console.log(`PgBouncer, 200 lifecycles: ${200 - errors.length} succeeded, ${errors.length} errors, ${stored.length} stored, ${resolved} resolved`);
      expect(errors).toEqual([]);
      expect(stored.map((incident) => incident.incidentId).sort()).toEqual([...ids].sort());
      expect(resolved).toBe(200);
      expect(await serverSessions(database.url)).toBeLessThanOrEqual(5);
    } finally {
      await store.close();
      await database.drop();
    }
  }, 60_000);

  it('the settings the store makes (TimeZone, DateStyle) hold although a neighbour on the same pool changes them', async () => {
    const database = await freshDatabase();
    const store = await createPostgresStateStore({ url: bouncer.through(database.url), migrate: false });
    // A client sharing PgBouncer's server connections with other session settings: PgBouncer must
    // re-apply each client's reported parameters when it hands it a server connection.
    const neighbour = new pg.Client({ connectionString: bouncer.through(database.url) });
    await neighbour.connect();
    try {
      await neighbour.query("set timezone to 'Asia/Tokyo'");
      await neighbour.query("set datestyle to 'SQL, DMY'");
      let stop = false;
      const neighbourSeen = new Set<string>();
      const noise = (async () => {
        while (!stop) neighbourSeen.add(String((await neighbour.query('show timezone')).rows[0]?.['TimeZone']));
      })();
      const created: Incident[] = [];
      for (let i = 0; i < 100; i += 1) {
        const event = faultEvent(`fault-tz-${i}`);
        const incident = { ...incidentFor(`inc-tz-${i}`, event), createdAt: new Date(Date.UTC(2024, 1, 29, 23, 59, 59, i)) };
        await store.createIncident(incident, event);
        created.push(incident);
      }
      stop = true;
      await noise;
      for (const incident of created) {
        expect((await store.getIncident(incident.incidentId)).createdAt.toISOString()).toBe(incident.createdAt.toISOString());
      }
      expect([...neighbourSeen]).toEqual(['Asia/Tokyo']);
    } finally {
      await neighbour.end();
      await store.close();
      await database.drop();
    }
  }, 60_000);

  it('a call blocked on a lock is cancelled on the server (PgBouncer forwards the cancel request)', async () => {
    const database = await freshDatabase();
    const tag = uniqueTag('bouncer-cancel');
    const url = new URL(bouncer.through(database.url));
    url.searchParams.set('application_name', tag);
    const store = await createPostgresStateStore({ url: url.toString(), migrate: false, pool: { maxOpenConns: 1 } });
    const lock = await lockIncidents(database.url);
    const active = async () =>
      (await adminQuery<{ n: string }>("select count(*) as n from pg_stat_activity where application_name = $1 and state = 'active'", [tag]))[0]?.n;
    try {
      for (let round = 0; round < 5; round += 1) {
        const controller = new AbortController();
        const call = store.getIncident('blocked', { signal: controller.signal });
        expect(await waitFor(async () => (await active()) === '1')).toBe(true);
        controller.abort();
        await expect(call).rejects.toBeInstanceOf(OperationCancelledError);
        // Still locked: only a cancel that reached the server can have stopped the statement.
        expect(await waitFor(async () => (await active()) === '0', 2000)).toBe(true);
      }
    } finally {
      await lock.release();
      await store.close();
      await database.drop();
    }
  }, 60_000);

  it('two processes migrating one fresh database through PgBouncer apply each migration once', async () => {
    const url = await createEmptyDatabase(adminUrl(), 'nc_bouncer_migrate');
    try {
      const applied = await migrateFromProcesses(bouncer.through(url));
      expect(applied).toEqual(MIGRATIONS.map((file) => file.name));
      const rows = await adminQuery<{ n: string }>('select count(*) as n from nightcrier_migrations', [], url);
      expect(rows[0]?.n).toBe(String(MIGRATIONS.length));
      // No advisory lock is left held on a pooled server connection.
      const name = decodeURIComponent(new URL(url).pathname.slice(1));
      const locks = await adminQuery("select 1 from pg_locks l join pg_database d on d.oid = l.database where l.locktype = 'advisory' and d.datname = $1", [name]);
      expect(locks).toEqual([]);
    } finally {
      await dropDatabase(adminUrl(), url);
    }
  }, 60_000);
});
