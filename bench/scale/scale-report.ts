import { describeMachine, type MachineInfo } from '../harness/machine.js';
import type { EngineScaleResult } from '../scale.js';

/** The limits for the scale run. */
export const SCALE_TARGETS = { pageMedianMs: 1, deepOverFirst: 1.5 };

export interface ScaleVerdicts {
  engine: string;
  firstPage: 'PASS' | 'MISS';
  deepPage: 'PASS' | 'MISS';
  deepOverFirst: 'PASS' | 'MISS';
}

export function scaleVerdicts(results: readonly EngineScaleResult[]): ScaleVerdicts[] {
  const judge = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  return results.map((r) => ({
    engine: r.engine,
    firstPage: judge(r.firstPage.medianMs <= SCALE_TARGETS.pageMedianMs),
    deepPage: judge(r.deepPage.medianMs <= SCALE_TARGETS.pageMedianMs),
    deepOverFirst: judge(r.deepOverFirst <= SCALE_TARGETS.deepOverFirst),
  }));
}

const ms = (value: number) => (value >= 10 ? value.toFixed(1) : value.toFixed(3));

export function scaleTables(results: readonly EngineScaleResult[]): string {
  const verdicts = scaleVerdicts(results);
  const pages = [
    '| engine | first page, 50 rows (median / p95 ms) | keyset page 10,000 deep (median / p95 ms) | deep ÷ first | OFFSET 10000 via listIncidents (median ms) | targets: ≤ 1 ms, ≤ 1 ms, ≤ 1.5× |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...results.map((r, i) => {
      const v = verdicts[i]!;
      return `| ${r.engine} | ${ms(r.firstPage.medianMs)} / ${ms(r.firstPage.p95Ms)} | ${ms(r.deepPage.medianMs)} / ${ms(r.deepPage.p95Ms)} | ${r.deepOverFirst.toFixed(2)} | ${ms(r.offsetPage.medianMs)} | ${v.firstPage} / ${v.deepPage} / ${v.deepOverFirst} |`;
    }),
  ];
  const walks = [
    '| engine | rows walked (pages of 500) | time | rows/s | RSS before → peak → after (MiB) |',
    '| --- | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.walk.rows.toLocaleString('en-US')} (${r.walk.pages}) | ${(r.walk.ms / 1000).toFixed(2)} s | ${r.walk.rowsPerSecond.toLocaleString('en-US')} | ${r.walk.rssBeforeMiB} → ${r.walk.rssPeakMiB} → ${r.walk.rssAfterMiB} |`,
    ),
  ];
  return `${pages.join('\n')}\n\n${walks.join('\n')}`;
}

export function scaleSummary(report: { machine: MachineInfo; count: number; results: readonly EngineScaleResult[] }): string {
  const cluster = report.results[0];
  return [
    describeMachine(report.machine),
    '',
    `${report.count.toLocaleString('en-US')} incidents; filter cluster = ${cluster?.cluster ?? '?'} (${cluster?.clusterRows.toLocaleString('en-US') ?? '?'} matches); ${cluster?.firstPage.runs ?? '?'} timed runs per page median`,
    '',
    scaleTables(report.results),
  ].join('\n');
}
