import { performance } from 'node:perf_hooks';
import type { StateStore } from '@nightcrier/storage-core';
import { median, percentile } from '../harness/stats.js';

export interface LatencySummary {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
}

export interface WalkSummary {
  rows: number;
  pages: number;
  pageLimit: number;
  ms: number;
  rowsPerSecond: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssAfterMiB: number;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

/** Runs `call` `warmup` times untimed, then `runs` times timed one by one. */
export async function latency(call: () => Promise<unknown>, runs: number, warmup = 20): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i += 1) await call();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const began = performance.now();
    await call();
    times.push(performance.now() - began);
  }
  return { runs, medianMs: median(times), p95Ms: percentile(times, 0.95), minMs: Math.min(...times) };
}

/**
 * Times two calls alternately (a, b, a, b, …) after warming both up, so that both see the same
 * conditions (JIT, caches, server state): the fair way to compare a first page with a deep one.
 */
export async function latencyPair(a: () => Promise<unknown>, b: () => Promise<unknown>, runs: number, warmup = 50): Promise<[LatencySummary, LatencySummary]> {
  for (let i = 0; i < warmup; i += 1) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i += 1) {
    for (const [k, call] of [a, b].entries()) {
      const began = performance.now();
      await call();
      times[k as 0 | 1].push(performance.now() - began);
    }
  }
  const summary = (t: number[]): LatencySummary => ({ runs, medianMs: median(t), p95Ms: percentile(t, 0.95), minMs: Math.min(...t) });
  return [summary(times[0]), summary(times[1])];
}

/** The cursor after `rows` rows of `cluster`, walking pages of `pageSize` from the start. */
export async function cursorAfter(store: StateStore, cluster: string, rows: number, pageSize: number): Promise<string> {
  let cursor: string | undefined;
  for (let walked = 0; walked < rows; walked += pageSize) {
    const page = await store.pageIncidents({ cluster, limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
    if (page.nextCursor === undefined) throw new Error(`cluster ${cluster} has fewer than ${rows} incidents: run pnpm bench:seed`);
    cursor = page.nextCursor;
  }
  return cursor as string;
}

/**
 * Walks every incident of `cluster` with pageIncidents, sampling process RSS after each page; the
 * pages are dropped as soon as they are counted, as a streaming consumer would.
 */
export async function walkCluster(store: StateStore, cluster: string, pageLimit: number): Promise<WalkSummary> {
  collect();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let rows = 0;
  let pages = 0;
  let cursor: string | undefined;
  let previous: { at: number; id: string } | undefined;
  const began = performance.now();
  do {
    const page = await store.pageIncidents({ cluster, limit: pageLimit, ...(cursor === undefined ? {} : { cursor }) });
    for (const incident of page.incidents) {
      const at = incident.createdAt.getTime();
      // Every row exactly once, in list order: strictly descending (createdAt, incidentId).
      if (previous !== undefined && (at > previous.at || (at === previous.at && incident.incidentId >= previous.id))) {
        throw new Error(`walk out of order at ${incident.incidentId}`);
      }
      previous = { at, id: incident.incidentId };
    }
    rows += page.incidents.length;
    pages += 1;
    cursor = page.nextCursor;
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  } while (cursor !== undefined);
  const ms = performance.now() - began;
  collect();
  const rssAfter = process.memoryUsage().rss;
  return {
    rows,
    pages,
    pageLimit,
    ms,
    rowsPerSecond: Math.round(rows / (ms / 1000)),
    rssBeforeMiB: mib(rssBefore),
    rssPeakMiB: mib(rssPeak),
    rssAfterMiB: mib(rssAfter),
  };
}
