import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InterleaveConfig, InterleaveResult } from './interleave.js';
import type { BurstyRow } from '../postgres/bursty-load.js';
import { burstyTable } from '../postgres/bursty-table.js';
import { describeMachine, type MachineInfo } from './machine.js';
import { max, median, min, type RatioFigures } from './stats.js';
import { type Verdict, verdict } from './targets.js';

export interface OperationRow extends RatioFigures {
  engine: string;
  operation: string;
  key: string;
  concurrency: number;
  config: InterleaveConfig;
  storeCpuMicrosPerOp: number;
  rawCpuMicrosPerOp: number;
  storeMs: number[];
  rawMs: number[];
  target?: number;
  verdict: Verdict;
}

export function operationRow(engine: string, operation: string, key: string, config: InterleaveConfig, result: InterleaveResult, target: number | undefined): OperationRow {
  const ratioMedian = median(result.ratios);
  return {
    engine,
    operation,
    key,
    concurrency: config.concurrency,
    config,
    storeOpsPerSecond: result.storeOpsPerSecond,
    rawOpsPerSecond: result.rawOpsPerSecond,
    ratioMedian,
    ratioMin: min(result.ratios),
    ratioMax: max(result.ratios),
    ratios: result.ratios,
    storeCpuMicrosPerOp: result.storeCpuMicrosPerOp,
    rawCpuMicrosPerOp: result.rawCpuMicrosPerOp,
    storeMs: result.storeMs,
    rawMs: result.rawMs,
    ...(target === undefined ? {} : { target }),
    verdict: verdict(ratioMedian, target),
  };
}

const opsText = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const ratioText = (value: number) => value.toFixed(2);
const cpuText = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

export const TABLE_HEADER = [
  '| engine | operation | store ops/s | raw ops/s | store ÷ raw (median) | min–max | target | | client CPU µs/call store / raw |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
];

export function tableLine(row: OperationRow): string {
  return `| ${row.engine} | ${row.operation} | ${opsText(row.storeOpsPerSecond)} | ${opsText(row.rawOpsPerSecond)} | ${ratioText(row.ratioMedian)} | ${ratioText(row.ratioMin)}–${ratioText(row.ratioMax)} | ${row.target === undefined ? '—' : `≤ ${row.target.toFixed(2)}`} | ${row.verdict} | ${cpuText(row.storeCpuMicrosPerOp)} / ${cpuText(row.rawCpuMicrosPerOp)} |`;
}

export function markdownTable(rows: readonly OperationRow[]): string {
  return [...TABLE_HEADER, ...rows.map(tableLine)].join('\n');
}

export interface RunReport {
  kind: 'operations';
  command: string;
  machine: MachineInfo;
  settings: { repetitions: number; chunksPerRepetition: number; scale: number; quick: boolean };
  engines: Record<string, { title: string; location: string; concurrency: number }>;
  rows: OperationRow[];
  /** The bursty-load rows (engine postgres-bursty), when it ran. */
  bursty?: BurstyRow[];
}

export function summary(report: RunReport): string {
  const misses = report.rows.filter((row) => row.verdict === 'MISS');
  const judged = report.rows.filter((row) => row.verdict !== '—');
  return [
    describeMachine(report.machine),
    '',
    markdownTable(report.rows),
    '',
    `${judged.length - misses.length} PASS, ${misses.length} MISS of ${judged.length} rows with a target`,
    ...(report.bursty === undefined ? [] : ['', burstyTable(report.bursty)]),
  ].join('\n');
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
