import { describe, expect, it } from 'vitest';
import type { StateStore } from '@nightcrier/storage-core';
import { TcpProxy } from '../../../test-support/tcp-proxy.js';
import { type CallOutcome, checkHonesty, runWriters } from '../../../test-support/write-workload.js';
import { createPostgresStateStore, type PostgresStoreConfig } from '../src/index.js';
import { adminQuery, freshDatabase, uniqueTag } from './support/store-fixtures.js';

const CUT_MS = 5000;
const AFTER_HEAL_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Case {
  name: string;
  config: Omit<PostgresStoreConfig, 'url'>;
}

// 25 writers through a proxy that silently drops every connection's state, black-holes new
// connections for 5 s, then lets new ones through: what a NAT or a load balancer losing its state does.
const CASES: readonly Case[] = [
  { name: 'pool of 25, calls with a 1 s deadline', config: { pool: { maxOpenConns: 25, maxIdleConns: 25 }, defaultTimeoutMs: 1000 } },
  { name: 'pool of 5, calls with a 1 s deadline', config: { pool: { maxOpenConns: 5 }, defaultTimeoutMs: 1000 } },
  // Without deadlines only the store's own liveness check frees calls stuck on a silent connection.
  { name: 'pool of 5, calls without a deadline', config: { pool: { maxOpenConns: 5 }, keepAliveMs: 2000, connectTimeoutMs: 2000 } },
];

async function storedIds(url: string, prefix: string): Promise<Set<string>> {
  const rows = await adminQuery<{ incident_id: string }>('select incident_id from incidents where cluster = $1', [prefix], url);
  return new Set(rows.map((row) => row.incident_id));
}

/** Seconds from the heal until the first call started after it succeeded, and the last failure's start. */
function recovery(outcomes: readonly CallOutcome[], healedAt: number) {
  const after = outcomes.filter((outcome) => outcome.startedAt >= healedAt).sort((a, b) => a.startedAt - b.startedAt);
  const firstSuccess = after.find((outcome) => outcome.ok);
  const lastFailure = after.filter((outcome) => !outcome.ok).pop();
  return {
    startedAfterHeal: after.length,
    succeededAfterHeal: after.filter((outcome) => outcome.ok).length,
    firstSuccessMs: firstSuccess === undefined ? undefined : firstSuccess.endedAt - healedAt,
    lastFailureStartMs: lastFailure === undefined ? 0 : lastFailure.startedAt - healedAt,
  };
}

describe('PostgreSQL keeps serving through a silent network cut', () => {
  for (const { name, config } of CASES) {
    it(
      `${name}: calls succeed again soon after the network heals, health() passes, close() settles, no outcome misreported`,
      async () => {
        const database = await freshDatabase();
        const direct = new URL(database.url);
        const proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port) });
        const viaProxy = new URL(database.url);
        viaProxy.port = String(proxy.port);
        const prefix = uniqueTag('cut');
        let store: StateStore | undefined;
        try {
          store = await createPostgresStateStore({ ...config, url: viaProxy.toString(), migrate: false });
          const opened = store;
          let stop = false;
          const writing = runWriters(opened, { workers: 25, prefix, done: () => stop, pauseMs: 20 });
          await sleep(1000);
          proxy.cut();
          await sleep(CUT_MS);
          proxy.heal();
          const healedAt = Date.now();
          await sleep(AFTER_HEAL_MS);
          await opened.health({ timeoutMs: 5000 });
          stop = true;
          const outcomes = await writing;
          const closeStarted = Date.now();
          await opened.close();
          const closeMs = Date.now() - closeStarted;
          store = undefined;

          const honesty = checkHonesty(outcomes, await storedIds(database.url, prefix));
          const back = recovery(outcomes, healedAt);
          console.log(
            `${name}: ${honesty.calls} calls, ${honesty.acknowledged} acknowledged, ${honesty.lost.length} lost, ` +
              `${honesty.misreported.length} misreported, ${honesty.unknown} outcome-unknown; after the heal ${back.succeededAfterHeal}/` +
              `${back.startedAfterHeal} succeeded, first success ${back.firstSuccessMs} ms, last failure started at ` +
              `+${back.lastFailureStartMs} ms; close() ${closeMs} ms; failures ${JSON.stringify(honesty.failures)}`,
          );
          expect(honesty.lost).toEqual([]);
          expect(honesty.misreported).toEqual([]);
          expect(back.firstSuccessMs).toBeDefined();
          // Generous bounds for a loaded 2-core machine: recovery takes a deadline plus a grace, or a liveness check.
          expect(back.firstSuccessMs as number).toBeLessThan(8000);
          expect(back.lastFailureStartMs).toBeLessThan(8000);
          expect(back.succeededAfterHeal).toBeGreaterThan(back.startedAfterHeal / 2);
          expect(closeMs).toBeLessThan(12_000);
        } finally {
          await store?.close().catch(() => undefined);
          await proxy.close();
          await database.drop();
        }
      },
      90_000,
    );
  }
});
