import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import { CompiledQuery, DummyDriver, Kysely, type KyselyConfig } from 'kysely';
import type { AdapterCapabilities } from '../adapter/adapter-capabilities.js';
import type { AdapterConnection, Session } from '../adapter/adapter-connection.js';
import type { DriverErrorKind } from '../adapter/driver-error-kind.js';
import type { OperationOptions } from '../domain/types.js';
import { OperationCancelledError, OperationTimeoutError, StateStoreError, StoreClosedError, ValidationError } from '../errors/state-store-error.js';
import { StateQueries } from '../query/state-queries.js';
import type { StorageSchema } from '../query/storage-schema.js';
import { redactError, redactText } from '../redaction/redact.js';
import type { QueryEvent, StoreOptions } from '../state-store.js';
import type { StoreTelemetry } from '../telemetry/store-telemetry.js';
import { previewValue } from '../validation/preview-value.js';
import { CallState } from './call-state.js';
import { normalizeError } from './normalize-error.js';
import { checkOperationOptions, checkTimeoutMs } from './operation-options.js';
import type { RunnerEnvironment } from './session-runner.js';

/** Marks code running inside a store's `transaction(fn)`, to refuse calls on the store itself there. */
export const insideTransactionOf = new AsyncLocalStorage<StoreRuntime>();

const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
const DEFAULT_LOCK_WAIT_MS = 5_000;

/** A Kysely instance that only compiles, for the engine of `connection`: core never executes through Kysely. */
export function compilerFor(connection: AdapterConnection): Kysely<StorageSchema> {
  const config: KyselyConfig = {
    dialect: {
      createAdapter: () => connection.sql.createAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: () => {
        throw new Error('the query compiler does not introspect');
      },
      createQueryCompiler: () => connection.sql.createQueryCompiler(),
    },
  };
  return new Kysely<StorageSchema>(config);
}

/**
 * What every call of one store shares: the adapter's connection and capabilities, the compiled
 * statements, typed-error mapping with redaction, the count of running calls that `close()`
 * waits for, and the signal that stops them when it gives up waiting.
 */
export class StoreRuntime {
  readonly queries: StateQueries;
  readonly env: RunnerEnvironment;
  readonly secrets: readonly string[];
  readonly defaultTimeoutMs: number | undefined;
  readonly closeTimeoutMs: number;
  readonly lockWaitMs: number;
  private readonly closing = new AbortController();
  private running = 0;
  private whenIdle: (() => void) | undefined;
  closed = false;

  constructor(
    readonly name: string,
    readonly connection: AdapterConnection,
    readonly capabilities: AdapterCapabilities,
    readonly classify: (error: unknown) => DriverErrorKind | undefined,
    options: StoreOptions,
    /** The store's OpenTelemetry instrumentation; undefined (no API, no provider) costs nothing. */
    readonly telemetry: StoreTelemetry | undefined = undefined,
  ) {
    // Every running call listens for close(): a busy store has far more than Node's default ten.
    setMaxListeners(0, this.closing.signal);
    checkTimeoutMs('defaultTimeoutMs', options.defaultTimeoutMs);
    checkTimeoutMs('closeTimeoutMs', options.closeTimeoutMs);
    this.defaultTimeoutMs = options.defaultTimeoutMs;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.lockWaitMs = connection.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.secrets = connection.secrets ?? [];
    this.queries = new StateQueries(compilerFor(connection), connection.codecs, capabilities);
    this.env = {
      classifyError: classify,
      begin: CompiledQuery.raw(capabilities.beginTransaction),
      observe: withStatementText(observerFor(options.onQuery, this.secrets), telemetry?.statementObserver()),
    };
  }

  /** Refuses a call on a closed store, or on the store itself from inside its own transaction. */
  checkCallable(action: () => string): void {
    if (this.closed) throw new StoreClosedError(`failed to ${action()}: the state store is closed`);
    if (insideTransactionOf.getStore() === this) {
      // SQLite would wait for the connection this transaction holds, forever; PostgreSQL would run
      // the call outside the transaction. Neither is what the caller meant.
      throw new ValidationError(`failed to ${action()}: inside transaction(fn), call the methods of fn's tx argument, not of the store`, {
        field: 'transaction',
      });
    }
  }

