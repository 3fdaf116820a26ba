/**
 * The stable, machine-readable kind of a {@link StateStoreError}: the same on every backend and
 * across versions, so callers may branch on it (`error.code === 'NOT_FOUND'`).
 */
export type StateStoreErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FOREIGN_KEY'
  | 'VALIDATION'
  | 'CONNECTION'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'CLOSED'
  | 'STORAGE'
  | 'NATIVE_MODULE';

/**
 * Base class of every error the SDK throws. `code` is stable across versions and backends;
 * `cause` holds the driver error, with secrets removed.
 */
export class StateStoreError extends Error {
  /** What kind of failure this is; each subclass has its own (`NotFoundError` → `NOT_FOUND`). */
  readonly code: StateStoreErrorCode;
  /**
   * True when the call may have taken effect although it failed: a write reached the database and
   * the connection died, or the server did not confirm a cancellation, before the answer came.
   * Read the record back before writing it again. False means the call changed nothing.
   */
  readonly outcomeUnknown: boolean;

  constructor(code: StateStoreErrorCode, message: string, options?: StateStoreErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    this.outcomeUnknown = options?.outcomeUnknown === true;
  }
}

/** What every `StateStoreError` constructor takes beside its message. */
export interface StateStoreErrorOptions {
  /** The driver error (or other error) behind this one. */
  cause?: unknown;
  /** See `StateStoreError.outcomeUnknown`; default false. */
  outcomeUnknown?: boolean;
}

/** The incident, fault event or other record asked for does not exist. */
export class NotFoundError extends StateStoreError {
  constructor(message: string, options?: StateStoreErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

/** A record with the same id already exists. */
export class ConflictError extends StateStoreError {
  constructor(message: string, options?: StateStoreErrorOptions) {
    super('CONFLICT', message, options);
  }
}

/** The record refers to an incident or execution that does not exist. */
export class ForeignKeyError extends StateStoreError {
  constructor(message: string, options?: StateStoreErrorOptions) {
    super('FOREIGN_KEY', message, options);
  }
}

/** The input was rejected before the database was touched; `field` names what was wrong. */
export class ValidationError extends StateStoreError {
  /** The option or record field that was wrong (`incidentId`, `limit`, `url`), when one was. */
  readonly field: string | undefined;

  constructor(message: string, options?: StateStoreErrorOptions & { field?: string }) {
    super('VALIDATION', message, options);
    this.field = options?.field;
  }
}

/**
 * The database could not be reached (refused, unreachable, authentication, TLS, missing database),
 * or the connection died during the call. `outcomeUnknown` tells the two apart for writes.
 */
export class ConnectionError extends StateStoreError {
  constructor(message: string, options?: StateStoreErrorOptions) {
    super('CONNECTION', message, options);
  }
}

/** The call's `timeoutMs` (or the store's `defaultTimeoutMs`) passed before it finished. */
export class OperationTimeoutError extends StateStoreError {
  constructor(message: string, options?: StateStoreErrorOptions) {
    super('TIMEOUT', message, options);
  }
}

/** The call's `signal` aborted. */
export class OperationCancelledError extends StateStoreError {
  constructor(message: string, options?: StateStoreErrorOptions) {
    super('CANCELLED', message, options);
  }
}

/** The store was closed before this call. */
export class StoreClosedError extends StateStoreError {
  constructor(message = 'the state store is closed', options?: StateStoreErrorOptions) {
    super('CLOSED', message, options);
  }
}

/** Any other database failure (disk full, corrupt file, serialization failure that persisted). */
export class StorageError extends StateStoreError {
  constructor(message: string, options?: StateStoreErrorOptions) {
    super('STORAGE', message, options);
  }
}

/**
 * A driver's native module cannot load: not built for this Node.js (a package manager skipped its
 * install script, or Node was upgraded since). An installation problem, not a database outage: the
 * message says how to build it. Thrown when a store opens, before any database is touched.
 */
export class NativeModuleError extends StateStoreError {
  constructor(message: string, options?: StateStoreErrorOptions) {
    super('NATIVE_MODULE', message, options);
  }
}
