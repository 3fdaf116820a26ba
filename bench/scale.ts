/**
 * `pnpm bench:scale`: pagination at 1,000,000 incidents through the STORE, on the dataset that
 * `pnpm bench:seed` built. Per engine: a filtered first page (cluster, 50 rows), a keyset page
 * 10,000 rows deep, their ratio, an OFFSET 10000 page for contrast, and a walk over every incident
 * of the cluster (pages of 500) with RSS sampled per page.
 *   --engines sqlite,postgres  --runs N (default 300)  --cluster NAME (default cluster-07)  --quick
 */
import { deepStrictEqual } from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { StateStore } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '@nightcrier/storage-postgres';
import { createSqliteStateStore } from '@nightcrier/storage-sqlite';
import { databaseUrl } from './harness/bench-database.js';
import { loadAverage, machineInfo } from './harness/machine.js';
import { REPO_ROOT, RESULTS_DIR } from './harness/paths.js';
import { writeJson } from './harness/report.js';
import { serverUrl } from './postgres/postgres-admin.js';
import { cursorAfter, latency, latencyPair, type LatencySummary, walkCluster, type WalkSummary } from './scale/measure-scale.js';
import { scaleSummary, scaleVerdicts } from './scale/scale-report.js';
import { clusterSize, SEED_INCIDENTS, SEED_POSTGRES_DB, SEED_SQLITE_FILE } from './seed/dataset.js';

const PAGE = 50;
const DEEP_ROWS = 10_000;
const WALK_PAGE = 500;

export interface EngineScaleResult {
  engine: string;
  cluster: string;
  clusterRows: number;
  firstPage: LatencySummary;
  deepPage: LatencySummary & { depthRows: number };
  deepOverFirst: number;
  offsetPage: LatencySummary & { offset: number };
  walk: WalkSummary;
}

async function openStore(engine: string): Promise<StateStore> {
  if (engine === 'sqlite') {
    if (!existsSync(SEED_SQLITE_FILE)) throw new Error(`${SEED_SQLITE_FILE} is missing: run pnpm bench:seed`);
    return createSqliteStateStore({ filename: SEED_SQLITE_FILE });
  }
  if (engine === 'postgres') return createPostgresStateStore({ url: databaseUrl(serverUrl(), SEED_POSTGRES_DB) });
  throw new Error(`unknown engine ${engine}; known: sqlite, postgres`);
}

async function measure(engine: string, store: StateStore, cluster: string, runs: number, offsetRuns: number, expectedRows: number): Promise<EngineScaleResult> {
  // Walk the cursor to 10,000 rows deep first, then time the first and the deep page alternately.
  const cursor = await cursorAfter(store, cluster, DEEP_ROWS, PAGE);
  const [firstPage, deep] = await latencyPair(
    () => store.pageIncidents({ cluster, limit: PAGE }),
    () => store.pageIncidents({ cluster, limit: PAGE, cursor }),
    runs,
  );
  const deepPage = { ...deep, depthRows: DEEP_ROWS };
  console.log(`  first page: median ${firstPage.medianMs.toFixed(3)} ms over ${runs} runs`);
  console.log(`  keyset page ${DEEP_ROWS} rows deep: median ${deepPage.medianMs.toFixed(3)} ms over ${runs} runs (timed alternately with the first page)`);
  // Same rows both ways: the OFFSET page and the keyset page 10,000 deep.
  const [offsetRows, keysetPage] = [await store.listIncidents({ cluster, limit: PAGE, offset: DEEP_ROWS }), await store.pageIncidents({ cluster, limit: PAGE, cursor })];
  deepStrictEqual(offsetRows, keysetPage.incidents, 'the OFFSET page and the keyset page differ');
  const offsetPage = { ...(await latency(() => store.listIncidents({ cluster, limit: PAGE, offset: DEEP_ROWS }), offsetRuns, 2)), offset: DEEP_ROWS };
  console.log(`  OFFSET ${DEEP_ROWS} page (listIncidents): median ${offsetPage.medianMs.toFixed(3)} ms over ${offsetRuns} runs`);
  const walk = await walkCluster(store, cluster, WALK_PAGE);
  if (walk.rows !== expectedRows) throw new Error(`walk returned ${walk.rows} rows, the dataset has ${expectedRows} in ${cluster}`);
  console.log(`  walk: ${walk.rows} rows in ${walk.pages} pages, RSS ${walk.rssBeforeMiB} → peak ${walk.rssPeakMiB} → ${walk.rssAfterMiB} MiB`);
  return { engine, cluster, clusterRows: expectedRows, firstPage, deepPage, deepOverFirst: deepPage.medianMs / firstPage.medianMs, offsetPage, walk };
}

function seededCount(): number {
  const file = join(RESULTS_DIR, 'seed-latest.json');
  if (!existsSync(file)) return SEED_INCIDENTS;
  return (JSON.parse(readFileSync(file, 'utf8')) as { count: number }).count;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      engines: { type: 'string', default: 'sqlite,postgres' },
      runs: { type: 'string' },
      cluster: { type: 'string', default: 'cluster-07' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: join(RESULTS_DIR, 'scale-latest.json') },
    },
  });
  const engines = (values.engines as string).split(',').map((s) => s.trim());
  const runs = values.runs === undefined ? (values.quick ? 50 : 300) : Number(values.runs);
  const offsetRuns = values.quick ? 5 : 30;
  const cluster = values.cluster as string;
  const count = seededCount();
  const expectedRows = clusterSize(cluster, count);
  const machine = await machineInfo({ postgres: engines.includes('postgres'), mysql: false });
  console.log(`load average at start: ${machine.loadAtStart.join(' / ')}; dataset ${count.toLocaleString('en-US')} incidents, ${cluster} holds ${expectedRows.toLocaleString('en-US')}`);
  const results: EngineScaleResult[] = [];
  const firstPages: unknown[] = [];
  for (const engine of engines) {
    console.log(`\n## ${engine}`);
    const store = await openStore(engine);
    try {
      firstPages.push(await store.pageIncidents({ cluster, limit: PAGE }));
      results.push(await measure(engine, store, cluster, runs, offsetRuns, expectedRows));
    } finally {
      await store.close();
    }
  }
  // Both seeders define the same rows: the same page must come back from both engines.
  if (firstPages.length === 2) deepStrictEqual(firstPages[0], firstPages[1], 'SQLite and PostgreSQL datasets differ');
  machine.loadAtEnd = loadAverage();
  const seedFile = join(RESULTS_DIR, 'seed-latest.json');
  const seed = existsSync(seedFile) ? (JSON.parse(readFileSync(seedFile, 'utf8')) as unknown) : undefined;
  const report = { kind: 'scale', command: `tsx bench/scale.ts ${process.argv.slice(2).join(' ')}`.trim(), machine, count, seed, results, verdicts: scaleVerdicts(results) };
  console.log(`\n# Summary\n\n${scaleSummary(report)}`);
  writeJson(values.out as string, report);
  console.log(`\nresults: ${relative(REPO_ROOT, values.out as string)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
