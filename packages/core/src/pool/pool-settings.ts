import { ValidationError } from '../errors/state-store-error.js';
import type { PoolOptions } from '../state-store.js';

/** The pool settings with every default filled in. */
export interface PoolSettings {
  /** `maxOpenConns`: connections open at once, idle and lent out together. */
  maxOpen: number;
  /** `maxIdleConns`: idle connections kept once `idleGraceMs` has passed. */
  maxIdle: number;
  /** `connMaxLifetimeMs`: a connection older than this is closed when it comes back or is next picked. */
  maxLifetimeMs: number;
  /** `connMaxIdleTimeMs`: an idle connection unused this long is closed. */
  maxIdleTimeMs: number;
  /** `idleGraceMs`: how long idle connections above `maxIdle` stay before they are closed. */
  idleGraceMs: number;
}

/** The defaults of every pooled backend (PostgreSQL, MySQL), as SPEC and README give them. */
export const POOL_DEFAULTS: Readonly<Required<PoolOptions>> = Object.freeze({
  maxOpenConns: 25,
  maxIdleConns: 5,
  connMaxLifetimeMs: 300_000,
  connMaxIdleTimeMs: 600_000,
  idleGraceMs: 5_000,
});

function read(pool: Record<string, unknown>, key: keyof PoolOptions, minimum: number): number {
  const value = pool[key];
  if (value === undefined) return POOL_DEFAULTS[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new ValidationError(`invalid pool.${key}: expected an integer ≥ ${minimum}, got ${String(value)}`, { field: `pool.${key}` });
  }
  return value;
}

/** The checked settings of `pool` (a store's `pool` option), defaults filled in. */
export function poolSettings(pool: PoolOptions | undefined): PoolSettings {
  if (pool !== undefined && (typeof pool !== 'object' || pool === null)) {
    throw new ValidationError('invalid pool: expected an object', { field: 'pool' });
  }
  const given = (pool ?? {}) as Record<string, unknown>;
  return {
    maxOpen: read(given, 'maxOpenConns', 1),
    maxIdle: read(given, 'maxIdleConns', 0),
    maxLifetimeMs: read(given, 'connMaxLifetimeMs', 1),
    maxIdleTimeMs: read(given, 'connMaxIdleTimeMs', 1),
    idleGraceMs: read(given, 'idleGraceMs', 0),
  };
}
