import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { NotFoundError, OperationCancelledError, OperationTimeoutError, type StateStore } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../../src/index.js';
import { adminQuery, faultEvent, incidentFor, tagged, uniqueTag, waitFor } from '../support/store-fixtures.js';
import { citusNodeUrl } from './support/citus-cluster.js';
import { citusTestDatabase } from './support/citus-test-database.js';

const ROUNDS = 10;

// The PostgreSQL adapter's own reliability tests that make sense on a cluster, where a statement
// the store sends to the coordinator runs on a worker: cancellation and timeouts must stop it there
// too, a killed coordinator session must be replaced, and the pool must hold its bound.
describe('the PostgreSQL adapter on a Citus coordinator', () => {
  let url = '';
  let database = '';

  beforeAll(async () => {
    url = await citusTestDatabase('adapter');
    database = decodeURIComponent(new URL(url).pathname.slice(1));
    const store = await createPostgresStateStore({ url });
    await store.createIncident(incidentFor('held', faultEvent('held-f')), faultEvent('held-f'));
    await store.close();
  });

  /** Holds the row lock of incident `id` (on its worker) until `release()`. */
  async function holdIncidentRow(id: string): Promise<{ release: () => Promise<void> }> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('begin');
    await client.query("update incidents set status = 'pending' where incident_id = $1", [id]);
    return { release: async () => void (await client.query('rollback'), await client.end()) };
  }

  /** Statements of the coordinator's sessions of `tag` still running, and worker sessions waiting on a lock in this database. */
  async function stillRunning(tag: string): Promise<{ coordinator: number; workers: number }> {
    const [coordinator] = await adminQuery<{ count: number }>("select count(*)::int as count from pg_stat_activity where application_name = $1 and state = 'active'", [tag], url);
    let workers = 0;
    for (const port of inject('citusPorts').workers) {
      const [row] = await adminQuery<{ count: number }>(
        "select count(*)::int as count from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'",
        [database],
        citusNodeUrl(port, database),
      );
      workers += row?.count ?? 0;
    }
    return { coordinator: coordinator?.count ?? 0, workers };
  }

  async function openTagged(tag: string, maxOpenConns: number): Promise<StateStore> {
    return createPostgresStateStore({ url: tagged(url, tag), migrate: false, pool: { maxOpenConns } });
  }

  it(`cancelled and timed-out writes blocked on a worker's row lock: rejected, stopped on the worker too, ${ROUNDS} rounds each, one session throughout`, async () => {
    const tag = uniqueTag('citus-cancel');
    const store = await openTagged(tag, 1);
    const lock = await holdIncidentRow('held');
    const leftRunning: string[] = [];
    try {
      await store.health();
      const [session] = await adminQuery<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [tag], url);
      for (let round = 0; round < 2 * ROUNDS; round += 1) {
        const controller = new AbortController();
        const timedOut = round >= ROUNDS;
        const call = store.updateIncidentStatus('held', 'resolved', undefined, timedOut ? { timeoutMs: 150 } : { signal: controller.signal });
        expect(await waitFor(async () => (await stillRunning(tag)).workers === 1)).toBe(true);
        if (!timedOut) controller.abort();
        await expect(call).rejects.toBeInstanceOf(timedOut ? OperationTimeoutError : OperationCancelledError);
        const stopped = await waitFor(async () => {
          const running = await stillRunning(tag);
          return running.coordinator === 0 && running.workers === 0;
        }, 3000);
        if (!stopped) leftRunning.push(`round ${round}: ${JSON.stringify(await stillRunning(tag))}`);
      }
      const sessions = await adminQuery<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [tag], url);
      console.log(`Citus: ${ROUNDS} cancels and ${ROUNDS} timeouts of a write blocked on a worker; left running: ${leftRunning.length}; sessions ${JSON.stringify(sessions)}`);
      expect(leftRunning).toEqual([]);
      expect(sessions.map((row) => row.pid)).toEqual([session?.pid]);
      await lock.release();
      await store.updateIncidentStatus('held', 'investigating');
      expect((await store.getIncident('held')).status).toBe('investigating');
    } finally {
      await lock.release().catch(() => undefined);
      await store.close();
    }
  }, 90_000);

  it(`a killed coordinator session is replaced: ${ROUNDS} kills, the next call succeeds each time`, async () => {
    const tag = uniqueTag('citus-kill');
    const store = await openTagged(tag, 2);
    let succeeded = 0;
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        await expect(store.getIncident(`missing-${round}`)).rejects.toBeInstanceOf(NotFoundError);
        const killed = await adminQuery<{ done: boolean }>('select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = $1', [tag], url);
        expect(killed.length).toBeGreaterThan(0);
        await store.createIncident(incidentFor(`kill-${round}`, faultEvent(`kill-f-${round}`)), faultEvent(`kill-f-${round}`));
        succeeded += 1;
      }
      console.log(`Citus: ${ROUNDS} coordinator sessions killed, ${succeeded} calls after them succeeded`);
      expect(succeeded).toBe(ROUNDS);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('200 concurrent calls on a pool of 5: all succeed, never more than 5 coordinator sessions', async () => {
    const tag = uniqueTag('citus-pool');
    const store = await openTagged(tag, 5);
    let most = 0;
    const watching = setInterval(() => {
      void adminQuery<{ count: number }>('select count(*)::int as count from pg_stat_activity where application_name = $1', [tag], url).then(
        ([row]) => (most = Math.max(most, row?.count ?? 0)),
        () => undefined,
      );
    }, 20);
    try {
      const calls = Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0 ? store.createIncident(incidentFor(`pool-${i}`, faultEvent(`pool-f-${i}`)), faultEvent(`pool-f-${i}`)) : store.getIncident('held'),
      );
      const results = await Promise.allSettled(calls);
      const failed = results.filter((result) => result.status === 'rejected').length;
      console.log(`Citus pool: 200 calls, ${failed} failed, at most ${most} coordinator sessions (pool of 5), stats ${JSON.stringify(store.stats())}`);
      expect(failed).toBe(0);
      expect(store.stats().totalConnections).toBeLessThanOrEqual(5);
      expect(most).toBeLessThanOrEqual(5);
    } finally {
      clearInterval(watching);
      await store.close();
    }
  }, 60_000);

  // TLS is the adapter's own business with the server it connects to (packages/postgres/test/tls,
  // against psql): a coordinator is a PostgreSQL server like any other. The cluster here is started
  // without certificates, so the TLS matrix is not run again on it.
  it.skip('TLS to the coordinator — skipped: the test cluster has no certificates; the TLS matrix runs against single-node PostgreSQL', () => undefined);

});
