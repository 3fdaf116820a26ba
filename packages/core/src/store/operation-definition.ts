import type { CompiledQuery, QueryResult } from 'kysely';
import type { Row } from '../adapter/adapter-connection.js';
import type { StateQueries } from '../query/state-queries.js';
import type { StateStoreOperations } from '../state-store.js';
import type { MaybePromise } from './maybe-promise.js';

/** Runs a call's statements on its session (or its transaction's). */
export interface QueryRunner {
  run(query: CompiledQuery): MaybePromise<QueryResult<Row>>;
  /** Runs `queries` so that all or none take effect (in one transaction unless already inside one). */
  runAtomically(queries: readonly CompiledQuery[]): MaybePromise<QueryResult<Row>[]>;
}

/** What an operation's functions get: where to run statements and the compiled statements of this store. */
export interface OperationScope {
  runner: QueryRunner;
  queries: StateQueries;
}

/** What a write found when it looked for its own record after losing the connection mid-call. */
export type StoredOutcome = 'stored' | 'absent' | 'different';

export type OperationName = keyof StateStoreOperations;

export type Result<K extends OperationName> = Awaited<ReturnType<StateStoreOperations[K]>>;

/**
 * One `StateStore` data operation, as core runs it. `prepare` runs synchronously when the method is
 * called: it checks and copies the arguments and binds the statements, so nothing the caller
 * changes afterwards reaches the database. `run` executes what `prepare` returned.
 */
export interface OperationDefinition<K extends OperationName, Request> {
  /** `read`s may always run again after a lost connection; `write`s follow `afterLostConnection`. */
  kind: 'read' | 'write';
  /**
   * What a write does when the connection died after its statement may have reached the server:
   * `rerun` (idempotent writes: running them again gives the same state) or `reconcile` (look for the
   * record first; see `reconcile`).
   */
  afterLostConnection: 'rerun' | 'reconcile';
  /** How many data arguments come before `options`. */
  arity: number;
  /**
   * What the call does, for messages: `insert incident inc-1`. Built only when a message needs it,
   * from the arguments as passed (unchecked: they may be anything).
   */
  action(...args: unknown[]): string;
  /** The arguments are whatever the caller passed; `prepare` is where they become typed. */
  prepare(queries: StateQueries, ...args: unknown[]): Request;
  run(scope: OperationScope, request: Request): MaybePromise<Result<K>>;
  /** For `reconcile` writes: whether the record this call writes is stored as it would write it. */
  reconcile?(scope: OperationScope, request: Request): MaybePromise<StoredOutcome>;
}

/** The whole operation table: one entry per `StateStore` data method, or it does not compile. */
// Request is `unknown` here: each entry keeps its own (method parameters are checked bivariantly).
export type OperationTable = { [K in OperationName]: OperationDefinition<K, unknown> };
