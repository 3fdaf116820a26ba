import type { BenchTarget, TargetPair } from './bench-target.js';

/** What the pair opener needs from a server engine's admin helpers (`bench/<engine>/<engine>-admin.ts`). */
export interface ServerAdmin {
  /** Drops (if present) and creates the database `name`; returns its URL. */
  recreateDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Applies the repository's up migrations at `url`: the schema the store migrates itself to. */
  migrateRaw(url: string): Promise<void>;
}

/** Per process: two runs against one server (or a run and a profile) never drop each other's databases. */
export const BENCH_DATABASES = { store: `nc_bench_${process.pid}_store`, raw: `nc_bench_${process.pid}_raw` } as const;

/**
 * A store and a raw baseline on two fresh databases of the same server with the same schema: the
 * store migrates its own, the raw side gets the repository's SQL.
 */
export async function openServerPair(
  admin: ServerAdmin,
  openStore: (url: string) => Promise<BenchTarget>,
  openRaw: (url: string) => BenchTarget,
): Promise<TargetPair> {
  const storeUrl = await admin.recreateDatabase(BENCH_DATABASES.store);
  const rawUrl = await admin.recreateDatabase(BENCH_DATABASES.raw);
  await admin.migrateRaw(rawUrl);
  const store = await openStore(storeUrl);
  return {
    store,
    raw: openRaw(rawUrl),
    location: `databases ${BENCH_DATABASES.store} (store) and ${BENCH_DATABASES.raw} (raw)`,
    cleanup: async () => {
      await admin.dropDatabase(BENCH_DATABASES.store);
      await admin.dropDatabase(BENCH_DATABASES.raw);
    },
  };
}
