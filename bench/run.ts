/**
 * `pnpm bench`: every StateStore operation against a raw-driver baseline doing the same work,
 * interleaved in one process, per engine. Prints a table (store ops/s, median store ÷ raw time
 * ratio with min–max, PASS/MISS against the targets) and writes JSON results.
 */
import { relative } from 'node:path';
import type { BenchTarget, TargetPair } from './harness/bench-target.js';
import { parseRunOptions, RUN_USAGE, type RunOptions } from './harness/cli-options.js';
import { type InterleaveConfig, interleave, totalCalls } from './harness/interleave.js';
import { loadAverage, machineInfo } from './harness/machine.js';
import { checkParity, type ParityProbe } from './harness/parity.js';
import { REPO_ROOT } from './harness/paths.js';
import { operationRow, type OperationRow, type RunReport, summary, TABLE_HEADER, tableLine, writeJson } from './harness/report.js';
import { ratioTarget } from './harness/targets.js';
import { type EngineDef, selectEngines } from './engines.js';
import { measureBursty } from './postgres/bursty-load.js';
import { burstyTable } from './postgres/bursty-table.js';
import { deepCursor, listFilters, type OperationDef, selectOperations } from './operations.js';
import { type Fixture, seedFixture } from './workload.js';

function probesBefore(fixture: Fixture): ParityProbe[] {
  return [
    { name: 'getIncident', read: (t) => t.getIncident(fixture.readIds[0]!) },
    { name: 'getFaultEvent', read: (t) => t.getFaultEvent(fixture.readFaultIds[0]!) },
    { name: 'listIncidents', read: (t) => t.listIncidents(listFilters) },
    { name: 'listIncidents with offset', read: (t) => t.listIncidents({ ...listFilters, offset: 120 }) },
    { name: 'pageIncidents first page', read: (t) => t.pageIncidents(listFilters) },
    { name: 'pageIncidents deep page', read: async (t: BenchTarget) => t.pageIncidents({ ...listFilters, cursor: await deepCursor(t) }) },
    { name: 'listAgentExecutions', read: (t) => t.listAgentExecutions(fixture.historyIds[0]!) },
    { name: 'listTriageReports', read: (t) => t.listTriageReports(fixture.historyIds[0]!) },
  ];
}

function probesAfter(fixture: Fixture, ops: readonly OperationDef[]): ParityProbe[] {
  const probes: ParityProbe[] = [
    { name: 'executions after writes', read: (t) => t.listAgentExecutions(fixture.writtenIds[1]!) },
    { name: 'reports after writes', read: (t) => t.listTriageReports(fixture.writtenIds[1]!) },
  ];
  if (ops.some((op) => op.key === 'createIncident')) {
    probes.push({ name: 'created incident', read: (t) => t.getIncident('create-i-0000000') });
    probes.push({ name: 'created fault event', read: (t) => t.getFaultEvent('create-f-0000000') });
  }
  return probes;
}

function configFor(engine: EngineDef, op: OperationDef, options: RunOptions): InterleaveConfig {
  const chunkOps = Math.max(10, Math.round(engine.chunkOps[op.kind] * options.scale));
  return {
    warmupOps: chunkOps,
    chunkOps,
    chunksPerRepetition: options.chunksPerRepetition,
    repetitions: options.repetitions,
    concurrency: engine.concurrency,
  };
}

/** The bursty-load rows of `engine`: its operations among those selected, one row each. */
async function benchBursty(
  engine: EngineDef,
  bursty: NonNullable<EngineDef['bursty']>,
  pair: TargetPair,
  fixture: Fixture,
  ops: readonly OperationDef[],
  options: RunOptions,
  report: RunReport,
): Promise<void> {
  const config = {
    burstSize: engine.concurrency,
    burstsPerRepetition: Math.max(2, Math.round(bursty.burstsPerRepetition * options.scale)),
    lullMs: bursty.lullMs,
    repetitions: options.repetitions,
  };
  const rows = (report.bursty ??= []);
  for (const op of ops.filter((candidate) => bursty.ops.includes(candidate.key))) {
    const row = await measureBursty(engine.name, pair, fixture, op, config);
    rows.push(row);
    console.log(burstyTable([row]));
    if (row.sessionsClosedBetweenSamples > 0) console.log(`note: ${row.sessionsClosedBetweenSamples} sessions closed between samples: the opened counts are lower bounds`);
  }
}

async function benchEngine(engine: EngineDef, ops: readonly OperationDef[], options: RunOptions, report: RunReport): Promise<void> {
  console.log(`\n## ${engine.name}: ${engine.title}`);
  const pair = await engine.open();
  report.engines[engine.name] = { title: engine.title, location: pair.location, concurrency: engine.concurrency };
  console.log(`data: ${pair.location}`);
  try {
    // Server engines seed 10 calls at a time (round trips dominate); SQLite runs one call at a time anyway.
    const parallel = engine.family === 'sqlite' ? 1 : 10;
    const fixture = await seedFixture(pair.store, undefined, parallel);
    await seedFixture(pair.raw, undefined, parallel);
    await checkParity(pair.store, pair.raw, probesBefore(fixture));
    console.log('fixture seeded on both sides; store and raw return deep-equal results\n');
    if (engine.bursty !== undefined) {
      await benchBursty(engine, engine.bursty, pair, fixture, ops, options, report);
      await checkParity(pair.store, pair.raw, probesAfter(fixture, ops));
      return;
    }
    console.log(TABLE_HEADER.join('\n'));
    for (const op of ops) {
      const config = configFor(engine, op, options);
      const total = totalCalls(config);
      const storeCall = await op.bind(pair.store, fixture, total);
      const rawCall = await op.bind(pair.raw, fixture, total);
      const result = await interleave(storeCall, rawCall, config);
      const target = engine.untargeted === true ? undefined : ratioTarget(op.target, engine.family);
      const row: OperationRow = operationRow(engine.name, op.title, op.key, config, result, target);
      report.rows.push(row);
      console.log(tableLine(row));
    }
    await checkParity(pair.store, pair.raw, probesAfter(fixture, ops));
  } finally {
    await pair.store.close();
    await pair.raw.close();
    if (!options.keep) await pair.cleanup();
  }
}

async function main(): Promise<void> {
  const options = parseRunOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(RUN_USAGE);
    return;
  }
  const engines = selectEngines(options.engines);
  const ops = selectOperations(options.ops);
  const machine = await machineInfo({
    postgres: engines.some((engine) => engine.family === 'postgres'),
    mysql: engines.some((engine) => engine.family === 'mysql'),
  });
  console.log(`load average at start: ${machine.loadAtStart.join(' / ')} (1 / 5 / 15 min) on ${machine.cores} cores`);
  if ((machine.loadAtStart[0] ?? 0) > 1) console.log('warning: the machine is busy; ratios stay comparable, absolute ops/s do not');
  const report: RunReport = {
    kind: 'operations',
    command: `tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine,
    settings: { repetitions: options.repetitions, chunksPerRepetition: options.chunksPerRepetition, scale: options.scale, quick: options.quick },
    engines: {},
    rows: [],
  };
  for (const engine of engines) await benchEngine(engine, ops, options, report);
  machine.loadAtEnd = loadAverage();
  console.log(`\n# Summary\n\n${summary(report)}`);
  writeJson(options.out, report);
  console.log(`\nresults: ${relative(REPO_ROOT, options.out)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
