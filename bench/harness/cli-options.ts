import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RESULTS_DIR } from './paths.js';

export interface RunOptions {
  engines: string[];
  ops: string[];
  quick: boolean;
  /** Multiplies every chunk size (and the warm-up). */
  scale: number;
  repetitions: number;
  chunksPerRepetition: number;
  out: string;
  keep: boolean;
}

export const RUN_USAGE = `usage: pnpm bench [-- options]   (or: tsx bench/run.ts [options])
  --engines a,b   sqlite-file, sqlite-memory, postgres, postgres-25, postgres-unnamed, postgres-bursty,
                  mysql, mysql-25, citus, citus-25 (default: these ten); postgres-25-idle25 (diagnostic: store pool
                  keeps 25 idle connections). postgres-unnamed: the store with prepared_statements=false, 1 caller,
                  no targets; postgres-bursty: bursts of 25 calls with 200 ms lulls, sessions opened per 1,000 calls;
                  citus, citus-25: a Citus cluster of their own (coordinator + 2 workers, started and removed per engine)
  --ops a,b       operation keys, e.g. createIncident,getIncident,pageIncidents (default: all)
  --quick         small counts (scale 0.1, 2 chunks per repetition): checks that everything runs
  --scale F       multiply the operation counts by F (default 1)
  --reps N        repetitions (default 5)
  --chunks N      chunks per side per repetition (default 4)
  --out FILE      JSON results (default bench/results/latest.json)
  --keep          keep the benchmark databases afterwards
PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); databases nc_bench_* are created and dropped.
Citus: needs Citus installed into the newest /usr/lib/postgresql/<version> (../shared/citus/build-citus.sh); --keep leaves the
                cluster running (its folder and ports are printed as the engine's data).
MySQL/MariaDB: NIGHTCRIER_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/mysql); databases nc_bench_<pid>_store and _raw
                are created and dropped.`;

const list = (value: string | undefined) => (value === undefined || value === '' ? [] : value.split(',').map((s) => s.trim()).filter(Boolean));

function positive(name: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) throw new Error(`--${name} expects a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  return number;
}

export function parseRunOptions(argv: readonly string[]): RunOptions | 'help' {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      engines: { type: 'string' },
      ops: { type: 'string' },
      quick: { type: 'boolean', default: false },
      scale: { type: 'string' },
      reps: { type: 'string' },
      chunks: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  return {
    engines: list(values.engines),
    ops: list(values.ops),
    quick,
    scale: positive('scale', values.scale, quick ? 0.1 : 1, false),
    repetitions: positive('reps', values.reps, 5, true),
    chunksPerRepetition: positive('chunks', values.chunks, quick ? 2 : 4, true),
    out: values.out ?? join(RESULTS_DIR, 'latest.json'),
    keep: values.keep === true,
  };
}
