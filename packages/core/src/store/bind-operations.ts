import type { StateStoreOperations } from '../state-store.js';
import type { OperationDefinition, OperationName } from './operation-definition.js';
import { OPERATION_NAMES, STATE_OPERATIONS } from './state-operations.js';

/** Runs one operation with the arguments a method was called with; `name` is the method's (for telemetry). */
export type OperationCaller = (op: OperationDefinition<OperationName, unknown>, args: unknown[], name: OperationName) => Promise<unknown>;

/**
 * The data methods, each calling `call` with its entry of the operation table: the one binding of
 * the store's methods, used outside transactions and inside them.
 */
export function bindOperations(call: OperationCaller): StateStoreOperations {
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of OPERATION_NAMES) {
    const op = STATE_OPERATIONS[name];
    methods[name] = (...args) => call(op, args, name);
  }
  // Built from the table, which has exactly one entry per StateStoreOperations method.
  return methods as unknown as StateStoreOperations;
}
