import type { OperationOptions } from '../domain/types.js';
import { ValidationError } from '../errors/state-store-error.js';
import type { StateStoreTransaction } from '../state-store.js';
import { previewValue } from '../validation/preview-value.js';
import { awaitCall } from './await-call.js';
import type { CallState } from './call-state.js';
import { RetryPolicy, type RetryTraits } from './retry-policy.js';
import { COMMIT, SessionRunner } from './session-runner.js';
import { insideTransactionOf, type StoreRuntime } from './store-runtime.js';
import { TransactionScope } from './transaction-scope.js';

const ACTION = () => 'run transaction';

/** How the retry policy treats a transaction: a write that may run again only until its function started. */
const TRANSACTION_POLICY: RetryTraits = {
  kind: 'write',
  afterLostConnection: 'rerun',
};

/** What the caller's function threw: rethrown as it is, never typed or retried. */
class CallbackFailure {
  constructor(readonly thrown: unknown) {}
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown; functionRan: boolean; committing: boolean };

/**
 * `transaction(fn, options)`: BEGIN (the adapter's `beginTransaction`), `fn(tx)`, COMMIT — on one
 * session. A failure before `fn` started (a dead pooled connection, a busy lock) runs the whole
 * transaction again; once `fn` ran, never. A connection lost during COMMIT rejects with
 * `outcomeUnknown`; anything `fn` throws rolls back and is rethrown as it is.
 */
export function callTransaction<T>(runtime: StoreRuntime, fn: (tx: StateStoreTransaction) => Promise<T>, options: OperationOptions | undefined): Promise<T> {
  const { telemetry } = runtime;
  // In its span, the calls of fn are the transaction span's children.
  if (telemetry === undefined) return startTransaction(runtime, fn, options);
  return telemetry.traced('transaction', () => startTransaction(runtime, fn, options));
}

function startTransaction<T>(runtime: StoreRuntime, fn: (tx: StateStoreTransaction) => Promise<T>, options: OperationOptions | undefined): Promise<T> {
  let call: CallState;
  try {
    runtime.checkCallable(ACTION);
    if (typeof fn !== 'function') throw new ValidationError(`invalid fn: expected a function, got ${previewValue(fn)}`, { field: 'fn' });
    call = runtime.callState(ACTION, options, undefined, true) as CallState;
  } catch (error) {
    return Promise.reject(error);
  }
  const work = attempts(runtime, fn, call);
  work.then(
    () => call.dispose(),
    () => call.dispose(),
  );
  const answer = awaitCall(call, work, true, runtime.classify).catch((error: unknown) => {
    throw error instanceof CallbackFailure ? error.thrown : error;
  });
  return runtime.track(work, answer);
}

async function attempts<T>(runtime: StoreRuntime, fn: (tx: StateStoreTransaction) => Promise<T>, call: CallState): Promise<T> {
  const policy = new RetryPolicy(runtime, TRANSACTION_POLICY, call, ACTION);
  for (;;) {
    const attempt = await once(runtime, fn, call);
    if (attempt.ok) return attempt.value;
    const { error } = attempt;
    if (error instanceof CallbackFailure) throw error;
    if (attempt.functionRan) throw runtime.typed(error, ACTION(), attempt.committing && runtime.classify(error) === 'connection_lost');
    const next = policy.after(error);
    if (next.kind === 'fail') throw next.error;
    if (next.kind === 'wait') await next.wait;
  }
}

async function once<T>(runtime: StoreRuntime, fn: (tx: StateStoreTransaction) => Promise<T>, call: CallState): Promise<Attempt<T>> {
  let session;
  try {
    session = await runtime.acquire(call);
  } catch (error) {
    return { ok: false, error, functionRan: false, committing: false };
  }
  const runner = new SessionRunner(session, call, runtime.env, false);
  const scope = new TransactionScope(runtime, session, call);
  let functionRan = false;
  let committing = false;
  try {
    await runner.run(runtime.env.begin);
    functionRan = true;
    let value: T;
    try {
      value = await insideTransactionOf.run(runtime, () => fn(scope.operations));
    } catch (thrown) {
      await scope.settled();
      await runner.rollBackQuietly();
      return { ok: false, error: new CallbackFailure(thrown), functionRan, committing };
    }
    // fn may have resolved without awaiting every call it made: those belong to the transaction too.
    await scope.settled();
    if (call.cause !== undefined) {
      await runner.rollBackQuietly();
      return { ok: false, error: call.abortError(), functionRan, committing };
    }
    committing = true;
    await runner.run(COMMIT);
    return { ok: true, value };
  } catch (error) {
    if (!committing) await runner.rollBackQuietly();
    return { ok: false, error, functionRan, committing };
  } finally {
    scope.end();
    session.release(!runner.broken && !scope.broken);
  }
}
