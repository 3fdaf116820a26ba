export { createSqliteStateStore } from './create-sqlite-state-store.js';
export { adapter } from './sqlite-adapter.js';
export { parseSqliteUrl, SQLITE_DEFAULTS } from './sqlite-config.js';
export type { SqliteStoreConfig, SqliteSynchronous } from './sqlite-config.js';
export { openSqliteDatabase } from './open-sqlite-database.js';
