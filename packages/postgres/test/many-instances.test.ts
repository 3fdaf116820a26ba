import { describe, expect, it } from 'vitest';
import { createPostgresStateStore } from '../src/index.js';
import { MIGRATIONS } from '../src/generated/migrations.js';
import { adminQuery, faultEvent, freshDatabase, incidentFor } from './support/store-fixtures.js';
import { migrateFromProcesses } from './support/migrate-from-processes.js';
import { createEmptyDatabase, dropDatabase } from './support/test-databases.js';
import { adminUrl } from './support/store-fixtures.js';


describe('several nightcrier instances on one PostgreSQL database', () => {
  it('two stores (two pools) creating incidents for the same 200 faults at once: no error, nothing lost, each fault once', async () => {
    const database = await freshDatabase();
    const [a, b] = await Promise.all([
      createPostgresStateStore({ url: database.url, migrate: false, pool: { maxOpenConns: 5 } }),
      createPostgresStateStore({ url: database.url, migrate: false, pool: { maxOpenConns: 5 } }),
    ]);
    try {
      const faults = Array.from({ length: 200 }, (_, i) => faultEvent(`shared-fault-${i}`, 'shared'));
      const results = await Promise.allSettled(
        faults.flatMap((event, i) => [
          a.createIncident(incidentFor(`a-${i}`, event), event),
          b.createIncident(incidentFor(`b-${i}`, event), event),
        ]),
      );
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(await a.listIncidents({ cluster: 'shared' })).toHaveLength(400);
      const [counts] = await adminQuery<{ faults: string; incidents: string }>(
        'select (select count(*) from fault_events) as faults, (select count(*) from incidents) as incidents',
        [],
        database.url,
      );
      expect(counts).toEqual({ faults: '200', incidents: '400' });
    } finally {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    }
  }, 60_000);

  it('two processes migrating one fresh database at once both succeed and apply each migration once', async () => {
    const url = await createEmptyDatabase(adminUrl(), 'nc_migrate_race');
    try {
      const applied = await migrateFromProcesses(url);
      const all = MIGRATIONS.map((file) => file.name);
      expect(applied).toEqual(all);
      const rows = await adminQuery<{ n: string }>('select count(*) as n from nightcrier_migrations', [], url);
      expect(rows[0]?.n).toBe(String(all.length));
    } finally {
      await dropDatabase(adminUrl(), url);
    }
  }, 60_000);
});
