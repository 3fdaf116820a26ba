import { setMaxListeners } from 'node:events';
import type { Session } from '../adapter/adapter-connection.js';
import type { OperationOptions } from '../domain/types.js';
import { OperationTimeoutError } from '../errors/state-store-error.js';
import { type AbortCause, abortedError } from './normalize-error.js';

/** How long an abandoned call waits for the server to confirm the fate of a statement it was running. */
export const ABANDONED_STATEMENT_GRACE_MS = 2000;

/** Thrown instead of sending a statement for a call that was already cancelled or timed out. */
export class StatementAbortedError extends Error {
  constructor() {
    super('statement not sent: the call was cancelled or timed out');
    this.name = 'StatementAbortedError';
  }
}

/** Where a call's abort can come from besides its own options. */
export interface AbortSources {
  /** The enclosing transaction's signal: its deadline and cancellation bound every call in it. */
  outer?: AbortSignal | undefined;
  /** Aborts every running call when `close()` gives up waiting. */
  storeClosing: AbortSignal;
  defaultTimeoutMs: number | undefined;
}

/**
 * The cancellation state of one store call that can be aborted (it has a signal, a deadline, or
 * runs inside a transaction): one signal for everything below it, the cause when it fired, and the
 * sessions running one of its statements right now, so an abort can stop them on the server.
 */
export class CallState {
  readonly signal: AbortSignal;
  cause: AbortCause | undefined;
  private readonly controller = new AbortController();
  private readonly running = new Set<Session>();
  private readonly cleanups: Array<() => void> = [];
  private settledStatement: (() => void) | undefined;

  constructor(
    private readonly action: () => string,
    options: OperationOptions | undefined,
    sources: AbortSources,
    manyListeners: boolean,
  ) {
    this.signal = this.controller.signal;
    // A transaction's calls all listen to its signal, and many may wait at once.
    if (manyListeners) setMaxListeners(0, this.signal);
    this.follow(options?.signal, () => ({ kind: 'cancelled' }));
    const { outer } = sources;
    this.follow(outer, () => (outer?.reason instanceof OperationTimeoutError ? { kind: 'timeout', timeoutMs: 0 } : { kind: 'cancelled' }));
    this.follow(sources.storeClosing, () => ({ kind: 'closed' }));
    const timeoutMs = options?.timeoutMs ?? sources.defaultTimeoutMs;
    if (timeoutMs !== undefined) {
      const timer = setTimeout(() => this.abort({ kind: 'timeout', timeoutMs }), timeoutMs);
      this.cleanups.push(() => clearTimeout(timer));
    }
  }

  private follow(source: AbortSignal | undefined, cause: () => AbortCause): void {
    if (source === undefined) return;
    const onAbort = () => this.abort(cause());
    source.addEventListener('abort', onAbort, { once: true });
    this.cleanups.push(() => source.removeEventListener('abort', onAbort));
  }

  abort(cause: AbortCause): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    this.controller.abort(abortedError(this.action(), cause));
    // Stop what the call runs on the server; the session waits for its cancel request itself.
    for (const session of this.running) void session.cancel?.();
  }

  /** The error this call rejects with, now that it was abandoned. */
  abortError(options: { outcomeUnknown?: boolean; note?: string; driverError?: unknown } = {}) {
    return abortedError(this.action(), this.cause ?? { kind: 'cancelled' }, options);
  }

  /** Throws when the call was abandoned: nothing more of it may reach the database but its rollback. */
  checkBeforeStatement(sql: string): void {
    if (this.cause !== undefined && !/^\s*rollback\b/i.test(sql)) throw new StatementAbortedError();
  }

  statementStarted(session: Session): void {
    this.running.add(session);
  }

  statementFinished(session: Session): void {
    this.running.delete(session);
    if (this.running.size === 0) this.settledStatement?.();
  }

  /** Whether a statement of this call is running on the server now. */
  get hasRunningStatement(): boolean {
    return this.running.size > 0;
  }

  /**
   * Waits (up to the grace) until no statement of this call runs any more. Resolves false when one
   * still ran after the grace: the server did not confirm its fate; its session is destroyed.
   */
  async statementsSettled(graceMs = ABANDONED_STATEMENT_GRACE_MS): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const settled = await new Promise<boolean>((resolve) => {
      this.settledStatement = () => resolve(true);
      timer = setTimeout(() => resolve(false), graceMs);
    });
    clearTimeout(timer);
    this.settledStatement = undefined;
    if (!settled) for (const session of this.running) session.release(false);
    return settled;
  }

  dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}
