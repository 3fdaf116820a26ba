export { createPostgresStateStore } from './create-postgres-state-store.js';
export { adapter } from './postgres-adapter.js';
export { POSTGRES_POOL_DEFAULTS } from './postgres-config.js';
export type { PostgresStoreConfig } from './postgres-config.js';
export { parsePostgresUrl, redactPostgresUrl } from './parse-postgres-url.js';
