/**
 * `pnpm bench:telemetry`: what OpenTelemetry in core costs a SQLite store's calls, against core as
 * it was before it (built from git), interleaved in one process:
 *
 * - `no API`: today's core in a project where `@opentelemetry/api` is not installed;
 * - `API, no provider`: the workspace's core, the API installed, no provider registered (target: within 2%);
 * - `provider` (for information): a tracer and a meter provider registered, spans made and ended
 *   (not exported), durations recorded.
 *
 * SQLite is where a fixed per-call cost shows most (a call takes microseconds); over a network the
 * same cost is lost in the round trip.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { metrics } from '@opentelemetry/api';
import { InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { StateStore } from '@nightcrier/storage-core';
import { isolatedSqliteProject } from '../../test-support/isolated-project.js';
import { interleave, type InterleaveConfig, type OperationCall } from '../harness/interleave.js';
import { DATA_DIR } from '../harness/paths.js';
import { max, median, min } from '../harness/stats.js';
import { execution, newIncidentInput } from '../workload.js';
import { buildCoreAt, commitBeforeTelemetry } from './baseline-core.js';

type SqliteModule = typeof import('@nightcrier/storage-sqlite');

const TARGET = 1.02;
const READS = 200;

/** The SQLite adapter of the project whose node_modules is `modules`, with the core installed there. */
async function adapterIn(modules: string): Promise<SqliteModule> {
  return (await import(pathToFileURL(join(modules, '@nightcrier', 'storage-sqlite', 'dist', 'index.js')).href)) as SqliteModule;
}

/** Registers what an application's SDK setup would: spans made and ended (dropped, not exported), metrics recorded. */
function registerProviders(): () => Promise<void> {
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new NoopSpanProcessor()] });
  tracerProvider.register();
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(1), exportIntervalMillis: 3_600_000 })] });
  metrics.setGlobalMeterProvider(meterProvider);
  return async () => {
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  };
}

interface Operation {
  name: string;
  /** Calls per chunk: chunks of a few milliseconds, so that load drift hits both sides alike. */
  chunkOps: number;
  call(store: StateStore, side: string): OperationCall;
}

const OPERATIONS: Operation[] = [
  { name: 'getIncident', chunkOps: 500, call: (store) => (index) => store.getIncident(`tel-i-${String(index % READS).padStart(7, '0')}`) },
  {
    name: 'recordAgentExecution',
    chunkOps: 500,
    // A fixed set of executions written over and over: the tables stay the same size on both sides.
    call: (store, side) => (index) => store.recordAgentExecution(execution(`tel-x-${side}-${index % 1000}`, `tel-i-${String(index % READS).padStart(7, '0')}`, index, true)),
  },
];

async function main(): Promise<void> {
  const commit = commitBeforeTelemetry();
  const scratch = join(DATA_DIR, 'telemetry');
  mkdirSync(scratch, { recursive: true });
  const projects = mkdtempSync(join(scratch, 'projects-'));
  const stopProviders: Array<() => Promise<void>> = [];
  const stores: StateStore[] = [];
  try {
    const before = await adapterIn(isolatedSqliteProject(join(projects, 'before'), await buildCoreAt(commit)));
    const withoutApi = await adapterIn(isolatedSqliteProject(join(projects, 'no-api')));
    const workspace = await import('@nightcrier/storage-sqlite');
    // Each store on a database of its own in memory, seeded alike: no file I/O, no WAL checkpoint
    // landing on one side, only the calls' own work.
    const open = async (module: SqliteModule) => {
      const store = await module.createSqliteStateStore({ filename: ':memory:' });
      for (let index = 0; index < READS; index += 1) {
        const { incident, event } = newIncidentInput('tel', index, 'bench-telemetry');
        await store.createIncident(incident, event);
      }
      stores.push(store);
      return store;
    };
    // Each variant runs against a baseline store of its own: the writes grow both sides alike.
    const pair = async (name: string, module: SqliteModule, target: number | undefined) => {
      const baseline = await open(before);
      return { name, store: await open(module), baseline, target };
    };
    // Opened before any provider exists: the providers are looked up when a store opens.
    const variants = [
      // The noise floor: the baseline against a second store of its own.
      await pair('baseline again (A/A)', before, undefined),
      await pair('no API', withoutApi, TARGET),
      await pair('API, no provider', workspace, TARGET),
    ];
    stopProviders.push(registerProviders());
    variants.push(await pair('provider (spans + histogram)', workspace, undefined));

    const repetitions = 15;
    console.log(`SQLite :memory: (a database per store), 1 caller; baseline: core at ${commit.slice(0, 12)} (before OpenTelemetry), interleaved chunk by chunk, ${repetitions} repetitions.`);
    // A SQLite call runs on this thread: its cost is this process's CPU time, which a loaded machine
    // disturbs far less than wall time (the A/A row shows the noise of each).
    console.log('Verdict on the CPU-time ratio variant ÷ baseline: the geometric mean of both orders, each the median of its repetitions; wall-time ratio (variant first): median (min–max).');
    console.log('| operation | variant | CPU µs/call variant / baseline | CPU ratio | wall ratio (min–max) | variant ops/s | target | verdict |');
    console.log('|---|---|---:|---:|---:|---:|---:|---|');
    let missed = 0;
    for (const op of OPERATIONS) {
      const config: InterleaveConfig = { warmupOps: op.chunkOps * 4, chunkOps: op.chunkOps, chunksPerRepetition: 10, repetitions, concurrency: 1 };
      for (const variant of variants) {
        const side = variant.name.replace(/\W+/g, '');
        // Each order once (variant first, then baseline first): whatever favours the side that runs
        // first in a chunk pair cancels out in the geometric mean.
        const result = await interleave(op.call(variant.store, side), op.call(variant.baseline, 'before'), config);
        const swapped = await interleave(op.call(variant.baseline, 'before-again'), op.call(variant.store, `${side}-again`), config);
        const cpuRatio = Math.sqrt(median(result.cpuRatios) / median(swapped.cpuRatios));
        const verdict = variant.target === undefined ? '—' : cpuRatio <= variant.target ? 'PASS' : 'MISS';
        if (verdict === 'MISS') missed += 1;
        const wall = `${median(result.ratios).toFixed(3)} (${min(result.ratios).toFixed(2)}–${max(result.ratios).toFixed(2)})`;
        console.log(
          `| ${op.name} | ${variant.name} | ${result.storeCpuMicrosPerOp.toFixed(2)} / ${result.rawCpuMicrosPerOp.toFixed(2)} | ${cpuRatio.toFixed(3)} | ${wall} | ${Math.round(result.storeOpsPerSecond)} | ${variant.target === undefined ? '—' : `≤ ${variant.target}`} | ${verdict} |`,
        );
      }
    }
    console.log('The A/A row is the noise floor: two identical stores differ by that much on this machine.');
    console.log(missed === 0 ? 'every targeted row within 2% of the baseline' : `${missed} targeted row(s) above 2%`);
  } finally {
    for (const store of stores) await store.close();
    for (const stop of stopProviders) await stop();
    rmSync(projects, { recursive: true, force: true });
  }
}

await main();
