import { setMaxListeners } from 'node:events';
import type { OperationOptions } from '../domain/types.js';
import { OperationCancelledError, OperationTimeoutError, StoreClosedError, ValidationError } from '../errors/state-store-error.js';
import { type AbortCause, abortedError, normalizeError } from './normalize-error.js';
import { currentOperation, runInOperation } from './operation-context.js';
import type { StoreDriver } from './store-driver.js';
import { CallbackFailure } from './transaction-support.js';

export interface OperationSpec {
  /** What the call does, for messages: `insert incident inc-1` (a function: built only for a message). */
  action: string | (() => string);
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
  /** The call is `transaction()`: code inside it runs with this store marked as in a transaction. */
  opensTransaction?: boolean;
}

function actionOf(spec: OperationSpec): string {
  return typeof spec.action === 'function' ? spec.action() : spec.action;
}

/** How long an abandoned call waits for the server to confirm the fate of its running statement. */
const ABANDONED_STATEMENT_GRACE_MS = 2000;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** `work`'s outcome if it settles within `ms`, else undefined. */
async function settledWithin<T>(work: Promise<T>, ms: number): Promise<Outcome<T> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([
      work.then(
        (value): Outcome<T> => ({ ok: true, value }),
        (error: unknown): Outcome<T> => ({ ok: false, error }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The longest delay a Node timer keeps (about 24.8 days); a longer one would fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** A deadline in milliseconds: a positive number a timer can hold. */
export function checkTimeoutMs(field: string, timeoutMs: unknown): void {
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new ValidationError(`invalid ${field}: expected a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${String(timeoutMs)}`, {
      field,
    });
  }
}

function checkOptions(options: OperationOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('invalid options: expected an object', { field: 'options' });
  }
  const { timeoutMs, signal } = options;
  checkTimeoutMs('options.timeoutMs', timeoutMs);
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
  ) {
    checkTimeoutMs('defaultTimeoutMs', defaultTimeoutMs);
  }

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
      throw new StoreClosedError(`failed to ${actionOf(spec)}: the state store is closed`);
    }
    const context = currentOperation();
    if (context?.transactionOf === this && spec.insideTransaction !== true) {
      // SQLite would wait for the connection this transaction holds, forever; PostgreSQL would run
      // the call outside the transaction. Neither is what the caller meant.
      throw new ValidationError(
        `failed to ${actionOf(spec)}: inside transaction(fn), call the methods of fn's tx argument, not of the store`,
        { field: 'transaction' },
      );
    }
    spec.validate?.();
    checkOptions(options);
    const outer = context?.signal;
    const callerSignal = options?.signal;
    if (callerSignal?.aborted || outer?.aborted) {
      throw new OperationCancelledError(`failed to ${actionOf(spec)}: cancelled before it started`);
    }
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    if (callerSignal === undefined && outer === undefined && timeoutMs === undefined && spec.opensTransaction !== true) {
      // Nothing can abort this call: skip the controller, the race and the async context.
      this.started();
      try {
        return await work();
      } catch (error) {
        if (!this.mayRunAgain(spec, undefined, error)) throw this.typed(spec, error, undefined);
        try {
          return await work();
        } catch (again) {
          throw this.typed(spec, again, undefined);
        }
      } finally {
        this.finished();
      }
    }

    const controller = new AbortController();
    // Every call made inside a transaction listens to its signal; many may run at once.
    if (spec.opensTransaction === true) setMaxListeners(0, controller.signal);
    let abortCause: AbortCause | undefined;
    const abort = (cause: AbortCause) => {
      if (abortCause !== undefined) return;
      abortCause = cause;
      controller.abort(abortedError(actionOf(spec), cause));
    };
    const onCallerAbort = () => abort({ kind: 'cancelled' });
    // Inside transaction(): the transaction's own signal and deadline bound every call made in it.
    const onOuterAbort = () => abort(outer?.reason instanceof OperationTimeoutError ? { kind: 'timeout', timeoutMs: 0 } : { kind: 'cancelled' });
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => abort({ kind: 'timeout', timeoutMs }), timeoutMs);
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    const callContext: { signal: AbortSignal; statementsInFlight: number; transactionOf: object | undefined } = {
      signal: controller.signal,
      statementsInFlight: 0,
      transactionOf: spec.opensTransaction === true ? this : context?.transactionOf,
    };
    this.started();
    const execution = this.attempt(spec, controller.signal, () => runInOperation(callContext, work));
    // The database work may outlive the call (an abort rejects at once): close() waits for the work.
    const settled = () => {
      this.finished();
      // Code that outlives the transaction (a timer set inside fn) is no longer inside it.
      if (spec.opensTransaction === true) callContext.transactionOf = undefined;
    };
    execution.then(settled, settled);
    try {
      return await Promise.race([execution, aborted]);
    } catch (error) {
      if (abortCause !== undefined && callContext.statementsInFlight > 0) {
        // A statement was running when the call was abandoned; the adapter is cancelling it on the
        // server. Its outcome decides: a write that committed anyway is reported as done.
        const outcome = await settledWithin(execution, ABANDONED_STATEMENT_GRACE_MS);
        if (outcome?.ok === true) return outcome.value;
        if (outcome === undefined) {
          throw abortedError(actionOf(spec), abortCause, undefined, `the database did not confirm within ${ABANDONED_STATEMENT_GRACE_MS} ms whether it took effect`);
        }
      }
      throw this.typed(spec, error, abortCause);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Runs `work`, and once more where a lost connection makes that safe. */
  private async attempt<T>(spec: OperationSpec, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!this.mayRunAgain(spec, signal, error)) throw error;
      return work();
    }
  }

  private mayRunAgain(spec: OperationSpec, signal: AbortSignal | undefined, error: unknown): boolean {
    const kind = this.driver.classifyError(error);
    return (
      signal?.aborted !== true &&
      spec.insideTransaction !== true &&
      (spec.mayRetry?.() ?? true) &&
      (kind === 'server_terminated' || (kind === 'connection_lost' && spec.retryOnLostConnection === true))
    );
  }

  /** The call's failure as a typed, redacted error; what a transaction's own function threw, as it is. */
  private typed(spec: OperationSpec, error: unknown, abortCause: AbortCause | undefined): unknown {
    if (error instanceof CallbackFailure) return error.thrown;
    return normalizeError(error, actionOf(spec), this.driver.classifyError(error), this.driver.secrets ?? [], abortCause);
  }
}
