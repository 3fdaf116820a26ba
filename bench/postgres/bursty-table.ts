import type { BurstyRow } from './bursty-load.js';

const opsText = (value: number) => Math.round(value).toLocaleString('en-US');
const ratioText = (value: number) => value.toFixed(2);
const per1000Text = (value: number) => value.toFixed(1);

/** The bursty-load table: burst time ratio and sessions opened per 1,000 calls on each side. */
export function burstyTable(rows: readonly BurstyRow[]): string {
  return [
    '| engine | operation | bursts × calls, lull | store calls/s in bursts | raw calls/s in bursts | store ÷ raw (median) | min–max | sessions opened per 1,000 calls store / raw | opened store / raw (raw `connect` events) |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.engine} | ${row.operation} | ${row.config.repetitions * row.config.burstsPerRepetition} × ${row.config.burstSize}, ${row.config.lullMs} ms | ${opsText(row.storeOpsPerSecond)} | ${opsText(row.rawOpsPerSecond)} | ${ratioText(row.ratioMedian)} | ${ratioText(row.ratioMin)}–${ratioText(row.ratioMax)} | ${per1000Text(row.storeSessionsPer1000)} / ${per1000Text(row.rawSessionsPer1000)} | ${row.storeSessionsOpened} / ${row.rawSessionsOpened} (${row.rawConnectEvents}) |`,
    ),
  ].join('\n');
}
