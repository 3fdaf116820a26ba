/**
 * `pnpm bench:peers`: the store beside the raw driver, stock Kysely, idiomatic Drizzle and
 * Drizzle with `.prepare()`d queries, on the same operations and data, interleaved in one process,
 * on SQLite and PostgreSQL at 1 and 25 callers. Prints one table; writes JSON results.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchTarget } from '../harness/bench-target.js';
import { type InterleaveConfig, interleaveSides, totalCalls } from '../harness/interleave.js';
import { describeMachine, loadAverage, machineInfo } from '../harness/machine.js';
import { checkParity } from '../harness/parity.js';
import { REPO_ROOT, RESULTS_DIR } from '../harness/paths.js';
import { median } from '../harness/stats.js';
import { listFilters, OPERATIONS, type OperationDef, type OperationKind } from '../operations.js';
import { openPostgresSides, openSqliteSides, type PeerSides, SIDE_NAMES, type SideName } from './peer-sides.js';
import type { PeerTarget } from './peer-target.js';
import { peersTable, type PeerRow } from './peers-table.js';

const USAGE = `usage: pnpm bench:peers [-- options]
  --engines a,b   sqlite, postgres (default: both)
  --callers a,b   concurrent callers per side (default: 1,25)
  --scale F       multiply the operation counts by F (default 1); --quick: 0.1 and 2 repetitions
  --reps N        repetitions (default 5)
  --out FILE      JSON results (default bench/results/peers-latest.json)
PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); databases nc_bench_<pid>_<side> are created and dropped.`;

/** Issue 12's operations, by the keys of bench/operations.ts. */
const PEER_OPERATIONS = ['getIncident', 'recordAgentExecution.upsert', 'listIncidents', 'createIncident'];

const CHUNKS: Record<string, Record<number, Record<OperationKind, number>>> = {
  sqlite: { 1: { read: 2000, list: 300, write: 500 }, 25: { read: 2000, list: 300, write: 500 } },
  postgres: { 1: { read: 1000, list: 300, write: 300 }, 25: { read: 2500, list: 600, write: 800 } },
};

const OPENERS: Record<string, () => Promise<PeerSides>> = { sqlite: openSqliteSides, postgres: openPostgresSides };

function notAPeerOperation(): never {
  throw new Error('not one of the peers benchmark operations');
}

/** A peer as the operation table's target; the operations it does not time are never called. */
function asBenchTarget(peer: PeerTarget): BenchTarget {
  return {
    getIncident: (id) => peer.getIncident(id),
    recordAgentExecution: (execution) => peer.recordAgentExecution(execution),
    listIncidents: (filters) => peer.listIncidents(filters),
    createIncident: peer.createIncident?.bind(peer) ?? notAPeerOperation,
    getFaultEvent: notAPeerOperation,
    updateIncidentStatus: notAPeerOperation,
    completeIncident: notAPeerOperation,
    recordTriageReport: notAPeerOperation,
    pageIncidents: notAPeerOperation,
    listAgentExecutions: notAPeerOperation,
    listTriageReports: notAPeerOperation,
    close: () => peer.close(),
  };
}

async function benchEngine(engine: string, callers: number, ops: readonly OperationDef[], options: { scale: number; reps: number; chunks: number }): Promise<PeerRow[]> {
  const opened = await (OPENERS[engine] as () => Promise<PeerSides>)();
  console.log(`\n## ${engine}, ${callers} caller${callers === 1 ? '' : 's'}: ${opened.location}`);
  const targets = Object.fromEntries(SIDE_NAMES.map((side) => [side, asBenchTarget(opened.sides[side])])) as Record<SideName, BenchTarget>;
  const rows: PeerRow[] = [];
  try {
    for (const side of SIDE_NAMES) {
      await checkParity(targets[side], targets.raw, [
        { name: `${side}: getIncident`, read: (t) => t.getIncident(opened.fixture.readIds[0] as string) },
        { name: `${side}: listIncidents`, read: (t) => t.listIncidents(listFilters) },
      ]);
    }
    console.log('every side returns deep-equal results');
    for (const op of ops) {
      const chunkOps = Math.max(10, Math.round((CHUNKS[engine]?.[callers]?.[op.kind] ?? 300) * options.scale));
      const config: InterleaveConfig = { warmupOps: chunkOps, chunkOps, chunksPerRepetition: options.chunks, repetitions: options.reps, concurrency: callers };
      const timed = SIDE_NAMES.filter((side) => op.key !== 'createIncident' || opened.sides[side].createIncident !== undefined);
      const calls = await Promise.all(timed.map((side) => op.bind(targets[side], opened.fixture, totalCalls(config))));
      const timings = await interleaveSides(calls, config);
      const perRepetition = config.chunksPerRepetition * config.chunkOps;
      const msOf = (side: SideName) => timings[timed.indexOf(side)]?.ms;
      const rawMs = msOf('raw') as number[];
      const ratio = (side: SideName) => {
        const ms = msOf(side);
        return ms === undefined ? undefined : median(ms.map((value, i) => value / (rawMs[i] as number)));
      };
      const row: PeerRow = {
        engine,
        callers,
        operation: op.title,
        rawMicrosPerCall: (median(rawMs) * 1000) / perRepetition,
        ratios: Object.fromEntries(SIDE_NAMES.map((side) => [side, ratio(side)])) as PeerRow['ratios'],
      };
      rows.push(row);
      console.log(peersTable([row], false));
    }
  } finally {
    await opened.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engines: { type: 'string', default: 'sqlite,postgres' },
      callers: { type: 'string', default: '1,25' },
      scale: { type: 'string', default: '1' },
      reps: { type: 'string', default: '5' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: join(RESULTS_DIR, 'peers-latest.json') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const engines = values.engines.split(',');
  for (const engine of engines) if (OPENERS[engine] === undefined) throw new Error(`unknown engine ${engine}: sqlite or postgres\n${USAGE}`);
  const callers = values.callers.split(',').map(Number);
  if (callers.some((count) => !Number.isInteger(count) || count < 1)) throw new Error(`--callers takes positive integers\n${USAGE}`);
  const options = values.quick ? { scale: 0.1, reps: 2, chunks: 2 } : { scale: Number(values.scale), reps: Number(values.reps), chunks: 4 };
  const ops = PEER_OPERATIONS.map((key) => OPERATIONS.find((op) => op.key === key) as OperationDef);
  const machine = await machineInfo({ postgres: engines.includes('postgres'), mysql: false });
  console.log(`${describeMachine(machine)}\nsides take turns chunk by chunk: ${SIDE_NAMES.join(', ')}`);
  const rows: PeerRow[] = [];
  for (const engine of engines) for (const count of callers) rows.push(...(await benchEngine(engine, count, ops, options)));
  machine.loadAtEnd = loadAverage();
  console.log(`\n# Peers, median time ÷ raw driver\n\n${peersTable(rows, true)}`);
  writeFileSync(values.out, `${JSON.stringify({ kind: 'peers', command: `tsx bench/peers/run-peers.ts ${process.argv.slice(2).join(' ')}`.trim(), machine, options, rows }, null, 2)}\n`);
  console.log(`\nresults: ${relative(REPO_ROOT, values.out)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
