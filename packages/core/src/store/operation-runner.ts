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
  /**
   * Calls made inside a running transaction may finish even after `close()` began, and are never
   * run again: their connection is the transaction's.
   */
  insideTransaction?: boolean;
  /** Whether a failed attempt may run again at all (e.g. not once a transaction's function started). */
  mayRetry?: () => boolean;
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
  /** Calls whose database work has not settled yet; close() waits for them. */
  private inFlight = 0;
  private onIdle: (() => void) | undefined;
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
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.onIdle = resolve));
  }

  private started(): void {
    this.inFlight += 1;
  }

  private finished(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) this.onIdle?.();
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
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    if (callerSignal === undefined && outer === undefined && timeoutMs === undefined) {
      // Nothing can abort this call: skip the controller, the race and the async context.
      this.started();
      try {
        return await this.attempt(spec, undefined, work);
      } catch (error) {
        throw this.typed(spec, error, undefined);
      } finally {
        this.finished();
      }
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
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => abort({ kind: 'timeout', timeoutMs }), timeoutMs);
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    this.started();
    const execution = this.attempt(spec, controller.signal, () => runWithOperationSignal(controller.signal, work));
    // The database work may outlive the call (an abort rejects at once): close() waits for the work.
    execution.then(
      () => this.finished(),
      () => this.finished(),
    );
    try {
      return await Promise.race([execution, aborted]);
    } catch (error) {
      throw this.typed(spec, error, abortCause);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      outer?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Runs `work`, and once more where a lost connection makes that safe. */
  private async attempt<T>(spec: OperationSpec, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const kind = this.driver.classifyError(error);
      const canRetry =
        signal?.aborted !== true &&
        spec.insideTransaction !== true &&
        (spec.mayRetry?.() ?? true) &&
        (kind === 'server_terminated' || (kind === 'connection_lost' && spec.retryOnLostConnection === true));
      if (!canRetry) throw error;
      return work();
    }
  }

  /** The call's failure as a typed, redacted error; what a transaction's own function threw, as it is. */
  private typed(spec: OperationSpec, error: unknown, abortCause: AbortCause | undefined): unknown {
    if (error instanceof CallbackFailure) return error.thrown;
    return normalizeError(error, spec.action, this.driver.classifyError(error), this.driver.secrets ?? [], abortCause);
  }
}
