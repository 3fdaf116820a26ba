/**
 * What the PostgreSQL and MySQL benchmarks share about their server databases: each side gets a
 * database of its own, named so that the harness can never touch anything it did not create.
 */

/** `url` with its database (the path) replaced by `database`. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Throws unless `name` is a benchmark database: the name goes into DROP DATABASE unquoted. */
export function checkBenchDatabaseName(name: string): void {
  if (!/^nc_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to touch database ${name}: bench databases are named nc_bench_*`);
}
