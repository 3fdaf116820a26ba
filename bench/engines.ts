import { openCitusPair } from './citus/citus-pairs.js';
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
  /** Rows without the targets: they document a cost (a setting's), they are not a goal. */
  untargeted?: boolean;
  /** Bursty load instead of the steady interleaved chunks: `ops` under bursts of `concurrency` calls. */
  bursty?: { ops: readonly string[]; burstsPerRepetition: number; lullMs: number };
}

/** Chunk sizes of the server engines: a TCP round trip per statement, 1 caller or 25. */
const SERVER_CHUNKS = {
  1: { read: 1000, list: 300, write: 300 },
  25: { read: 2500, list: 600, write: 800 },
} as const satisfies Record<number, Record<OperationKind, number>>;

/** A server engine's two cases, `name` and `name-25`: one caller, and 25 concurrent callers on a pool of 25 on both sides. */
function serverEngines(family: 'postgres' | 'mysql', label: string, open: () => Promise<TargetPair>, name: string = family): EngineDef[] {
  return [
    { name, title: `${label}, 1 caller`, family, concurrency: 1, chunkOps: SERVER_CHUNKS[1], open },
    { name: `${name}-25`, title: `${label}, 25 concurrent callers (pool of 25 on both sides)`, family, concurrency: 25, chunkOps: SERVER_CHUNKS[25], open },
  ];
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
  ...serverEngines('postgres', 'PostgreSQL', () => openPostgresPair()),
  {
    name: 'postgres-25-idle25',
    title: 'PostgreSQL, 25 concurrent callers, store pool with maxIdleConns 25 (diagnostic: default is 5)',
    family: 'postgres',
    concurrency: 25,
    chunkOps: SERVER_CHUNKS[25],
    open: () => openPostgresPair({ pool: { maxIdleConns: 25 } }),
    diagnostic: true,
  },
  {
    name: 'postgres-unnamed',
    title: 'PostgreSQL, 1 caller, store with prepared_statements=false (unnamed statements) vs raw named statements',
    family: 'postgres',
    concurrency: 1,
    chunkOps: SERVER_CHUNKS[1],
    open: () => openPostgresPair({ preparedStatements: false }),
    untargeted: true,
  },
  {
    name: 'postgres-bursty',
    title: 'PostgreSQL, bursts of 25 concurrent calls with 200 ms lulls, store on the default pool vs raw pg.Pool (max 25)',
    family: 'postgres',
    concurrency: 25,
    chunkOps: SERVER_CHUNKS[25],
    open: () => openPostgresPair(),
    // 200 ms: shorter than the store's idle grace (5 s) and pg.Pool's idleTimeoutMillis (10 s).
    bursty: { ops: ['createIncident', 'getIncident'], burstsPerRepetition: 20, lullMs: 200 },
  },
  ...serverEngines('mysql', 'MySQL/MariaDB', () => openMysqlPair()),
  // The PostgreSQL targets hold here too: both sides run the same SQL on the same distributed tables
  // (the raw side the owner-table forms of the two id-keyed writes, as the store), so the ratio is
  // still the store's own cost per call; the coordinator's routing lengthens both sides' calls alike.
  ...serverEngines('postgres', 'Citus (coordinator + 2 workers on this machine)', () => openCitusPair(), 'citus'),
];

export function selectEngines(selection: readonly string[]): EngineDef[] {
  if (selection.length === 0) return ENGINES.filter((engine) => engine.diagnostic !== true);
  const unknown = selection.filter((name) => !ENGINES.some((engine) => engine.name === name));
  if (unknown.length > 0) throw new Error(`unknown engine(s) ${unknown.join(', ')}; known: ${ENGINES.map((e) => e.name).join(', ')}`);
  return ENGINES.filter((engine) => selection.includes(engine.name));
}
