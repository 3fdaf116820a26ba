/**
 * The PostgreSQL adapter (node-postgres): libpq sslmode URLs, a pool, server-side cancellation.
 * @module @nightcrier/storage-postgres
 */
export { adapter, createPostgresStateStore } from './postgres-adapter.js';
export { POSTGRES_DEFAULTS } from './postgres-config.js';
export type { PostgresStoreConfig } from './postgres-config.js';
export { parsePostgresUrl } from './parse-postgres-url.js';
export type { ParsedPostgresUrl, PostgresSslMode } from './parse-postgres-url.js';
export type { TargetSessionAttrs } from './session-target.js';
