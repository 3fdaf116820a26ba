import { type StoreOptions, ValidationError } from '@nightcrier/storage-core/adapter';

/** SQLite's `synchronous` pragma: `normal` survives a process crash, `full` also a power loss. */
export type SqliteSynchronous = 'normal' | 'full';

/** Settings of a SQLite store; the `StoreOptions` every adapter shares apply too. */
export interface SqliteStoreConfig extends StoreOptions {
  /** A file path (its folder is created when missing) or `:memory:`. */
  filename: string;
  /**
   * How long a call waits for a lock another connection holds (another process, or another store in
   * this one); default 5000 ms. The wait is asynchronous: the thread keeps serving meanwhile.
   */
  busyTimeoutMs?: number;
  /**
   * `normal` (default): WAL commits survive a process crash; an OS crash or power loss may lose the
   * last commits. `full`: fsync on every commit, slower, survives power loss too.
   */
  synchronous?: SqliteSynchronous;
}

/** What the SQLite store uses when its config leaves a setting out. */
export const SQLITE_DEFAULTS = Object.freeze({
  /** `busyTimeoutMs`: how long a write waits for another process's lock on the file. */
  busyTimeoutMs: 5000,
  /** `synchronous`: the pragma's value. */
  synchronous: 'normal' as SqliteSynchronous,
});

/**
 * The file a SQLite URL names: `sqlite:relative/path.db`, `sqlite:///absolute/path.db`,
 * `sqlite::memory:`, `file:path.db`, `file:///absolute/path.db`, `:memory:`. Query parameters
 * `busy_timeout` (ms) and `synchronous` (normal|full) are read too.
 */
export function parseSqliteUrl(url: string): Pick<SqliteStoreConfig, 'filename' | 'busyTimeoutMs' | 'synchronous'> {
  if (url === ':memory:') return { filename: ':memory:' };
  const match = /^(sqlite|file):(.*)$/i.exec(url);
  if (match === null) throw new ValidationError('invalid url: a SQLite URL starts with sqlite: or file:', { field: 'url' });
  let rest = match[2] ?? '';
  const queryStart = rest.indexOf('?');
  const query = new URLSearchParams(queryStart === -1 ? '' : rest.slice(queryStart + 1));
  if (queryStart !== -1) rest = rest.slice(0, queryStart);
  // sqlite:///abs → /abs ; sqlite://rel → rel (an empty authority, as in other SQLite URL parsers)
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  let filename: string;
  try {
    filename = decodeURIComponent(path);
  } catch (cause) {
    throw new ValidationError('invalid url: the SQLite path has a malformed percent-encoding', { field: 'url', cause });
  }
  if (filename.length === 0) throw new ValidationError('invalid url: the SQLite URL names no file', { field: 'url' });
  checkFilename(filename, 'url');

  const config: Pick<SqliteStoreConfig, 'filename' | 'busyTimeoutMs' | 'synchronous'> = { filename };
  for (const [key, value] of query) {
    if (key === 'busy_timeout') {
      const busyTimeoutMs = Number(value);
      if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
        throw new ValidationError(`invalid url: busy_timeout must be a non-negative integer, got ${value}`, { field: 'url' });
      }
      config.busyTimeoutMs = busyTimeoutMs;
    } else if (key === 'synchronous') {
      if (value !== 'normal' && value !== 'full') {
        throw new ValidationError(`invalid url: synchronous must be normal or full, got ${value}`, { field: 'url' });
      }
      config.synchronous = value;
    } else {
      throw new ValidationError(`invalid url: unknown SQLite parameter ${key}; known: busy_timeout, synchronous`, { field: 'url' });
    }
  }
  return config;
}

/**
 * A path SQLite can open as given: a string without NUL (the C API would cut the path there and
 * open another file).
 */
export function checkFilename(filename: unknown, field = 'filename'): string {
  if (typeof filename !== 'string' || filename.length === 0) {
    throw new ValidationError(`invalid ${field}: expected a file path or :memory:`, { field });
  }
  if (filename.includes('\u0000')) throw new ValidationError(`invalid ${field}: the path holds a NUL character`, { field });
  return filename;
}
