import { AsyncLocalStorage } from 'node:async_hooks';

interface OperationContext {
  signal: AbortSignal;
}

const storage = new AsyncLocalStorage<OperationContext>();

/** Runs `fn` so that driver code below it can find the call's abort signal. */
export function runWithOperationSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return storage.run({ signal }, fn);
}

/**
 * The abort signal of the store call that is running now, if any. Adapters read it in their
 * connection code to stop a statement on the server, or to refuse the next statement of a call
 * that was already abandoned.
 */
export function currentOperationSignal(): AbortSignal | undefined {
  return storage.getStore()?.signal;
}
