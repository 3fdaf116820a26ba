import type { OperationOptions } from '../domain/types.js';
import { ValidationError } from '../errors/state-store-error.js';
import { previewValue } from '../validation/preview-value.js';

/** The longest delay a Node timer keeps (about 24.8 days); a longer one would fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** A deadline in milliseconds: a positive number a timer can hold. */
export function checkTimeoutMs(field: string, timeoutMs: unknown): void {
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new ValidationError(`invalid ${field}: expected a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${previewValue(timeoutMs)}`, {
      field,
    });
  }
}

/** A call's `options` argument, checked and copied (read once). */
export function checkOperationOptions(options: unknown): OperationOptions | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(`invalid options: expected an object, got ${previewValue(options)}`, { field: 'options' });
  }
  const { timeoutMs, signal } = options as Record<string, unknown>;
  checkTimeoutMs('options.timeoutMs', timeoutMs);
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ValidationError(`invalid options.signal: expected an AbortSignal, got ${previewValue(signal)}`, { field: 'options.signal' });
  }
  const checked: OperationOptions = {};
  if (timeoutMs !== undefined) checked.timeoutMs = timeoutMs as number;
  if (signal !== undefined) checked.signal = signal;
  return checked;
}
