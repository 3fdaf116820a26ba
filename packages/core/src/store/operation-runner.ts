import type { OperationOptions } from '../domain/types.js';
import { OperationCancelledError, StoreClosedError, ValidationError } from '../errors/state-store-error.js';
import { type AbortCause, abortedError, normalizeError } from './normalize-error.js';
import { currentOperationSignal, runWithOperationSignal } from './operation-context.js';
import type { StoreDriver } from './store-driver.js';
import { CallbackFailure } from './transaction-support.js';

export interface OperationSpec {
  /** What the call does, for messages: `insert incident inc-1`. */
  action: string;
  /** Safe to run a second time when the first attempt lost its connection (reads, upserts). */
  retryOnLostConnection?: boolean;
  /** Checks the call's input; runs after the closed check and before anything is sent. */
  validate?: () => void;
  /** Calls made inside a running transaction may finish even after `close()` began. */
  insideTransaction?: boolean;
}

function checkOptions(options: OperationOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('invalid options: expected an object', { field: 'options' });
  }
  const { timeoutMs, signal } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new ValidationError(`invalid options.timeoutMs: expected a positive number, got ${String(timeoutMs)}`, {
      field: 'options.timeoutMs',
    });
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ValidationError('invalid options.signal: expected an AbortSignal', { field: 'options.signal' });
  }
}

/**
 * Runs every store call: refuses calls after close, applies the call's signal and deadline, maps
 * driver errors to typed errors, redacts secrets, and tracks the call so `close()` can wait for it.
 */
export class OperationRunner {
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly driver: StoreDriver,
    private readonly defaultTimeoutMs: number | undefined,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops new calls and resolves once the running ones have settled. */
  async drain(): Promise<void> {
    this.closed = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async run<T>(spec: OperationSpec, options: OperationOptions | undefined, work: () => Promise<T>): Promise<T> {
    if (this.closed && spec.insideTransaction !== true) {
      throw new StoreClosedError(`failed to ${spec.action}: the state store is closed`);
    }
    spec.validate?.();
    checkOptions(options);
    const outer = currentOperationSignal();
    const callerSignal = options?.signal;
    if (callerSignal?.aborted || outer?.aborted) {
      throw new OperationCancelledError(`failed to ${spec.action}: cancelled before it started`);
    }

    const controller = new AbortController();
    let abortCause: AbortCause | undefined;
    const abort = (cause: AbortCause) => {
      if (abortCause !== undefined) return;
      abortCause = cause;
      controller.abort(abortedError(spec.action, cause));
    };
    const onCallerAbort = () => abort({ kind: 'cancelled' });
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    // Inside transaction(): the transaction's own signal and deadline bound every call made in it.
    outer?.addEventListener('abort', onCallerAbort, { once: true });
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => abort({ kind: 'timeout', timeoutMs }), timeoutMs);

    const attempt = () => runWithOperationSignal(controller.signal, work);
    const execution = attempt().catch((error: unknown) => {
      const kind = this.driver.classifyError(error);
      const canRetry =
        !controller.signal.aborted &&
        (kind === 'stale_connection' || (kind === 'connection_lost' && spec.retryOnLostConnection === true));
      if (!canRetry) throw error;
      return attempt();
    });
    this.inFlight.add(execution);
    const untrack = () => this.inFlight.delete(execution);
    execution.then(untrack, untrack);

    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    try {
      return await Promise.race([execution, aborted]);
    } catch (error) {
      // What the caller's own transaction function threw is theirs: rethrow it as it is.
      if (error instanceof CallbackFailure) throw error.thrown;
      throw normalizeError(error, spec.action, this.driver.classifyError(error), this.driver.secrets ?? [], abortCause);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      outer?.removeEventListener('abort', onCallerAbort);
    }
  }
}
