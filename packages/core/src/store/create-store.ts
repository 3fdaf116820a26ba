import { CompiledQuery } from 'kysely';
import { ConnectionError, StateStoreError, StoreClosedError, ValidationError } from '../errors/state-store-error.js';
import type { StateStore } from '../state-store.js';
import { bindOperations } from './bind-operations.js';
import { andThen } from './maybe-promise.js';
import type { OperationDefinition, OperationName } from './operation-definition.js';
import { callOperation, startCall } from './run-operation.js';
import { callTransaction } from './run-transaction.js';
import { insideTransactionOf, type StoreRuntime } from './store-runtime.js';

const SELECT_ONE = CompiledQuery.raw('select 1');

/** `health()` as an operation: a read of `select 1`, run again after a lost connection like any read. */
function healthCheck(name: string): OperationDefinition<OperationName, CompiledQuery> {
  return {
    kind: 'read',
    afterLostConnection: 'rerun',
    arity: 0,
    action: () => `reach the ${name} database`,
    prepare: () => SELECT_ONE,
    run: (scope, query) => andThen(scope.runner.run(query), () => undefined) as never,
  };
}

/** Whatever kept the database from answering, health() reports as a connection problem. */
function asHealthFailure(error: unknown): never {
  if (error instanceof StateStoreError && (error.code === 'STORAGE' || error.code === 'CONNECTION')) {
    throw error instanceof ConnectionError ? error : new ConnectionError(error.message, { cause: error.cause });
  }
  throw error;
}

/** The `StateStore` over one runtime: the operation table's methods, transaction, health, stats and close. */
export function createStore(runtime: StoreRuntime): StateStore {
  const health = healthCheck(runtime.name);
  let closing: Promise<void> | undefined;
  const store: StateStore = {
    ...bindOperations((op, args, name) => callOperation(runtime, op, args, name)),
    transaction: (fn, options) => callTransaction(runtime, fn, options),
    health: (options) => {
      // Mapped inside the span, so that its error.type is the error the caller gets.
      const check = (): Promise<void> => startCall(runtime, health, [options]).then(() => undefined, asHealthFailure);
      return runtime.telemetry === undefined ? check() : runtime.telemetry.traced('health', check);
    },
    stats: () => {
      if (runtime.closed) throw new StoreClosedError('failed to read connection stats: the state store is closed');
      return runtime.connection.pool.stats();
    },
    close: () => {
      if (insideTransactionOf.getStore() === runtime) {
        // close() waits for running calls, this transaction among them: it would wait for itself.
        return Promise.reject(new ValidationError('failed to close the store: close() was called inside its own transaction()', { field: 'transaction' }));
      }
      if (closing !== undefined) return closing.catch(() => undefined);
      closing = runtime.close();
      return closing;
    },
  };
  // A store printed with util.inspect or JSON.stringify shows its backend, never its connection.
  Object.defineProperty(store, 'toJSON', { value: () => ({ backend: runtime.name }), enumerable: false });
  return store;
}
