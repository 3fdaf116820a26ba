import { SqliteAdapter, SqliteQueryCompiler } from 'kysely';
import { builtInSchemes, defineAdapter } from '@nightcrier/storage-core/adapter';
import { MIGRATIONS } from './generated/migrations.js';
import { isMemoryFilename, openSqliteDatabase } from './open-sqlite-database.js';
import { sqliteCodecs } from './sqlite-codecs.js';
import { parseSqliteUrl, SQLITE_DEFAULTS, type SqliteStoreConfig } from './sqlite-config.js';
import { sqliteErrorKind } from './sqlite-error-kind.js';
import { SqliteSessionPool } from './sqlite-session-pool.js';
import { createStatementCache } from './statement-cache.js';

/** The adapter `createStateStore` uses for `sqlite:`, `file:` and `:memory:` URLs. */
export const adapter = defineAdapter<SqliteStoreConfig>({
  name: 'sqlite',
  schemes: builtInSchemes('sqlite'),
  parseUrl: parseSqliteUrl,
  async connect(config) {
    const database = await openSqliteDatabase(config);
    return {
      sql: { createAdapter: () => new SqliteAdapter(), createQueryCompiler: () => new SqliteQueryCompiler() },
      codecs: sqliteCodecs,
      pool: new SqliteSessionPool(database, createStatementCache(database)),
      server: { system: 'sqlite', namespace: isMemoryFilename(config.filename) ? ':memory:' : database.name },
      lockWaitMs: config.busyTimeoutMs ?? SQLITE_DEFAULTS.busyTimeoutMs,
    };
  },
  classifyError: sqliteErrorKind,
  capabilities: {
    // Read-then-write transactions from several connections queue for the write lock up front
    // instead of failing with SQLITE_BUSY_SNAPSHOT when they try to write.
    beginTransaction: 'begin immediate',
    walkOrderIndex: true,
    synchronous: true,
  },
  // SQLite needs no lock of its own: BEGIN IMMEDIATE is the lock.
  migrations: { files: () => MIGRATIONS },
});

/**
 * Opens a SQLite store on `config.filename` (a path or `:memory:`), applying pending migrations
 * unless `migrate` is false.
 *
 * @example
 * ```ts
 * const store = await createSqliteStateStore({ filename: './data/nightcrier.db', synchronous: 'full' });
 * ```
 */
export const createSqliteStateStore = adapter.openStore;
