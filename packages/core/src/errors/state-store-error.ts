export type StateStoreErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FOREIGN_KEY'
  | 'VALIDATION'
  | 'CONNECTION'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'CLOSED'
  | 'STORAGE';

/**
 * Base class of every error the SDK throws. `code` is stable across versions and backends;
 * `cause` holds the driver error, with secrets removed.
 */
export class StateStoreError extends Error {
  readonly code: StateStoreErrorCode;

  constructor(code: StateStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** The incident, fault event or other record asked for does not exist. */
export class NotFoundError extends StateStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
  }
}

/** A record with the same id already exists. */
export class ConflictError extends StateStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFLICT', message, options);
  }
}

/** The record refers to an incident or execution that does not exist. */
export class ForeignKeyError extends StateStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FOREIGN_KEY', message, options);
  }
}

/** The input was rejected before the database was touched; `field` names what was wrong. */
export class ValidationError extends StateStoreError {
  readonly field: string | undefined;

  constructor(message: string, options?: { cause?: unknown; field?: string }) {
    super('VALIDATION', message, options);
    this.field = options?.field;
  }
}

/** The database could not be reached: refused, unreachable, authentication, TLS, missing database. */
export class ConnectionError extends StateStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONNECTION', message, options);
  }
}

/** The call's `timeoutMs` (or the store's `defaultTimeoutMs`) passed before it finished. */
export class OperationTimeoutError extends StateStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TIMEOUT', message, options);
  }
}

/** The call's `signal` aborted. */
export class OperationCancelledError extends StateStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CANCELLED', message, options);
  }
}

/** The store was closed before this call. */
export class StoreClosedError extends StateStoreError {
  constructor(message = 'the state store is closed', options?: { cause?: unknown }) {
    super('CLOSED', message, options);
  }
}

/** Any other database failure (disk full, corrupt file, serialization failure that persisted). */
export class StorageError extends StateStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORAGE', message, options);
  }
}
