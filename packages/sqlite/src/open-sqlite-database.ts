import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ConnectionError, NativeModuleError, whileBusy } from '@nightcrier/storage-core/adapter';
import { checkFilename, SQLITE_DEFAULTS, type SqliteStoreConfig } from './sqlite-config.js';
import { isBusy } from './sqlite-error-kind.js';

/**
 * How long one statement blocks the thread waiting for a lock before it reports SQLITE_BUSY and the
 * store waits asynchronously instead (then tries again, within `busyTimeoutMs`).
 */
export const STATEMENT_BUSY_TIMEOUT_MS = 10;

export function isMemoryFilename(filename: string): boolean {
  return filename === ':memory:' || filename === '';
}

/**
 * Creates the missing folders of `folder` one level at a time: a bounded walk, where Node's
 * recursive mkdir loops forever on some paths (under /proc, for one).
 */
function createFolder(folder: string): void {
  const missing: string[] = [];
  for (let current = folder; !existsSync(current); current = dirname(current)) {
    if (dirname(current) === current) break;
    missing.push(current);
  }
  for (const path of missing.reverse()) mkdirSync(path);
}

/**
 * What Node and `bindings` say when better-sqlite3's compiled addon is absent or built for another
 * Node (no exported error code covers all of them: `bindings` throws a plain Error).
 */
const NATIVE_BUILD_MISSING = /Could not locate the bindings file|ERR_DLOPEN_FAILED|NODE_MODULE_VERSION|invalid ELF header|was compiled against a different Node\.js version/;

function nativeModuleProblem(cause: unknown): boolean {
  const text = cause instanceof Error ? `${(cause as NodeJS.ErrnoException).code ?? ''} ${cause.message}` : String(cause);
  return NATIVE_BUILD_MISSING.test(text);
}

function openHandle(path: string, mustExist: boolean): BetterSqlite3.Database {
  try {
    return new BetterSqlite3(path, { timeout: STATEMENT_BUSY_TIMEOUT_MS, fileMustExist: mustExist });
  } catch (cause) {
    if (nativeModuleProblem(cause)) {
      throw new NativeModuleError(
        `failed to open SQLite: the native module of better-sqlite3 is not built for this Node.js (${process.version}). ` +
          'pnpm runs no install script until it is approved: add `allowBuilds: { better-sqlite3: true }` to ' +
          'pnpm-workspace.yaml (or run `pnpm approve-builds`), then `pnpm rebuild better-sqlite3`; ' +
          'with npm or yarn run `npm rebuild better-sqlite3` / `yarn rebuild better-sqlite3`',
        { cause },
      );
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConnectionError(`failed to open SQLite database ${path}: ${reason}`, { cause });
  }
}

/**
 * Opens the one connection a SQLite store uses and sets its pragmas: WAL journal, foreign keys, a
 * short busy timeout (see STATEMENT_BUSY_TIMEOUT_MS), the synchronous level. With `migrate: false`
 * nothing is created: a missing file is an error, not a new empty database.
 */
export async function openSqliteDatabase(
  config: Pick<SqliteStoreConfig, 'filename' | 'busyTimeoutMs' | 'synchronous' | 'migrate'>,
): Promise<BetterSqlite3.Database> {
  const filename = checkFilename(config.filename);
  const synchronous = config.synchronous ?? SQLITE_DEFAULTS.synchronous;
  const memory = isMemoryFilename(filename);
  const path = memory ? ':memory:' : resolve(filename);
  const mustExist = !memory && config.migrate === false;
  if (mustExist && !existsSync(path)) {
    throw new ConnectionError(`failed to open SQLite database ${path}: the file does not exist (and a store that does not migrate creates none)`);
  }
  if (!memory && !mustExist) {
    try {
      createFolder(dirname(path));
    } catch (cause) {
      throw new ConnectionError(`failed to open SQLite database ${path}: cannot create its folder (${(cause as Error).message})`, { cause });
    }
  }
  const database = openHandle(path, mustExist);
  try {
    // Switching a shared file to WAL takes a lock other connections may hold: wait for it asynchronously.
    if (!memory) await whileBusy(() => database.pragma('journal_mode = WAL'), isBusy, config.busyTimeoutMs ?? SQLITE_DEFAULTS.busyTimeoutMs);
    database.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    database.pragma('foreign_keys = ON');
    return database;
  } catch (cause) {
    database.close();
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConnectionError(`failed to open SQLite database ${path}: ${reason}`, { cause });
  }
}
