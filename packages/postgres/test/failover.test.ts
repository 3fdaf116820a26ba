import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/free-port.js';
import { checkHonesty, runWriters } from '../../../test-support/write-workload.js';
import { createPostgresStateStore } from '../src/index.js';
import { parsePostgresUrl } from '../src/parse-postgres-url.js';
import { postgresConnectionFactory } from '../src/postgres-connections.js';
import { locateExternalTools } from './support/external-tools.js';
import { type ReplicaPair, startReplicaPair } from './support/replica-pair.js';
import { handOverToDatabaseUser } from './support/temp-postgres-server.js';
import { adminQuery, faultEvent, incidentFor, waitFor } from './support/store-fixtures.js';

const tools = locateExternalTools();
const WRITERS = 25;
/** Generous: the switch itself (stop, promote) takes about a second on an idle machine. */
const RESUME_BOUND_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A primary with a synchronous streaming standby of the test's own; the primary is killed under 25
// writers and the standby promoted: the store must find the new primary through its host list.
describe('PostgreSQL failover to a promoted standby through a multi-host URL', () => {
  let baseDirectory = '';
  let pair: ReplicaPair;
  let primaryPort = 0;
  let standbyPort = 0;
  const hostsUrl = (ports: number[], target: string) =>
    `postgres://postgres@${ports.map((port) => `127.0.0.1:${port}`).join(',')}/postgres?sslmode=disable&target_session_attrs=${target}`;

  beforeAll(async () => {
    if (tools.missing.length > 0) throw new Error(`the failover test needs ${tools.missing.join(', ')}`);
    baseDirectory = mkdtempSync(join(tmpdir(), 'nightcrier-pg-failover-'));
    await handOverToDatabaseUser(baseDirectory);
    pair = await startReplicaPair({ tools, baseDirectory });
    primaryPort = pair.primary.port;
    standbyPort = pair.standby.port;
  }, 180_000);

  afterAll(async () => {
    await pair?.stop();
    if (baseDirectory !== '') rmSync(baseDirectory, { recursive: true, force: true });
  });

  /** Where a connection the store's own factory opens for `url` lands: its server port and role. */
  async function landing(url: string): Promise<string> {
    const { hostConfigs, targetSessionAttrs } = parsePostgresUrl(url);
    const factory = postgresConnectionFactory(hostConfigs, { connectTimeoutMs: 5000, keepAliveMs: 0, targetSessionAttrs });
    const connection = await factory.open(() => undefined, undefined);
    try {
      const { rows } = await connection.client.query<{ port: number; standby: boolean }>('select inet_server_port() as port, pg_is_in_recovery() as standby');
      const row = rows[0];
      expect(connection.hostConfig.port).toBe(row?.port);
      return row?.port === primaryPort ? 'primary' : row?.port === standbyPort ? 'standby' : `port ${String(row?.port)}`;
    } finally {
      await factory.close(connection);
    }
  }

  it('before the failover, each target_session_attrs settles where libpq would, in host order', async () => {
    const closed = await freePort(); // nothing listens there: the walk passes over it
    const cases: Array<[number[], string, string]> = [
      [[primaryPort, standbyPort], 'any', 'primary'],
      [[standbyPort, primaryPort], 'any', 'standby'],
      [[standbyPort, primaryPort], 'read-write', 'primary'],
      [[standbyPort, primaryPort], 'primary', 'primary'],
      [[primaryPort, standbyPort], 'read-only', 'standby'],
      [[primaryPort, standbyPort], 'standby', 'standby'],
      [[primaryPort, standbyPort], 'prefer-standby', 'standby'],
      [[closed, primaryPort], 'prefer-standby', 'primary'],
      [[closed, standbyPort, primaryPort], 'read-write', 'primary'],
    ];
    for (const [ports, target, expected] of cases) {
      const where = await landing(hostsUrl(ports, target));
      console.log(`target_session_attrs=${target} over ${ports.map((port) => (port === primaryPort ? 'primary' : port === standbyPort ? 'standby' : 'closed')).join(',')} → ${where}`);
      expect(where, `${target} over ${ports.join(',')}`).toBe(expected);
    }

    // No host suits: a ConnectionError naming every host tried and why, without the password.
    const url = hostsUrl([closed, primaryPort], 'standby').replace('postgres@', 'postgres:hunter2@');
    const error: unknown = await createPostgresStateStore({ url, migrate: false }).then(
      async (store) => void (await store.close()),
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'CONNECTION', outcomeUnknown: false });
    const message = (error as Error).message;
    console.log(`no host suits: ${message}`);
    expect(message).toContain(`127.0.0.1:${closed} failed to connect`);
    expect(message).toContain(`127.0.0.1:${primaryPort} is not a standby`);
    expect(message).not.toContain('hunter2');

    // A store settled on the standby reads, and the server refuses its writes.
    const primaryStore = await createPostgresStateStore({ url: hostsUrl([primaryPort, standbyPort], 'read-write') });
    const standbyStore = await createPostgresStateStore({ url: hostsUrl([primaryPort, standbyPort], 'standby'), migrate: false });
    try {
      await primaryStore.health();
      const event = faultEvent(`standby-probe-${Date.now()}`);
      const incident = incidentFor(event.faultId, event);
      await expect(standbyStore.createIncident(incident, event)).rejects.toThrow(/read-only/);
      await primaryStore.createIncident(incident, event);
    } finally {
      await Promise.all([primaryStore.close(), standbyStore.close()]);
    }
  }, 120_000);

  it(`${WRITERS} writers through the switch: 0 acknowledged writes lost, every failure a ConnectionError, writes resume`, async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (error: unknown) => unhandled.push(error);
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    const store = await createPostgresStateStore({ url: hostsUrl([primaryPort, standbyPort], 'read-write'), connectTimeoutMs: 2000 });
    const prefix = `failover-${Date.now()}`;
    const countOn = async (port: number) =>
      Number((await adminQuery<{ n: string }>('select count(*) as n from incidents where cluster = $1', [prefix], pair.urlOf(port)))[0]?.n);
    let stop = false;
    try {
      const writing = runWriters(store, { workers: WRITERS, prefix, done: () => stop, pauseMs: 10 });
      expect(await waitFor(async () => (await countOn(primaryPort)) >= 200, 60_000, 50), 'writes on the primary').toBe(true);

      const stopIssuedAt = Date.now();
      await pair.primary.stop(); // pg_ctl stop -m immediate: every backend killed, no checkpoint
      const stoppedAt = Date.now();
      await sleep(500); // writers meet the gap: the primary gone, the standby still read-only
      const promoteAt = Date.now();
      await pair.standby.promote();
      const promotedAt = Date.now();
      const atPromotion = await countOn(standbyPort);
      const resumed = await waitFor(async () => (await countOn(standbyPort)) >= atPromotion + 200, 60_000, 50);
      stop = true;
      const outcomes = await writing;

      const stored = new Set(
        (await adminQuery<{ incident_id: string }>('select incident_id from incidents where cluster = $1', [prefix], pair.urlOf(standbyPort))).map(
          (row) => row.incident_id,
        ),
      );
      const honesty = checkHonesty(outcomes, stored);
      const failed = outcomes.filter((outcome) => !outcome.ok);
      // Resumed: the first success of a call that started once the primary was gone. A call that
      // merely ended after the stop may be a write the old primary acknowledged just before the kill.
      const firstSuccessAfter = Math.min(...outcomes.filter((outcome) => outcome.ok && outcome.startedAt > stoppedAt).map((outcome) => outcome.endedAt));
      const resumeMs = firstSuccessAfter - stoppedAt;
      // The earlier figure (any success that ended after the stop, from the stop's start), for comparison.
      const endedAfterMs = Math.min(...outcomes.filter((outcome) => outcome.ok && outcome.endedAt > stoppedAt).map((outcome) => outcome.endedAt)) - stopIssuedAt;
      console.log(
        `failover: ${WRITERS} writers, ${honesty.calls} calls, ${honesty.acknowledged} acknowledged, ` +
          `${honesty.acknowledged - honesty.lost.length} of them found on the new primary, ${honesty.lost.length} lost; ` +
          `${failed.length} failed ${JSON.stringify(honesty.failures)}, ${honesty.misreported.length} failed without outcomeUnknown yet stored; ` +
          `stop took ${stoppedAt - stopIssuedAt} ms, promote ${promotedAt - promoteAt} ms; ` +
          `first success of a call started after the stop: ${resumeMs} ms after the stop (${firstSuccessAfter - promotedAt} ms after the promotion); ` +
          `first success that merely ended after the stop: ${endedAfterMs} ms after the stop was issued; ` +
          `${unhandled.length} unhandled errors`,
      );
      const kinds = new Set(failed.map((outcome) => `${String(outcome.code)}${outcome.outcomeUnknown === true ? ' (outcome unknown)' : ''}: ${(outcome.message ?? '').replaceAll(prefix, '<id>').replace(/\d{3,}/g, 'N').slice(0, 200)}`));
      console.log(`failure messages seen:\n  ${[...kinds].join('\n  ')}`);

      expect(resumed, 'writes on the promoted standby').toBe(true);
      expect(honesty.lost).toEqual([]);
      expect(honesty.misreported).toEqual([]);
      expect(failed.filter((outcome) => outcome.code !== 'CONNECTION')).toEqual([]);
      expect(outcomes.filter((outcome) => outcome.ok && outcome.endedAt > promotedAt).length).toBeGreaterThanOrEqual(200);
      expect(Number.isFinite(resumeMs)).toBe(true);
      expect(resumeMs).toBeLessThan(RESUME_BOUND_MS);
      // The store goes on serving, on the new primary.
      await store.health();
      const after = faultEvent(`${prefix}-after`, prefix);
      await store.createIncident(incidentFor(after.faultId, after), after);
      expect(await adminQuery('select 1 from incidents where incident_id = $1', [after.faultId], pair.urlOf(standbyPort))).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      stop = true;
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
      await store.close();
    }
  }, 240_000);
});
