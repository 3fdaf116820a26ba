/**
 * The MySQL / MariaDB adapter (mysql2): ssl-mode URLs, a pool, KILL QUERY cancellation.
 * @module @nightcrier/storage-mysql
 */
export { adapter, createMysqlStateStore } from './mysql-adapter.js';
export { MYSQL_DEFAULTS } from './mysql-config.js';
export type { MysqlStoreConfig } from './mysql-config.js';
export { parseMysqlUrl } from './parse-mysql-url.js';
export type { MysqlSslMode, ParsedMysqlUrl } from './parse-mysql-url.js';
