import { expect } from 'vitest';
import type { StateStore } from '@nightcrier/storage-core';
import { TcpProxy } from './tcp-proxy.js';
import { type CallOutcome, checkHonesty, runWriters } from './write-workload.js';

const CUT_MS = 5000;
const AFTER_HEAL_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Store settings both server adapters take. */
export interface NetworkCutConfig {
  pool: { maxOpenConns: number; maxIdleConns?: number };
  defaultTimeoutMs?: number;
  keepAliveMs?: number;
  connectTimeoutMs?: number;
}

/** The cases every server adapter runs the scenario with. */
export const NETWORK_CUT_CASES: ReadonlyArray<{ name: string; config: NetworkCutConfig }> = [
  { name: 'pool of 25, calls with a 1 s deadline', config: { pool: { maxOpenConns: 25, maxIdleConns: 25 }, defaultTimeoutMs: 1000 } },
  { name: 'pool of 5, calls with a 1 s deadline', config: { pool: { maxOpenConns: 5 }, defaultTimeoutMs: 1000 } },
  // Without deadlines only the store's own liveness check frees calls stuck on a silent connection.
  { name: 'pool of 5, calls without a deadline', config: { pool: { maxOpenConns: 5 }, keepAliveMs: 2000, connectTimeoutMs: 2000 } },
];

export interface NetworkCutScenario {
  /** For the log line. */
  name: string;
  /** The server the proxy forwards to. */
  server: { host: string; port: number };
  /** Opens a store whose connections go to `port` on 127.0.0.1 (the proxy) instead of the server. */
  open(port: number): Promise<StateStore>;
  /** The incident ids of `cluster` the database really holds, read past the proxy. */
  storedIds(cluster: string): Promise<Set<string>>;
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
    /** A call after the heal still held up, say by a lock that a session lost in the cut keeps. */
    slowestMs: Math.max(0, ...after.map((outcome) => outcome.endedAt - outcome.startedAt)),
  };
}

/**
 * 25 writers through a proxy that silently drops every connection's state, black-holes new
 * connections for 5 s, then lets new ones through: what a NAT or a load balancer losing its state
 * does. Asserts that calls succeed again soon after the heal, health() passes, close() settles, and
 * no acknowledged write is lost or failed write misreported. The same scenario for every server adapter.
 */
export async function expectToSurviveNetworkCut(scenario: NetworkCutScenario): Promise<void> {
  const proxy = await TcpProxy.start(scenario.server);
  const prefix = `cut-${Math.random().toString(36).slice(2, 10)}`;
  let store: StateStore | undefined;
  try {
    store = await scenario.open(proxy.port);
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

    const honesty = checkHonesty(outcomes, await scenario.storedIds(prefix));
    const back = recovery(outcomes, healedAt);
    console.log(
      `${scenario.name}: ${honesty.calls} calls, ${honesty.acknowledged} acknowledged, ${honesty.lost.length} lost, ` +
        `${honesty.misreported.length} misreported, ${honesty.unknown} outcome-unknown; after the heal ${back.succeededAfterHeal}/` +
        `${back.startedAfterHeal} succeeded, first success ${back.firstSuccessMs} ms, last failure started at ` +
        `+${back.lastFailureStartMs} ms; slowest call after it ${back.slowestMs} ms; close() ${closeMs} ms; failures ${JSON.stringify(honesty.failures)}`,
      outcomes.filter((o) => !o.ok && o.code !== 'TIMEOUT').slice(0, 3).map((o) => `${o.endedAt - o.startedAt} ms ${o.message}`),
    );
    expect(honesty.lost).toEqual([]);
    expect(honesty.misreported).toEqual([]);
    expect(back.firstSuccessMs).toBeDefined();
    // Generous bounds for a loaded 2-core machine: recovery takes a deadline plus a grace, or a liveness check.
    expect(back.firstSuccessMs as number).toBeLessThan(8000);
    expect(back.lastFailureStartMs).toBeLessThan(8000);
    expect(back.succeededAfterHeal).toBeGreaterThan(back.startedAfterHeal / 2);
    expect(back.slowestMs).toBeLessThan(8000);
    expect(closeMs).toBeLessThan(12_000);
  } finally {
    await store?.close().catch(() => undefined);
    await proxy.close();
  }
}
