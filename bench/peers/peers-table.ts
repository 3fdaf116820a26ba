import type { SideName } from './peer-sides.js';

/** One operation on one engine and caller count: each side's median time ratio to the raw driver. */
export interface PeerRow {
  engine: string;
  callers: number;
  operation: string;
  rawMicrosPerCall: number;
  /** Median over repetitions of side ÷ raw time; absent where a side cannot run the operation. */
  ratios: Partial<Record<SideName, number>>;
}

/** Issue 12's targets: the store at most 1.1 × raw, and no slower than Drizzle's prepared queries. */
const RAW_TARGET = 1.1;

function verdict(row: PeerRow): string {
  const store = row.ratios.store;
  if (store === undefined) return '—';
  const prepared = row.ratios.drizzlePrepared;
  const misses = [store > RAW_TARGET ? `> ${RAW_TARGET} × raw` : '', prepared !== undefined && store > prepared ? 'slower than Drizzle .prepare()' : ''].filter(Boolean);
  return misses.length === 0 ? 'PASS' : `MISS (${misses.join(', ')})`;
}

const cell = (ratio: number | undefined) => (ratio === undefined ? '—' : ratio.toFixed(2));

/** The markdown table of BENCHMARKS.md (with its header when `header`). */
export function peersTable(rows: readonly PeerRow[], header: boolean): string {
  const lines = rows.map(
    (row) =>
      `| ${row.engine} | ${row.callers} | ${row.operation} | ${row.rawMicrosPerCall.toFixed(1)} | ${cell(row.ratios.store)} | ${cell(row.ratios.kysely)} | ${cell(row.ratios.drizzle)} | ${cell(row.ratios.drizzlePrepared)} | ${verdict(row)} |`,
  );
  if (!header) return lines.join('\n');
  return [
    '| engine | callers | operation | raw µs/call | store | stock Kysely | Drizzle | Drizzle `.prepare()` | target |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...lines,
  ].join('\n');
}