  /**
   * The call's options, checked, and its cancellation state: undefined when nothing can abort it
   * (no signal, no deadline, not inside a transaction), which keeps the common call cheap.
   */
  callState(action: () => string, options: unknown, outer: AbortSignal | undefined, manyListeners = false): CallState | undefined {
    const checked: OperationOptions | undefined = checkOperationOptions(options);
    if (checked?.signal?.aborted === true || outer?.aborted === true) {
      throw new OperationCancelledError(`failed to ${action()}: cancelled before it started`);
    }
    if (checked?.signal === undefined && checked?.timeoutMs === undefined && this.defaultTimeoutMs === undefined && outer === undefined && !manyListeners) {
      return undefined;
    }
    return new CallState(action, checked, { outer, storeClosing: this.closing.signal, defaultTimeoutMs: this.defaultTimeoutMs }, manyListeners);
  }

  /** A session now when one is free, else a promise of one (the wait bounded by the call). */
  acquire(call: CallState | undefined): Session | Promise<Session> {
    return this.connection.pool.tryAcquire?.() ?? this.connection.pool.acquire(call?.signal);
  }

  /**
   * Counts a call as running until both its database work and the answer given to its caller have
   * settled (an abandoned call answers before its work ends); `close()` waits for it. Returns `answer`.
   */
  track<T>(work: Promise<unknown>, answer: Promise<T>): Promise<T> {
    this.running += 1;
    let pending = work === answer ? 1 : 2;
    const done = () => {
      pending -= 1;
      if (pending > 0) return;
      this.running -= 1;
      if (this.running === 0) this.whenIdle?.();
    };
    work.then(done, done);
    if (answer !== work) answer.then(done, done);
    return answer;
  }

  /** The failure as a typed, redacted error. */
  typed(error: unknown, action: string, outcomeUnknown = false): StateStoreError {
    return normalizeError(error, action, this.classify(error), { secrets: this.secrets, outcomeUnknown });
  }

  /** A non-StateStoreError thrown while reading a caller's arguments (a throwing getter, a proxy) is bad input too. */
  invalidArguments(error: unknown): StateStoreError {
    if (error instanceof StateStoreError) return error;
    const reason = error instanceof Error ? error.message : previewValue(error);
    return new ValidationError(`invalid arguments: reading them threw ${redactText(reason, this.secrets)}`, { field: 'arguments', cause: error });
  }

  /**
   * Stops new calls, waits up to `closeTimeoutMs` for running ones, then stops what is left (their
   * statements are cancelled, their sessions destroyed) and closes the pool. Resolves when every
   * call had finished by itself; otherwise rejects saying how many were stopped.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.telemetry?.close();
    const finishedInTime = await this.drained(this.closeTimeoutMs);
    const stopped = this.running;
    if (!finishedInTime) {
      this.closing.abort(new StoreClosedError('the store was closed'));
      await this.connection.pool.close();
      // Destroyed sessions make their calls fail at once; give them a moment to say so.
      await this.drained(1000);
    }
    await this.connection.pool.close();
    if (!finishedInTime) {
      throw new OperationTimeoutError(
        `failed to close the store cleanly: ${stopped} call(s) still ran after ${this.closeTimeoutMs} ms; they were stopped and their connections closed`,
      );
    }
  }

  private drained(timeoutMs: number): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.whenIdle = undefined;
        resolve(false);
      }, timeoutMs);
      this.whenIdle = () => {
        clearTimeout(timer);
        this.whenIdle = undefined;
        resolve(true);
      };
    });
  }
}

/** The store's query observer: onQuery with parameters absent and secrets removed; a throwing observer is ignored. */
function observerFor(onQuery: ((event: QueryEvent) => void) | undefined, secrets: readonly string[]): RunnerEnvironment['observe'] {
  if (onQuery === undefined) return undefined;
  if (typeof onQuery !== 'function') throw new ValidationError('invalid onQuery: expected a function', { field: 'onQuery' });
  return (event, error) => {
    const report: QueryEvent = { sql: redactText(event.sql, secrets), durationMs: event.durationMs };
    if (error !== undefined) report.error = redactError(error instanceof Error ? error : new Error(previewValue(error)), secrets);
    try {
      onQuery(report);
    } catch {
      // a failing observer must not fail the query it observes
    }
  };
}

/** The query observer that also hands each statement's text to telemetry (when `queryText` is on). */
function withStatementText(observe: RunnerEnvironment['observe'], statement: ((sql: string) => void) | undefined): RunnerEnvironment['observe'] {
  if (statement === undefined) return observe;
  return (event, error) => {
    statement(event.sql);
    observe?.(event, error);
  };
}
