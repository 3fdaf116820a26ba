/**
 * Prints the tables of BENCHMARKS.md from saved results:
 *   tsx bench/render-markdown.ts [bench/results/reference.json] [bench/results/scale-reference.json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeMachine } from './harness/machine.js';
import { RESULTS_DIR } from './harness/paths.js';
import { markdownTable, type RunReport } from './harness/report.js';
import { burstyTable } from './postgres/bursty-table.js';
import type { EngineScaleResult } from './scale.js';
import { scaleTables } from './scale/scale-report.js';

const [operationsFile = join(RESULTS_DIR, 'reference.json'), scaleFile = join(RESULTS_DIR, 'scale-reference.json')] = process.argv.slice(2);

if (existsSync(operationsFile)) {
  const report = JSON.parse(readFileSync(operationsFile, 'utf8')) as RunReport;
  const misses = report.rows.filter((row) => row.verdict === 'MISS').length;
  const judged = report.rows.filter((row) => row.verdict !== '—').length;
  console.log(`<!-- ${operationsFile} -->\n\`\`\`\n${describeMachine(report.machine)}\n${report.machine.date}\n\`\`\`\n`);
  for (const [name, engine] of Object.entries(report.engines)) console.log(`- **${name}**: ${engine.title}`);
  console.log(`\n${markdownTable(report.rows)}\n\n${judged - misses} PASS, ${misses} MISS of ${judged} rows with a target.\n`);
  if (report.bursty !== undefined) console.log(`${burstyTable(report.bursty)}\n`);
}
if (existsSync(scaleFile)) {
  const report = JSON.parse(readFileSync(scaleFile, 'utf8')) as { machine: RunReport['machine']; count: number; results: EngineScaleResult[]; seed?: { results: Record<string, { totalMs: number; insertMs: number; indexMs: number }> } };
  console.log(`<!-- ${scaleFile} -->\n\`\`\`\n${describeMachine(report.machine)}\n${report.machine.date}\n\`\`\`\n`);
  if (report.seed !== undefined) {
    for (const [engine, t] of Object.entries(report.seed.results)) {
      console.log(`- seed ${engine}: ${(t.totalMs / 1000).toFixed(1)} s (inserts ${(t.insertMs / 1000).toFixed(1)} s, indexes ${(t.indexMs / 1000).toFixed(1)} s)`);
    }
  }
  console.log(`\n${scaleTables(report.results)}\n`);
}
