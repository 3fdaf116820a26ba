import type { Session } from '../adapter/adapter-connection.js';
import { ConflictError } from '../errors/state-store-error.js';
import { awaitCall } from './await-call.js';
import type { CallState } from './call-state.js';
import { giveTurn, needsTurn } from './event-loop-turns.js';
import { andThen, isPromise, type MaybePromise } from './maybe-promise.js';
import type { OperationDefinition, OperationName, OperationScope, Result, StoredOutcome } from './operation-definition.js';
import { RetryPolicy } from './retry-policy.js';
import { SessionRunner } from './session-runner.js';
import type { StoreRuntime } from './store-runtime.js';

type AnyOperation = OperationDefinition<OperationName, unknown>;

/** Runs `work` on a session of the pool for one attempt, and gives the session back as it left it. */
function onSession<T>(runtime: StoreRuntime, call: CallState | undefined, work: (scope: OperationScope) => MaybePromise<T>): MaybePromise<T> {
  const run = (session: Session): MaybePromise<T> => {
    const runner = new SessionRunner(session, call, runtime.env, false);
    let result: MaybePromise<T>;
    try {
      result = work({ runner, queries: runtime.queries });
    } catch (error) {
      session.release(!runner.broken);
      throw error;
    }
    if (!isPromise(result)) {
      session.release(true);
      return result;
    }
    return result.then(
      (value) => {
        session.release(true);
        return value;
      },
      (error: unknown) => {
        session.release(!runner.broken);
        throw error;
      },
    );
  };
  return andThen(runtime.acquire(call), run);
}

/**
 * One store data call outside a transaction, `name` (the method) in a span of its own when the
 * store has telemetry; without it, nothing but this check is added to the call.
 */
export function callOperation<K extends OperationName>(runtime: StoreRuntime, op: OperationDefinition<K, unknown>, args: unknown[], name: string): Promise<Result<K>> {
  const { telemetry } = runtime;
  if (telemetry === undefined) return startCall(runtime, op, args);
  return telemetry.traced(name, () => startCall(runtime, op, args));
}

/**
 * Starts one store data call outside a transaction. Everything up to sending runs synchronously at call
 * time: the closed check, the arguments read and copied, the statements bound, the options checked.
 * On a synchronous driver with a free connection and nothing to abort, the whole call completes
 * before this returns (the promise is already settled).
 */
export function startCall<K extends OperationName>(runtime: StoreRuntime, op: OperationDefinition<K, unknown>, args: unknown[]): Promise<Result<K>> {
  const action = () => op.action(...args.slice(0, op.arity));
  let request: unknown;
  let call: CallState | undefined;
  try {
    runtime.checkCallable(action);
    try {
      request = op.prepare(runtime.queries, ...args.slice(0, op.arity));
    } catch (error) {
      throw runtime.invalidArguments(error);
    }
    call = runtime.callState(action, args[op.arity], undefined);
  } catch (error) {
    return Promise.reject(error);
  }
  const anyOp = op as AnyOperation;
  if (runtime.capabilities.synchronous && needsTurn()) {
    const afterTurn = giveTurn().then(() => attempts(runtime, anyOp, request, call, action));
    return runtime.track(afterTurn, afterTurn) as Promise<Result<K>>;
  }
  return attempts(runtime, anyOp, request, call, action) as Promise<Result<K>>;
}

/** The call's attempts, tracked for close(); its answer comes early if it is abandoned. */
function attempts(runtime: StoreRuntime, op: AnyOperation, request: unknown, call: CallState | undefined, action: () => string): Promise<unknown> {
  let first: MaybePromise<unknown>;
  try {
    first = onSession(runtime, call, (scope) => op.run(scope, request));
  } catch (error) {
    first = Promise.reject(error);
  }
  if (!isPromise(first) && call === undefined) return Promise.resolve(first);
  const work = Promise.resolve(first).catch((error: unknown) => recover(runtime, op, request, call, action, error));
  if (call === undefined) return runtime.track(work, work);
  const state = call;
  work.then(
    () => state.dispose(),
    () => state.dispose(),
  );
  return runtime.track(work, awaitCall(call, work, op.kind === 'write', runtime.classify));
}

/** After a failed attempt: run again where that is safe and useful, else fail with the typed error. */
async function recover(runtime: StoreRuntime, op: AnyOperation, request: unknown, call: CallState | undefined, action: () => string, initial: unknown): Promise<unknown> {
  const policy = new RetryPolicy(runtime, op, call, action);
  let error = initial;
  for (;;) {
    const next = policy.after(error);
    if (next.kind === 'fail') throw next.error;
    if (next.kind === 'wait') await next.wait;
    try {
      if (next.kind === 'reconcile' && op.reconcile !== undefined) {
        const reconcile = op.reconcile;
        const found: StoredOutcome = await onSession(runtime, call, (scope) => reconcile(scope, request));
        if (found === 'stored') return undefined;
        if (found === 'different') {
          throw new ConflictError(`failed to ${action()}: a record with this id already exists with other values`);
        }
      }
      return await onSession(runtime, call, (scope) => op.run(scope, request));
    } catch (failure) {
      if (failure instanceof ConflictError && failure.cause === undefined) throw failure;
      error = failure;
    }
  }
}

