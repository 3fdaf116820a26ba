/**
 * `pnpm bench:seed`: the 1,000,000-incident dataset for `pnpm bench:scale`, on both engines:
 * bench/.data/seed-1m.db and the PostgreSQL database nc_bench_1m (both rebuilt from scratch).
 *   --engines sqlite,postgres   (default both)     --count N   (default 1000000; smaller for a dry run)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RESULTS_DIR } from './harness/paths.js';
import { writeJson } from './harness/report.js';
import { CLUSTERS, SEED_INCIDENTS, SEED_POSTGRES_DB, SEED_SQLITE_FILE } from './seed/dataset.js';
import { seedPostgres } from './seed/seed-postgres.js';
import { type SeedTiming, seedSqlite } from './seed/seed-sqlite.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { engines: { type: 'string', default: 'sqlite,postgres' }, count: { type: 'string' } },
  });
  const engines = (values.engines as string).split(',').map((s) => s.trim());
  const count = values.count === undefined ? SEED_INCIDENTS : Number(values.count);
  if (!Number.isSafeInteger(count) || count < 1000) throw new Error('--count expects an integer ≥ 1000');
  const log = (line: string) => console.log(line);
  const results: Record<string, SeedTiming & { where: string }> = {};
  const show = (name: string, t: SeedTiming) =>
    console.log(
      `${name}: ${t.rows.toLocaleString('en-US')} incidents + ${t.rows.toLocaleString('en-US')} fault events in ${(t.totalMs / 1000).toFixed(1)} s ` +
        `(inserts ${(t.insertMs / 1000).toFixed(1)} s = ${Math.round((2 * t.rows) / (t.insertMs / 1000)).toLocaleString('en-US')} rows/s; indexes ${(t.indexMs / 1000).toFixed(1)} s)`,
    );
  console.log(`seeding ${count.toLocaleString('en-US')} incidents (${CLUSTERS} clusters, 5 statuses, 30 days) on ${engines.join(', ')}`);
  if (engines.includes('sqlite')) {
    const timing = await seedSqlite(SEED_SQLITE_FILE, count, log);
    results['sqlite'] = { ...timing, where: SEED_SQLITE_FILE };
    show('sqlite', timing);
  }
  if (engines.includes('postgres')) {
    const timing = await seedPostgres(SEED_POSTGRES_DB, count, log);
    results['postgres'] = { ...timing, where: `database ${SEED_POSTGRES_DB}` };
    show('postgres', timing);
  }
  writeJson(join(RESULTS_DIR, 'seed-latest.json'), { kind: 'seed', date: new Date().toISOString(), count, results });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
