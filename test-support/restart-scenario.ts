import { expect } from 'vitest';
import type { StateStore } from '@nightcrier/storage-core';
import { checkHonesty, runWriters } from './write-workload.js';

export interface RestartScenario {
  /** For the log line, e.g. `immediate restarts`. */
  name: string;
  store: StateStore;
  rounds: number;
  /** Kills and restarts the server: every session dies at once, possibly between a commit and its answer. */
  restart(): Promise<void>;
  /** The incident ids of `cluster` the database really holds. */
  storedIds(cluster: string): Promise<Set<string>>;
}

/**
 * 25 writers while the server is restarted `rounds` times: every resolved call must be stored, and
 * every call rejected without `outcomeUnknown` must not be. The same scenario for every server adapter.
 */
export async function expectHonestOutcomesThroughRestarts({ name, store, rounds, restart, storedIds }: RestartScenario): Promise<void> {
  const prefix = `restart-${Date.now()}`;
  let stop = false;
  const writing = runWriters(store, { workers: 25, prefix, done: () => stop, pauseMs: 5 });
  for (let round = 0; round < rounds; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await restart();
  }
  await new Promise((resolve) => setTimeout(resolve, 800));
  stop = true;
  const outcomes = await writing;
  const honesty = checkHonesty(outcomes, await storedIds(prefix));
  console.log(
    `${name} ×${rounds}: ${honesty.calls} calls, ${honesty.acknowledged} acknowledged, ${honesty.lost.length} lost, ` +
      `${honesty.misreported.length} misreported, ${honesty.unknown} outcome-unknown; failures ${JSON.stringify(honesty.failures)}`,
  );
  expect(honesty.lost).toEqual([]);
  expect(honesty.misreported).toEqual([]);
  expect(honesty.acknowledged).toBeGreaterThan(100);
  await store.health();
}
