/**
 * The SQLite adapter (better-sqlite3): the embedded default, one file, WAL.
 * @module @nightcrier/storage-sqlite
 */
export { adapter, createSqliteStateStore } from './sqlite-adapter.js';
export { parseSqliteUrl, SQLITE_DEFAULTS } from './sqlite-config.js';
export type { SqliteStoreConfig, SqliteSynchronous } from './sqlite-config.js';
