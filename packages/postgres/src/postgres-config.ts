import type { PoolOptions, StoreOptions } from '@nightcrier/storage-core';
import { ValidationError } from '@nightcrier/storage-core';
import type { PoolSettings } from './postgres-pool.js';

/** Settings of a PostgreSQL store; the `StoreOptions` every adapter shares apply too. */
export interface PostgresStoreConfig extends StoreOptions {
  /** `postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=/path/ca.pem` */
  url: string;
  /** How long opening one connection may take; default 10000 ms (the URL's `connect_timeout` wins). */
  connectTimeoutMs?: number;
}

export const POSTGRES_POOL_DEFAULTS = Object.freeze({
  maxOpenConns: 25,
  maxIdleConns: 5,
  connMaxLifetimeMs: 300_000,
  connMaxIdleTimeMs: 600_000,
  connectTimeoutMs: 10_000,
});

function checkCount(field: string, value: unknown, minimum: number): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum)) {
    throw new ValidationError(`invalid ${field}: expected an integer ≥ ${minimum}, got ${String(value)}`, { field });
  }
}

/** The pool settings with defaults filled in, checked. */
export function poolSettings(pool: PoolOptions | undefined, connectTimeoutMs: number | undefined): PoolSettings {
  checkCount('pool.maxOpenConns', pool?.maxOpenConns, 1);
  checkCount('pool.maxIdleConns', pool?.maxIdleConns, 0);
  checkCount('pool.connMaxLifetimeMs', pool?.connMaxLifetimeMs, 1);
  checkCount('pool.connMaxIdleTimeMs', pool?.connMaxIdleTimeMs, 1);
  checkCount('connectTimeoutMs', connectTimeoutMs, 1);
  return {
    maxOpenConns: pool?.maxOpenConns ?? POSTGRES_POOL_DEFAULTS.maxOpenConns,
    maxIdleConns: pool?.maxIdleConns ?? POSTGRES_POOL_DEFAULTS.maxIdleConns,
    connMaxLifetimeMs: pool?.connMaxLifetimeMs ?? POSTGRES_POOL_DEFAULTS.connMaxLifetimeMs,
    connMaxIdleTimeMs: pool?.connMaxIdleTimeMs ?? POSTGRES_POOL_DEFAULTS.connMaxIdleTimeMs,
    connectTimeoutMs: connectTimeoutMs ?? POSTGRES_POOL_DEFAULTS.connectTimeoutMs,
  };
}
