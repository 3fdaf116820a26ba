import { sql } from 'kysely';
import { ConnectionError, StateStoreError, StoreClosedError, ValidationError } from '../errors/state-store-error.js';
import { currentOperation } from './operation-context.js';
import { StateQueries } from '../query/state-queries.js';
import { statusInList } from '../query/incident-filters.js';
import type { StateStore, StoreOptions } from '../state-store.js';
import { bindOperations } from './bind-operations.js';
import { OperationRunner } from './operation-runner.js';
import { CallbackFailure } from './transaction-support.js';
import type { StoreDriver } from './store-driver.js';

/**
 * Builds a complete `StateStore` from an adapter's primitives. This is the adapter factory: every
 * adapter, built-in or third-party, gets the same validation, errors and behaviour from it.
 */
export function createKyselyStateStore(driver: StoreDriver, options: Pick<StoreOptions, 'defaultTimeoutMs'> = {}): StateStore {
  const runner = new OperationRunner(driver, options.defaultTimeoutMs);
  const listStyle = { matchStatus: driver.matchStatus ?? statusInList, walkOrderIndex: driver.walkOrderIndex === true };
  const queries = new StateQueries(driver.codecs, listStyle, {
    ...(driver.executeNow === undefined ? {} : { executeNow: (batch, singleRow) => driver.executeNow?.(batch, singleRow) }),
    writableCte: driver.writableCte === true,
  });
  let closing: Promise<void> | undefined;

  const store: StateStore = {
    ...bindOperations(runner, queries, driver.db),

    transaction: (fn, callOptions) => {
      // A transaction whose BEGIN met a dead connection may run again; once fn ran, never.
      let fnStarted = false;
      return runner.run({ action: 'run transaction', opensTransaction: true, mayRetry: () => !fnStarted }, callOptions, () =>
        driver.db.transaction().execute(async (trx) => {
          fnStarted = true;
          try {
            return await fn(bindOperations(runner, queries, trx, true));
          } catch (error) {
            throw new CallbackFailure(error);
          }
        }),
      );
    },

    health: async (callOptions) => {
      try {
        await runner.run({ action: `reach the ${driver.dialect} database`, retryOnLostConnection: true }, callOptions, async () => {
          await sql`select 1`.execute(driver.db);
        });
      } catch (error) {
        if (error instanceof StateStoreError && (error.code === 'STORAGE' || error.code === 'CONNECTION')) {
          throw error instanceof ConnectionError ? error : new ConnectionError(error.message, { cause: error.cause });
        }
        throw error;
      }
    },

    stats: () => {
      if (runner.isClosed) throw new StoreClosedError('failed to read connection stats: the state store is closed');
      return driver.stats();
    },

    close: () => {
      if (currentOperation()?.transactionOf === runner) {
        // close() waits for running calls, this transaction among them: it would wait for itself.
        return Promise.reject(new ValidationError('failed to close the store: close() was called inside its own transaction()', { field: 'transaction' }));
      }
      closing ??= runner.drain().then(() => driver.destroy());
      return closing;
    },
  };
  // A store printed with util.inspect or JSON.stringify shows its shape, never its connection.
  Object.defineProperty(store, 'toJSON', { value: () => ({ dialect: driver.dialect }), enumerable: false });
  return store;
}
