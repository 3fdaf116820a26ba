import type { TargetPair } from './harness/bench-target.js';
import type { EngineFamily } from './harness/targets.js';
import type { OperationKind } from './operations.js';
import { openMysqlPair } from './mysql/mysql-pairs.js';
import { openPostgresPair } from './postgres/postgres-pairs.js';
import { openSqlitePair } from './sqlite/sqlite-pairs.js';

export interface EngineDef {
  name: string;
  title: string;
  family: EngineFamily;
  /** Callers running at once on each side. */
  concurrency: number;
  /** Calls per chunk for each kind of operation, at scale 1. */
  chunkOps: Record<OperationKind, number>;
  open(): Promise<TargetPair>;
  /** Not run unless named in --engines: a variant for diagnosing a result, not one of the cases. */
  diagnostic?: boolean;
}

export const ENGINES: readonly EngineDef[] = [
  {
    name: 'sqlite-file',
    title: 'SQLite file (WAL, synchronous=NORMAL)',
    family: 'sqlite',
    concurrency: 1,
    chunkOps: { read: 2000, list: 300, write: 500 },
    open: () => openSqlitePair('file'),
  },
  {
    name: 'sqlite-memory',
    title: 'SQLite :memory:',
    family: 'sqlite',
    concurrency: 1,
    chunkOps: { read: 2000, list: 300, write: 1000 },
    open: () => openSqlitePair('memory'),
  },
  {
    name: 'postgres',
    title: 'PostgreSQL, 1 caller',
    family: 'postgres',
    concurrency: 1,
    chunkOps: { read: 1000, list: 300, write: 300 },
    open: () => openPostgresPair(),
  },
  {
    name: 'postgres-25',
    title: 'PostgreSQL, 25 concurrent callers (pool of 25 on both sides)',
    family: 'postgres',
    concurrency: 25,
    chunkOps: { read: 2500, list: 600, write: 800 },
    open: () => openPostgresPair(),
  },
  {
    name: 'postgres-25-idle25',
    title: 'PostgreSQL, 25 concurrent callers, store pool with maxIdleConns 25 (diagnostic: default is 5)',
    family: 'postgres',
    concurrency: 25,
    chunkOps: { read: 2500, list: 600, write: 800 },
    open: () => openPostgresPair({ maxIdleConns: 25 }),
    diagnostic: true,
  },
  // MySQL / MariaDB: the PostgreSQL cases and chunk sizes (both a TCP round trip per statement).
  {
    name: 'mysql',
    title: 'MySQL/MariaDB, 1 caller',
    family: 'mysql',
    concurrency: 1,
    chunkOps: { read: 1000, list: 300, write: 300 },
    open: () => openMysqlPair(),
  },
  {
    name: 'mysql-25',
    title: 'MySQL/MariaDB, 25 concurrent callers (pool of 25 on both sides)',
    family: 'mysql',
    concurrency: 25,
    chunkOps: { read: 2500, list: 600, write: 800 },
    open: () => openMysqlPair(),
  },
];

export function selectEngines(selection: readonly string[]): EngineDef[] {
  if (selection.length === 0) return ENGINES.filter((engine) => engine.diagnostic !== true);
  const unknown = selection.filter((name) => !ENGINES.some((engine) => engine.name === name));
  if (unknown.length > 0) throw new Error(`unknown engine(s) ${unknown.join(', ')}; known: ${ENGINES.map((e) => e.name).join(', ')}`);
  return ENGINES.filter((engine) => selection.includes(engine.name));
}
