import type { DriverErrorKind } from '../adapter/driver-error-kind.js';
import {
  ConflictError,
  ConnectionError,
  ForeignKeyError,
  NotFoundError,
  OperationCancelledError,
  OperationTimeoutError,
  StateStoreError,
  StorageError,
  StoreClosedError,
  ValidationError,
} from '../errors/state-store-error.js';
import { redactError, redactText } from '../redaction/redact.js';
import { previewText } from '../validation/preview-value.js';

/** Why a call's internal abort signal fired. */
export type AbortCause = { kind: 'timeout'; timeoutMs: number } | { kind: 'cancelled' } | { kind: 'closed' };

/** How long a driver's message may be in ours: servers echo row values into messages. */
const DRIVER_MESSAGE_CHARS = 300;

interface AbortedErrorOptions {
  driverError?: unknown;
  note?: string;
  outcomeUnknown?: boolean;
}

/** The error a call rejects with once it was abandoned for `cause`. */
export function abortedError(action: string, cause: AbortCause, options: AbortedErrorOptions = {}): StateStoreError {
  const errorOptions = { ...(options.driverError === undefined ? {} : { cause: options.driverError }), outcomeUnknown: options.outcomeUnknown === true };
  const suffix = options.note === undefined ? '' : `; ${options.note}`;
  switch (cause.kind) {
    case 'cancelled':
      return new OperationCancelledError(`failed to ${action}: cancelled${suffix}`, errorOptions);
    case 'closed':
      return new StoreClosedError(`failed to ${action}: the store was closed while the call ran${suffix}`, errorOptions);
    case 'timeout': {
      const after = cause.timeoutMs > 0 ? `after ${cause.timeoutMs} ms` : "(its transaction's deadline passed)";
      return new OperationTimeoutError(`failed to ${action}: timed out ${after}${suffix}`, errorOptions);
    }
  }
}

function driverMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return driverMessage(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  try {
    return String(error);
  } catch {
    return 'an unprintable error';
  }
}

export interface NormalizeOptions {
  secrets: readonly string[];
  /** The write may have taken effect (see `StateStoreError.outcomeUnknown`). */
  outcomeUnknown?: boolean;
}

/**
 * Turns anything a driver threw into a `StateStoreError` that says what failed, keeps the driver
 * error as `cause`, quotes at most a short prefix of the driver's message, and holds no secret.
 */
export function normalizeError(error: unknown, action: string, kind: DriverErrorKind | undefined, options: NormalizeOptions): StateStoreError {
  const { secrets } = options;
  // The query layer says only what is missing; the message also says what failed.
  if (error instanceof NotFoundError && !error.message.startsWith('failed to ')) return new NotFoundError(`failed to ${action}: ${error.message}`);
  if (error instanceof StateStoreError) return redactError(error, secrets);
  const cause = redactError(error, secrets);
  const message = `failed to ${action}: ${redactText(previewText(driverMessage(error), DRIVER_MESSAGE_CHARS), secrets)}`;
  const errorOptions = { cause, outcomeUnknown: options.outcomeUnknown === true };
  switch (kind) {
    case 'unique_violation':
      return new ConflictError(message, errorOptions);
    case 'foreign_key_violation':
      return new ForeignKeyError(message, errorOptions);
    case 'check_violation':
    case 'not_null_violation':
      return new ValidationError(message, errorOptions);
    case 'connection':
    case 'connection_lost':
      return new ConnectionError(message, errorOptions);
    case 'cancelled':
      return new OperationCancelledError(message, errorOptions);
    default:
      return new StorageError(message, errorOptions);
  }
}
