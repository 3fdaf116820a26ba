import { isConnectionKind } from '../adapter/driver-error-kind.js';
import { BACKOFF_MS } from '../adapter/while-busy.js';
import { StoreClosedError } from '../errors/state-store-error.js';
import { type CallState, StatementAbortedError } from './call-state.js';
import type { OperationDefinition, OperationName } from './operation-definition.js';
import type { StoreRuntime } from './store-runtime.js';

/** Attempts a call makes at most after connections failed (the first included). */
const MAX_CONNECTION_ATTEMPTS = 3;
/** Attempts after the server rolled the call back to break a deadlock (the first included). */
const MAX_DEADLOCK_ATTEMPTS = 4;

/** What the policy needs to know of the call it decides for. */
export type RetryTraits = Pick<OperationDefinition<OperationName, unknown>, 'kind' | 'afterLostConnection'>;

export type NextStep =
  | { kind: 'rerun' }
  | { kind: 'reconcile' }
  | { kind: 'wait'; wait: Promise<void> }
  | { kind: 'fail'; error: unknown };

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Decides, after each failed attempt of one call, whether it runs again. Outcomes stay honest:
 *
 * - nothing reached the server (`connection`): run again on a fresh connection;
 * - the connection died while a statement was in flight (`connection_lost`): reads and idempotent
 *   writes run again; other writes first look for their record (`reconcile`); if it cannot be
 *   decided, the call fails with the first attempt's error marked `outcomeUnknown`;
 * - a lock held elsewhere (`busy`: nothing took effect): wait a little and run again, within the
 *   adapter's lock wait and the call's own deadline — asynchronously, so the thread keeps serving;
 * - a deadlock the server broke by rolling the call back (`deadlock`): run again, a few times;
 * - anything else is the database's answer: the call fails with it.
 */
export class RetryPolicy {
  private connectionAttempts = 1;
  private firstLost: unknown;
  private outcomeUnknown = false;
  private busySince: number | undefined;
  private busyWaits = 0;
  private deadlocks = 0;
  private retries = 0;

  constructor(
    private readonly runtime: StoreRuntime,
    private readonly op: RetryTraits,
    private readonly call: CallState | undefined,
    private readonly action: () => string,
  ) {}

  /** The step after the failed attempt that threw `error`; a retry is noted on the call's span. */
  after(error: unknown): NextStep {
    const next = this.decide(error);
    if (next.kind !== 'fail') {
      this.retries += 1;
      this.runtime.telemetry?.retried(this.runtime.classify(error) ?? 'unknown', this.retries);
    }
    return next;
  }

  private decide(error: unknown): NextStep {
    const fail = (failure: unknown, outcomeUnknown = false): NextStep => ({
      kind: 'fail',
      error: this.runtime.typed(failure, this.action(), outcomeUnknown),
    });
    if (this.call?.cause !== undefined || error instanceof StatementAbortedError) return fail(error);
    if (error instanceof StoreClosedError) {
      // close() stopped the call between attempts: after a lost connection its write may have landed.
      const unknown = this.outcomeUnknown;
      return { kind: 'fail', error: unknown ? new StoreClosedError(`failed to ${this.action()}: the store was closed while the call ran; whether it took effect is unknown`, { cause: this.firstLost, outcomeUnknown: true }) : error };
    }
    const kind = this.runtime.classify(error);
    if (kind === 'deadlock') {
      // The server rolled the work back to break a cycle: run it again, a few times at most.
      this.deadlocks += 1;
      if (this.deadlocks >= MAX_DEADLOCK_ATTEMPTS) return fail(error);
      return { kind: 'wait', wait: sleep(BACKOFF_MS[Math.min(this.deadlocks, BACKOFF_MS.length - 1)] as number, this.call?.signal) };
    }
    if (kind === 'busy') {
      const now = Date.now();
      this.busySince ??= now;
      if (now - this.busySince >= this.runtime.lockWaitMs) return fail(error);
      const step = BACKOFF_MS[Math.min(this.busyWaits, BACKOFF_MS.length - 1)] as number;
      this.busyWaits += 1;
      return { kind: 'wait', wait: sleep(step, this.call?.signal) };
    }
    if (isConnectionKind(kind)) {
      if (kind === 'connection_lost') {
        this.firstLost ??= error;
        if (this.op.kind === 'write') this.outcomeUnknown = true;
      }
      if (this.connectionAttempts >= MAX_CONNECTION_ATTEMPTS) return fail(this.firstLost ?? error, this.outcomeUnknown);
      this.connectionAttempts += 1;
      return { kind: this.firstLost !== undefined && this.op.afterLostConnection === 'reconcile' ? 'reconcile' : 'rerun' };
    }
    // After a lost connection, a reconciling write that now meets its own id may be meeting its
    // first attempt, committed meanwhile: look again.
    if (kind === 'unique_violation' && this.firstLost !== undefined && this.op.afterLostConnection === 'reconcile') {
      if (this.connectionAttempts < MAX_CONNECTION_ATTEMPTS) {
        this.connectionAttempts += 1;
        return { kind: 'reconcile' };
      }
      return fail(this.firstLost, true);
    }
    return fail(error);
  }
}
