export { adapter, createMysqlStateStore } from './mysql-adapter.js';
export { MYSQL_DEFAULTS } from './mysql-config.js';
export type { MysqlStoreConfig } from './mysql-config.js';
export { parseMysqlUrl } from './parse-mysql-url.js';
export type { MysqlSslMode, ParsedMysqlUrl } from './parse-mysql-url.js';
