import { CompiledQuery } from 'kysely';
import type { Session } from '../adapter/adapter-connection.js';
import { ValidationError } from '../errors/state-store-error.js';
import type { StateStoreTransaction } from '../state-store.js';
import { awaitCall } from './await-call.js';
import type { CallState } from './call-state.js';
import { andThen } from './maybe-promise.js';
import type { OperationDefinition, OperationName } from './operation-definition.js';
import { SessionRunner } from './session-runner.js';
import { bindOperations } from './bind-operations.js';
import type { StoreRuntime } from './store-runtime.js';

/**
 * The `tx` a transaction's function receives: the data operations bound to the transaction's one
 * session. Calls take turns, and each runs under its own savepoint, so a call that fails (a
 * conflict, a timeout) leaves nothing behind and the transaction usable — on every backend alike
 * (PostgreSQL would otherwise refuse every later statement; SQLite would keep the call's earlier
 * rows). Calls made after the transaction ended are refused.
 */
export class TransactionScope {
  readonly operations: StateStoreTransaction;
  /** A call's statement failed because the session died: the session must be destroyed. */
  broken = false;
  private tail: Promise<unknown> = Promise.resolve();
  private ended = false;
  private savepoints = 0;

  constructor(
    private readonly runtime: StoreRuntime,
    private readonly session: Session,
    private readonly transaction: CallState,
  ) {
    this.operations = bindOperations((op, args, name) => {
      const { telemetry } = runtime;
      return telemetry === undefined ? this.call(op, args) : telemetry.traced(name, () => this.call(op, args));
    });
  }

  /** Resolves once every call made so far has settled. */
  settled(): Promise<void> {
    return this.tail.then(
      () => undefined,
      () => undefined,
    );
  }

  end(): void {
    this.ended = true;
  }

  private call(op: OperationDefinition<OperationName, unknown>, args: unknown[]): Promise<unknown> {
    const action = () => op.action(...args.slice(0, op.arity));
    let request: unknown;
    let call: CallState;
    try {
      if (this.ended) {
        throw new ValidationError(`failed to ${action()}: its transaction already ended`, { field: 'transaction' });
      }
      try {
        request = op.prepare(this.runtime.queries, ...args.slice(0, op.arity));
      } catch (error) {
        throw this.runtime.invalidArguments(error);
      }
      // Inside a transaction every call can be aborted: the transaction's deadline bounds it.
      call = this.runtime.callState(action, args[op.arity], this.transaction.signal) as CallState;
    } catch (error) {
      return Promise.reject(error);
    }
    const work = this.tail.then(
      () => this.underSavepoint(op, request, call),
      () => this.underSavepoint(op, request, call),
    );
    this.tail = work.catch(() => undefined);
    const typed = work.catch((error: unknown) => {
      throw this.runtime.typed(error, action());
    });
    work.then(
      () => call.dispose(),
      () => call.dispose(),
    );
    return awaitCall(call, typed, op.kind === 'write', this.runtime.classify);
  }

  private async underSavepoint(op: OperationDefinition<OperationName, unknown>, request: unknown, call: CallState): Promise<unknown> {
    const runner = new SessionRunner(this.session, call, this.runtime.env, true);
    this.savepoints += 1;
    const name = `nc_call_${this.savepoints}`;
    try {
      await runner.run(CompiledQuery.raw(`savepoint ${name}`));
      const result = await op.run({ runner, queries: this.runtime.queries }, request);
      // Refused when the call was abandoned meanwhile: then its writes are undone below.
      await andThen(runner.run(CompiledQuery.raw(`release savepoint ${name}`)), () => undefined);
      return result;
    } catch (error) {
      await runner.rollBackQuietly(CompiledQuery.raw(`rollback to savepoint ${name}`));
      if (runner.broken) this.broken = true;
      throw error;
    }
  }
}
