import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createPostgresStateStore } from '@nightcrier/storage-postgres';
import { createSqliteStateStore } from '@nightcrier/storage-sqlite';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { BenchTarget } from '../harness/bench-target.js';
import { DATA_DIR } from '../harness/paths.js';
import * as admin from '../postgres/postgres-admin.js';
import { RawPostgresStore } from '../postgres/raw-postgres.js';
import { rowMappers } from '../raw/raw-rows.js';
import { openRawSqlite, RawSqliteStore } from '../sqlite/raw-sqlite.js';
import { seedFixture, type Fixture } from '../workload.js';
import { DrizzlePgPeer, DrizzlePgPreparedPeer } from './drizzle-pg-peer.js';
import { DrizzleSqlitePeer, DrizzleSqlitePreparedPeer } from './drizzle-sqlite-peer.js';
import { KyselyPeer, type PeerDatabase } from './kysely-peer.js';
import { peerRows } from './peer-rows.js';
import type { PeerTarget } from './peer-target.js';

/** The sides of the peers benchmark, in the order they take turns; `raw` is what each is divided by. */
export const SIDE_NAMES = ['store', 'raw', 'kysely', 'drizzle', 'drizzlePrepared'] as const;
export type SideName = (typeof SIDE_NAMES)[number];

export interface PeerSides {
  sides: Record<SideName, PeerTarget>;
  fixture: Fixture;
  location: string;
  /** Closes every side and removes what the run created. */
  close(): Promise<void>;
}

// 5 sides × 10 stays under the default max_connections (100) of one server; issue 12 measured 25 callers on a pool of 10.
const POOL_SIZE = 10;

/** One database or file per side, each with the store's schema and the same fixture. */
async function seededSides(open: (side: SideName) => Promise<{ target: PeerTarget; seed: BenchTarget; closeSeed(): Promise<void> }>, parallel: number) {
  const sides = {} as Record<SideName, PeerTarget>;
  let fixture: Fixture | undefined;
  for (const side of SIDE_NAMES) {
    const opened = await open(side);
    fixture = await seedFixture(opened.seed, undefined, parallel);
    await opened.closeSeed();
    sides[side] = opened.target;
  }
  return { sides, fixture: fixture as Fixture };
}

/** SQLite files in WAL mode with synchronous=NORMAL, one per side. */
export async function openSqliteSides(): Promise<PeerSides> {
  const dir = join(DATA_DIR, 'peers');
  mkdirSync(dir, { recursive: true });
  const pathOf = (side: SideName) => join(dir, `${side}.db`);
  const remove = () => SIDE_NAMES.forEach((side) => ['', '-wal', '-shm'].forEach((suffix) => rmSync(`${pathOf(side)}${suffix}`, { force: true })));
  remove();
  const kyselyRows = peerRows((date) => date.getTime(), (json) => JSON.stringify(json));
  const kyselyMappers = rowMappers((ms: number) => new Date(ms), (text: string): unknown => JSON.parse(text));
  const { sides, fixture } = await seededSides(async (side) => {
    const path = pathOf(side);
    if (side === 'store') {
      const store = await createSqliteStateStore({ filename: path });
      return { target: store, seed: store, closeSeed: async () => undefined };
    }
    const raw = RawSqliteStore.open(path);
    if (side === 'raw') return { target: raw, seed: raw, closeSeed: async () => undefined };
    const peer: PeerTarget =
      side === 'kysely'
        ? new KyselyPeer(new Kysely<PeerDatabase>({ dialect: new SqliteDialect({ database: openRawSqlite(path) }) }), kyselyRows, kyselyMappers)
        : side === 'drizzle'
          ? new DrizzleSqlitePeer(openRawSqlite(path))
          : new DrizzleSqlitePreparedPeer(openRawSqlite(path));
    return { target: peer, seed: raw, closeSeed: () => raw.close() };
  }, 1);
  return {
    sides,
    fixture,
    location: `${dir}/<side>.db (WAL, synchronous=NORMAL)`,
    close: async () => {
      for (const side of SIDE_NAMES) await sides[side].close();
      remove();
    },
  };
}

/** PostgreSQL databases `nc_bench_<pid>_<side>` on one server, a pool of 10 on every side. */
export async function openPostgresSides(): Promise<PeerSides> {
  const nameOf = (side: SideName) => `nc_bench_${process.pid}_${side.toLowerCase()}`;
  const poolFor = (url: string) => new pg.Pool({ connectionString: url, max: POOL_SIZE, options: '-c TimeZone=UTC' });
  const kyselyRows = peerRows((date) => date, (json) => json);
  const kyselyMappers = rowMappers((date: Date) => date, (json: Record<string, string>) => json);
  const { sides, fixture } = await seededSides(async (side) => {
    const url = await admin.recreateDatabase(nameOf(side));
    if (side === 'store') {
      const store = await createPostgresStateStore({ url, pool: { maxOpenConns: POOL_SIZE } });
      return { target: store, seed: store, closeSeed: async () => undefined };
    }
    await admin.migrateRaw(url);
    const raw = new RawPostgresStore(url, POOL_SIZE);
    if (side === 'raw') return { target: raw, seed: raw, closeSeed: async () => undefined };
    const peer: PeerTarget =
      side === 'kysely'
        ? new KyselyPeer(new Kysely<PeerDatabase>({ dialect: new PostgresDialect({ pool: poolFor(url) }) }), kyselyRows, kyselyMappers)
        : side === 'drizzle'
          ? new DrizzlePgPeer(poolFor(url))
          : new DrizzlePgPreparedPeer(poolFor(url));
    return { target: peer, seed: raw, closeSeed: () => raw.close() };
  }, 10);
  return {
    sides,
    fixture,
    location: `databases ${SIDE_NAMES.map(nameOf).join(', ')}`,
    close: async () => {
      for (const side of SIDE_NAMES) {
        await sides[side].close();
        await admin.dropDatabase(nameOf(side));
      }
    },
  };
}
