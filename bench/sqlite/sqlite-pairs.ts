import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStateStore } from '@nightcrier/storage-sqlite';
import type { TargetPair } from '../harness/bench-target.js';
import { DATA_DIR } from '../harness/paths.js';
import { RawSqliteStore } from './raw-sqlite.js';

const RUN_DIR = join(DATA_DIR, 'run');

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * A store and a raw baseline on two fresh SQLite databases with the same schema: two files in
 * WAL mode with synchronous=NORMAL (the store's defaults), or two `:memory:` databases.
 */
export async function openSqlitePair(kind: 'file' | 'memory'): Promise<TargetPair> {
  if (kind === 'memory') {
    const store = await createSqliteStateStore({ filename: ':memory:' });
    return { store, raw: RawSqliteStore.open(':memory:'), location: ':memory: (two databases)', cleanup: async () => undefined };
  }
  mkdirSync(RUN_DIR, { recursive: true });
  const storePath = join(RUN_DIR, 'store.db');
  const rawPath = join(RUN_DIR, 'raw.db');
  removeDatabaseFiles(storePath);
  removeDatabaseFiles(rawPath);
  const store = await createSqliteStateStore({ filename: storePath });
  return {
    store,
    raw: RawSqliteStore.open(rawPath),
    location: `${storePath} and ${rawPath} (WAL, synchronous=NORMAL)`,
    cleanup: async () => {
      removeDatabaseFiles(storePath);
      removeDatabaseFiles(rawPath);
    },
  };
}
