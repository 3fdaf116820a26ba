import { AsyncLocalStorage } from 'node:async_hooks';

interface OperationContext {
  /** Aborts when the call is cancelled or times out. */
  signal: AbortSignal;
  /** Statements of this call the database is running right now, as counted by the adapter. */
  statementsInFlight: number;
  /** The store whose transaction() function this code runs in, if any. */
  transactionOf: object | undefined;
}

const storage = new AsyncLocalStorage<OperationContext>();

/** Runs `fn` so that driver code below it can find the call's abort signal. */
export function runInOperation<T>(context: OperationContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(context, fn);
}

export function currentOperation(): OperationContext | undefined {
  return storage.getStore();
}

/**
 * The abort signal of the store call that is running now, if any. Adapters read it in their
 * connection code to stop a statement on the server, or to refuse the next statement of a call
 * that was already abandoned.
 */
export function currentOperationSignal(): AbortSignal | undefined {
  return storage.getStore()?.signal;
}

/**
 * Adapters whose statements run asynchronously call this as a statement is sent and the returned
 * function once it settled. A call abandoned while one of its statements runs waits (briefly) for
 * that statement's outcome, so a write is never reported failed after it committed.
 */
export function trackStatement(): () => void {
  const context = storage.getStore();
  if (context === undefined) return () => undefined;
  context.statementsInFlight += 1;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    context.statementsInFlight -= 1;
  };
}

/** Thrown instead of running a statement for a store call that was already cancelled or timed out. */
export class StatementAbortedError extends Error {
  constructor() {
    super('statement not run: the call was cancelled or timed out');
    this.name = 'StatementAbortedError';
  }
}

// Only ROLLBACK (and ROLLBACK TO SAVEPOINT) may still run for an abandoned call: it undoes the
// call's earlier statements.
const ALWAYS_ALLOWED = /^\s*rollback\b/i;

/**
 * Adapters call this before sending each statement: it throws `StatementAbortedError` when the
 * current call was abandoned, so nothing more of it reaches the database but its rollback.
 */
export function refuseIfAbandoned(sql: string): void {
  if (storage.getStore()?.signal.aborted === true && !ALWAYS_ALLOWED.test(sql)) throw new StatementAbortedError();
}
