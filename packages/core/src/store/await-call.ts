import { type DriverErrorKind, isConnectionKind } from '../adapter/driver-error-kind.js';
import { StateStoreError } from '../errors/state-store-error.js';
import { ABANDONED_STATEMENT_GRACE_MS, type CallState } from './call-state.js';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function outcomeOf<T>(work: Promise<T>): Promise<Outcome<T>> {
  return work.then(
    (value): Outcome<T> => ({ ok: true, value }),
    (error: unknown): Outcome<T> => ({ ok: false, error }),
  );
}

/**
 * `work`'s result, or the call's abort error as soon as its signal aborts — with one exception that
 * keeps outcomes honest: when a statement of the call is running on the server at that moment, the
 * call waits (briefly) for the server to settle it. A write that committed anyway resolves; one the
 * server stopped rejects as cancelled or timed out; one the server never answered rejects with
 * `outcomeUnknown` and its session is destroyed, never reused.
 */
export async function awaitCall<T>(
  call: CallState | undefined,
  work: Promise<T>,
  isWrite: boolean,
  classify: (error: unknown) => DriverErrorKind | undefined,
): Promise<T> {
  if (call === undefined) return work;
  const { signal } = call;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } catch (error) {
    if (call.cause === undefined) throw error; // the work failed by itself
    if (call.hasRunningStatement) {
      const settled = await call.statementsSettled();
      if (!settled) {
        throw call.abortError({
          outcomeUnknown: isWrite,
          note: `the database did not confirm within ${ABANDONED_STATEMENT_GRACE_MS} ms whether it took effect`,
        });
      }
      const outcome = await outcomeOf(work);
      if (outcome.ok) return outcome.value;
      // Stopped by the server: nothing took effect. Cut off with the connection: a write may have.
      const { error: failure } = outcome;
      const lost = failure instanceof StateStoreError ? failure.outcomeUnknown : isConnectionKind(classify(failure));
      throw call.abortError({ driverError: failure, outcomeUnknown: isWrite && lost });
    }
    throw call.abortError();
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}
