import type { StoreOptions } from '@nightcrier/storage-core/adapter';

/** Settings of a PostgreSQL store; the `StoreOptions` every adapter shares apply too. */
export interface PostgresStoreConfig extends StoreOptions {
  /** `postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=/path/ca.pem` */
  url: string;
  /** How long opening one connection may take; default 10000 ms (the URL's `connect_timeout` wins). */
  connectTimeoutMs?: number;
  /**
   * TCP keepalive on every connection: the first probe after this many idle milliseconds (default
   * 10000), then one a second, 10 in all, so a connection a network silently dropped is noticed
   * within ~20 s even when no call is waiting on it. 0 turns keepalive off.
   */
  keepAliveMs?: number;
}

export const POSTGRES_DEFAULTS = Object.freeze({ connectTimeoutMs: 10_000, keepAliveMs: 10_000 });
