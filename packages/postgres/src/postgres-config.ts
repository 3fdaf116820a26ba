import type { StoreOptions } from '@nightcrier/storage-core/adapter';

/** Settings of a PostgreSQL store; the `StoreOptions` every adapter shares apply too. */
export interface PostgresStoreConfig extends StoreOptions {
  /** `postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=/path/ca.pem` */
  url: string;
  /**
   * How long opening one connection may take; default 10000 ms (the URL's `connect_timeout` wins).
   * With several hosts in the URL it applies to each host tried, as libpq's `connect_timeout` does.
   */
  connectTimeoutMs?: number;
  /**
   * How long a connection may stay silent before the store checks it (default 10000 ms; 0: never).
   * TCP keepalive starts probing an idle connection after this long (then one probe a second, 10 in
   * all), and a statement unanswered this long is looked up on the server over another connection:
   * when the server is not running it, its answer was lost and the connection is dropped.
   */
  keepAliveMs?: number;
  /**
   * Named prepared statements (default true): each statement is parsed and planned once per
   * connection. Set false (or `prepared_statements=false` in the URL, which wins) behind a pooler
   * that cannot track them — PgBouncer before 1.21 or with `max_prepared_statements = 0`, older
   * RDS Proxy — where named statements collide across clients (42P05). Every statement then runs
   * unnamed: parsed and planned on every call.
   */
  preparedStatements?: boolean;
}

/** What the PostgreSQL store uses when its config leaves a setting out. */
export const POSTGRES_DEFAULTS = Object.freeze({
  /** `connectTimeoutMs`: how long opening one connection may take. */
  connectTimeoutMs: 10_000,
  /** `keepAliveMs`: TCP keepalive delay, so a silently cut connection is noticed. */
  keepAliveMs: 10_000,
});
