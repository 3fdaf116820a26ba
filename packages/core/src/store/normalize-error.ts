import {
  ConflictError,
  ConnectionError,
  ForeignKeyError,
  NotFoundError,
  OperationCancelledError,
  OperationTimeoutError,
  StateStoreError,
  StorageError,
  ValidationError,
} from '../errors/state-store-error.js';
import { redactSecrets, redactText } from './redact-secrets.js';
import type { DriverErrorKind } from './store-driver.js';

/** Why a call's internal abort signal fired. */
export type AbortCause = { kind: 'timeout'; timeoutMs: number } | { kind: 'cancelled' };

export function abortedError(action: string, cause: AbortCause, driverError?: unknown, note?: string): StateStoreError {
  const options = driverError === undefined ? undefined : { cause: driverError };
  const suffix = note === undefined ? '' : `; ${note}`;
  if (cause.kind === 'cancelled') return new OperationCancelledError(`failed to ${action}: cancelled${suffix}`, options);
  const after = cause.timeoutMs > 0 ? `after ${cause.timeoutMs} ms` : "(its transaction's deadline passed)";
  return new OperationTimeoutError(`failed to ${action}: timed out ${after}${suffix}`, options);
}

function driverMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return driverMessage(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Turns anything a driver threw into a `StateStoreError` that says what failed, keeps the driver
 * error as `cause`, and holds none of `secrets`.
 */
export function normalizeError(
  error: unknown,
  action: string,
  kind: DriverErrorKind | undefined,
  secrets: readonly string[],
  abort: AbortCause | undefined,
): StateStoreError {
  // The query layer says only what is missing; the message also says what failed.
  if (error instanceof NotFoundError && !error.message.startsWith('failed to ')) {
    return new NotFoundError(`failed to ${action}: ${error.message}`);
  }
  if (error instanceof StateStoreError) return redactSecrets(error, secrets);
  const cause = redactSecrets(error, secrets);
  if (abort !== undefined) return abortedError(action, abort, cause);
  const detail = redactText(driverMessage(error), secrets);
  const message = `failed to ${action}: ${detail}`;
  switch (kind) {
    case 'unique_violation':
      return new ConflictError(message, { cause });
    case 'foreign_key_violation':
      return new ForeignKeyError(message, { cause });
    case 'check_violation':
    case 'not_null_violation':
      return new ValidationError(message, { cause });
    case 'connection':
    case 'connection_lost':
    case 'server_terminated':
      return new ConnectionError(message, { cause });
    case 'cancelled':
      return new OperationCancelledError(message, { cause });
    default:
      return new StorageError(message, { cause });
  }
}
