import { describe, expect, it } from 'vitest';
import { OperationTimeoutError, StateStoreError } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../src/index.js';
import {
  adminQuery,
  faultEvent,
  freshDatabase,
  incidentFor,
  lockIncidents,
  openFreshStore,
  sessionsOf,
  uniqueTag,
  waitFor,
} from './support/store-fixtures.js';
import { adminUrl } from './support/store-fixtures.js';
import { dropDatabase, uniqueDatabaseName, withDatabase } from './support/test-databases.js';

describe('PostgreSQL: what a call reports is what happened', () => {
  it('400 creates racing 40–280 ms deadlines on a pool of 5: reported success ⇔ stored, reported TIMEOUT ⇔ absent', async () => {
    const tag = uniqueTag('race');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 5, maxIdleConns: 5 } });
    try {
      await Promise.all(Array.from({ length: 5 }, () => store.listIncidents({ limit: 1 }))); // a warm pool
      const outcomes = await Promise.all(
        Array.from({ length: 400 }, async (_, i) => {
          const event = faultEvent(`${tag}-f${i}`, tag);
          try {
            await store.createIncident(incidentFor(`${tag}-i${i}`, event), event, { timeoutMs: 40 + (i % 81) * 3 });
            return { id: `${tag}-i${i}`, ok: true };
          } catch (error) {
            expect(error).toBeInstanceOf(OperationTimeoutError);
            return { id: `${tag}-i${i}`, ok: false };
          }
        }),
      );
      expect(await waitFor(async () => (await sessionsOf(tag)).every((s) => s.state !== 'active'), 5000)).toBe(true);
      const stored = new Set((await adminQuery<{ incident_id: string }>('select incident_id from incidents', [], url)).map((r) => r.incident_id));
      const lies = outcomes.filter((outcome) => outcome.ok !== stored.has(outcome.id));
      console.log(`400 racing creates: ${outcomes.filter((o) => o.ok).length} succeeded, ${lies.length} reported wrongly`);
      expect(lies).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('two timed-out calls in one transaction are both stopped on the server, and the transaction commits neither', async () => {
    const tag = uniqueTag('tx-two-timeouts');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 2 } });
    try {
      const event = faultEvent(`${tag}-f`, tag);
      await store.createIncident(incidentFor(`${tag}-i`, event), event);
      const lock = await lockIncidents(url);
      await store.transaction(async (tx) => {
        for (const status of ['resolved', 'failed'] as const) {
          await expect(tx.updateIncidentStatus(`${tag}-i`, status, undefined, { timeoutMs: 100 })).rejects.toBeInstanceOf(
            OperationTimeoutError,
          );
          expect(await waitFor(async () => (await sessionsOf(tag)).every((s) => s.state !== 'active'), 2000)).toBe(true);
        }
      });
      await lock.release();
      expect((await store.getIncident(`${tag}-i`)).status).toBe('investigating');
    } finally {
      await close();
    }
  });

  it('a failed write inside a transaction does not break reads running beside it', async () => {
    const tag = uniqueTag('tx-reads');
    const { store, close } = await openFreshStore(tag);
    try {
      const event = faultEvent(`${tag}-f`, tag);
      await store.createIncident(incidentFor(`${tag}-i`, event), event);
      await store.transaction(async (tx) => {
        const calls = [
          tx.createIncident(incidentFor(`${tag}-i`, event), event).then(
            () => 'created',
            (error: StateStoreError) => error.code,
          ),
          ...Array.from({ length: 30 }, () => tx.getIncident(`${tag}-i`).then(() => 'read', (error: StateStoreError) => error.code)),
        ];
        const results = await Promise.all(calls);
        expect(results[0]).toBe('CONFLICT');
        expect(results.slice(1).every((result) => result === 'read')).toBe(true);
      });
    } finally {
      await close();
    }
  });

  it("a database whose DateStyle and TimeZone differ from the server's reads timestamps right", async () => {
    const database = await freshDatabase();
    const name = new URL(database.url).pathname.slice(1);
    await adminQuery(`alter database "${name}" set datestyle = 'SQL, DMY'`);
    await adminQuery(`alter database "${name}" set timezone = 'America/Sao_Paulo'`);
    const store = await createPostgresStateStore({ url: database.url, migrate: false });
    try {
      const createdAt = new Date('1999-12-31T23:59:59.987Z');
      const event = faultEvent('datestyle-f');
      await store.createIncident({ ...incidentFor('datestyle-i', event), createdAt }, event);
      expect((await store.getIncident('datestyle-i')).createdAt).toStrictEqual(createdAt);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it('keeps working when a migration adds a column while its connections hold prepared statements', async () => {
    const tag = uniqueTag('add-column');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 1 } });
    try {
      const event = faultEvent(`${tag}-f`, tag);
      await store.createIncident(incidentFor(`${tag}-i`, event), event);
      await store.getIncident(`${tag}-i`);
      await store.listIncidents({ cluster: tag, limit: 5 });
      await adminQuery('alter table incidents add column added_later text', [], url);
      expect((await store.getIncident(`${tag}-i`)).incidentId).toBe(`${tag}-i`);
      expect(await store.listIncidents({ cluster: tag, limit: 5 })).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('waiting for a busy pool is bounded by the call, not by the connect timeout', async () => {
    const tag = uniqueTag('pool-wait');
    const { store, url, close } = await openFreshStore(tag, { pool: { maxOpenConns: 1 }, connectTimeoutMs: 300 });
    try {
      const lock = await lockIncidents(url);
      const blocked = store.getIncident('held').catch(() => undefined);
      expect(await waitFor(async () => store.stats().activeConnections === 1)).toBe(true);
      const waiting = store.listIncidents({ cluster: tag }).then(() => 'answered');
      await new Promise((resolve) => setTimeout(resolve, 800)); // well past connectTimeoutMs
      await lock.release();
      await blocked;
      expect(await waiting).toBe('answered');
    } finally {
      await close();
    }
  });

  it('orders equal createdAt by incidentId bytewise even in a database with a linguistic collation', async () => {
    const name = uniqueDatabaseName('nc_icu');
    await adminQuery(`create database "${name}" template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`);
    const url = withDatabase(adminUrl(), name);
    const store = await createPostgresStateStore({ url });
    try {
      const ids = ['Z', 'inc-9', 'inc-10', 'B', 'b', 'A', 'a', '_x'];
      const createdAt = new Date('2024-01-01T00:00:00.000Z');
      for (const id of ids) {
        const event = faultEvent(`f-${id}`, 'collation');
        await store.createIncident({ ...incidentFor(id, event), createdAt }, event);
      }
      const listed = (await store.listIncidents({ cluster: 'collation' })).map((incident) => incident.incidentId);
      const bytewiseDescending = [...ids].sort((x, y) => (Buffer.compare(Buffer.from(y), Buffer.from(x))));
      expect(listed).toEqual(bytewiseDescending);
    } finally {
      await store.close();
      await dropDatabase(adminUrl(), url);
    }
  });
});
