import type { StoreOptions } from '@nightcrier/storage-core/adapter';

/** Settings of a MySQL / MariaDB store; the `StoreOptions` every adapter shares apply too. */
export interface MysqlStoreConfig extends StoreOptions {
  /** `mysql://user:password@host:3306/database?ssl-mode=VERIFY_IDENTITY&ssl-ca=/path/ca.pem` (or `mariadb://`). */
  url: string;
  /** How long opening one connection may take; default 10000 ms (the URL's `connect-timeout` wins). */
  connectTimeoutMs?: number;
  /**
   * How long a connection may stay silent before the store checks it (default 10000 ms; 0: never):
   * the TCP keepalive delay, and how long a statement may go unanswered before the store looks it up
   * in the server's process list over another connection (an answer lost to the network frees its call).
   */
  keepAliveMs?: number;
}

/** What the MySQL store uses when its config leaves a setting out. */
export const MYSQL_DEFAULTS = Object.freeze({
  /** `connectTimeoutMs`: how long opening one connection may take. */
  connectTimeoutMs: 10_000,
  /** `keepAliveMs`: TCP keepalive delay, so a silently cut connection is noticed. */
  keepAliveMs: 10_000,
});
