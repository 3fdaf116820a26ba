import { CompiledQuery, type QueryResult } from 'kysely';
import type { Row, Session } from '../adapter/adapter-connection.js';
import { type DriverErrorKind, isConnectionKind } from '../adapter/driver-error-kind.js';
import type { QueryEvent } from '../state-store.js';
import type { CallState } from './call-state.js';
import { andThen, isPromise, type MaybePromise } from './maybe-promise.js';
import type { QueryRunner } from './operation-definition.js';

/** What every session runner of one store shares. */
export interface RunnerEnvironment {
  classifyError(error: unknown): DriverErrorKind | undefined;
  /** Begins a write transaction (capability `beginTransaction`). */
  begin: CompiledQuery;
  /** Receives one event per statement; undefined costs nothing. */
  observe: ((event: QueryEvent, error?: unknown) => void) | undefined;
}

export const COMMIT = CompiledQuery.raw('commit');
export const ROLLBACK = CompiledQuery.raw('rollback');

/**
 * Runs a call's statements on one session: refuses statements of an abandoned call, tells the call
 * which statement is running (so an abort can stop it on the server), notes a session that broke,
 * and reports each statement to the query observer. Synchronous results stay synchronous.
 */
export class SessionRunner implements QueryRunner {
  /** A statement failed because the session died: it must be destroyed, not reused. */
  broken = false;

  constructor(
    readonly session: Session,
    private readonly call: CallState | undefined,
    private readonly env: RunnerEnvironment,
    private readonly inTransaction: boolean,
  ) {}

  run(query: CompiledQuery): MaybePromise<QueryResult<Row>> {
    this.call?.checkBeforeStatement(query.sql);
    const started = this.env.observe === undefined ? 0 : performance.now();
    let pending: MaybePromise<QueryResult<Row>>;
    try {
      pending = this.session.execute(query);
    } catch (error) {
      throw this.failed(query, started, error);
    }
    if (!isPromise(pending)) {
      if (this.env.observe !== undefined) this.report(query, started);
      return pending;
    }
    const { call, session } = this;
    call?.statementStarted(session);
    return pending.then(
      (result) => {
        call?.statementFinished(session);
        if (this.env.observe !== undefined) this.report(query, started);
        return result;
      },
      (error: unknown) => {
        call?.statementFinished(session);
        throw this.failed(query, started, error);
      },
    );
  }

  runAtomically(queries: readonly CompiledQuery[]): MaybePromise<QueryResult<Row>[]> {
    if (queries.length === 1) return andThen(this.run(queries[0] as CompiledQuery), (result) => [result]);
    if (this.inTransaction) return this.sequence(queries, 0, []);
    const rollBackAndRethrow = (error: unknown): MaybePromise<never> =>
      andThen(this.rollBackQuietly(), () => {
        throw error;
      });
    try {
      const results = andThen(this.run(this.env.begin), () =>
        andThen(this.sequence(queries, 0, []), (done) => andThen(this.run(COMMIT), () => done)),
      );
      return isPromise(results) ? results.catch(rollBackAndRethrow) : results;
    } catch (error) {
      return rollBackAndRethrow(error);
    }
  }

  /**
   * ROLLBACK (or `ROLLBACK TO SAVEPOINT …`) when the session can still take it; whatever it answers,
   * the caller's own error says more.
   */
  rollBackQuietly(query: CompiledQuery = ROLLBACK): MaybePromise<void> {
    if (this.broken) return undefined;
    try {
      const result = this.run(query);
      return isPromise(result) ? result.then(noop, noop) : undefined;
    } catch {
      return undefined;
    }
  }

  private sequence(queries: readonly CompiledQuery[], from: number, results: QueryResult<Row>[]): MaybePromise<QueryResult<Row>[]> {
    for (let index = from; index < queries.length; index += 1) {
      const result = this.run(queries[index] as CompiledQuery);
      if (isPromise(result)) {
        return result.then((value) => {
          results.push(value);
          return this.sequence(queries, index + 1, results);
        });
      }
      results.push(result);
    }
    return results;
  }

  private failed(query: CompiledQuery, started: number, error: unknown): unknown {
    if (isConnectionKind(this.env.classifyError(error))) this.broken = true;
    if (this.env.observe !== undefined) this.report(query, started, error);
    return error;
  }

  private report(query: CompiledQuery, started: number, error?: unknown): void {
    this.env.observe?.({ sql: query.sql, durationMs: performance.now() - started }, error);
  }
}

function noop(): void {}
