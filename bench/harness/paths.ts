import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(BENCH_DIR, '..');
/** Benchmark databases (gitignored). */
export const DATA_DIR = join(BENCH_DIR, '.data');
/** JSON results; only the reference copies are committed. */
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** Every up migration of `dialect` (or of the Citus layout), in order: the schema the store itself applies. */
export function upMigrationSql(dialect: 'sqlite' | 'postgres' | 'mysql' | 'citus'): string[] {
  const folder = join(REPO_ROOT, 'migrations', dialect);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.up.sql'))
    .sort()
    .map((name) => readFileSync(join(folder, name), 'utf8'));
}
