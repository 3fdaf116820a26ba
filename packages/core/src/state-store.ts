import type {
  AgentExecution,
  ConnectionStats,
  FaultEvent,
  Incident,
  IncidentFilters,
  IncidentPage,
  IncidentPageFilters,
  IncidentStatus,
  OperationOptions,
  TriageReport,
} from './domain/types.js';
import type { TelemetryOptions } from './telemetry/telemetry-options.js';

/** The data operations, available both on a store and inside `transaction()`. */
export interface StateStoreOperations {
  /**
   * Stores the fault event (kept as is when its `faultId` exists) and the incident, atomically.
   * @throws {@link ConflictError} when `incidentId` exists; nothing of the call remains.
   * @throws {@link ValidationError} when `incident.faultId !== event.faultId` or a field is invalid.
   */
  createIncident(incident: Incident, event: FaultEvent, options?: OperationOptions): Promise<void>;
  /**
   * The stored fault event with this id.
   * @throws {@link NotFoundError} when there is none.
   */
  getFaultEvent(faultId: string, options?: OperationOptions): Promise<FaultEvent>;
  /**
   * Sets the incident's status. `startedAt`: a Date sets it, `null` clears it, absent leaves it unchanged.
   * @throws {@link NotFoundError} when there is no such incident.
   */
  updateIncidentStatus(
    incidentId: string,
    status: IncidentStatus,
    startedAt?: Date | null,
    options?: OperationOptions,
  ): Promise<void>;
  /**
   * Sets `completedAt` to now, `exitCode` and `failureReason`; status `resolved` for exit code 0
   * without a failure reason (an empty one counts as none), else `failed`.
   * @throws {@link NotFoundError} when there is no such incident.
   */
  completeIncident(incidentId: string, exitCode: number, failureReason?: string, options?: OperationOptions): Promise<void>;
  /**
   * Inserts the execution, or updates completedAt, exitCode, errorMessage and logPaths of an existing one.
   * @throws {@link ForeignKeyError} when the incident does not exist.
   */
  recordAgentExecution(execution: AgentExecution, options?: OperationOptions): Promise<void>;
  /**
   * Inserts the report.
   * @throws {@link ConflictError} when `reportId` exists.
   * @throws {@link ForeignKeyError} when the incident or the execution does not exist.
   */
  recordTriageReport(report: TriageReport, options?: OperationOptions): Promise<void>;
  /**
   * The incident with this id.
   * @throws {@link NotFoundError} when there is none.
   */
  getIncident(incidentId: string, options?: OperationOptions): Promise<Incident>;
  /**
   * The incidents matching every given filter, newest `createdAt` first, ties by `incidentId`
   * descending; `limit`/`offset` pagination.
   */
  listIncidents(filters?: IncidentFilters, options?: OperationOptions): Promise<Incident[]>;
  /**
   * Keyset pagination in `listIncidents` order: pass each page's `nextCursor` as `cursor` until it is
   * absent. Every match comes exactly once, also while rows are inserted between pages, and a deep
   * page costs what the first costs.
   * @throws {@link ValidationError} for a malformed cursor or an `offset`.
   */
  pageIncidents(filters?: IncidentPageFilters, options?: OperationOptions): Promise<IncidentPage>;
  /** The incident's executions, oldest `startedAt` first (empty for an unknown incident). */
  listAgentExecutions(incidentId: string, options?: OperationOptions): Promise<AgentExecution[]>;
  /** The incident's reports, oldest `generatedAt` first (empty for an unknown incident). */
  listTriageReports(incidentId: string, options?: OperationOptions): Promise<TriageReport[]>;
}

/** A store bound to one database transaction. */
export type StateStoreTransaction = StateStoreOperations;

/** Persists nightcrier's incidents, agent executions and triage reports. */
export interface StateStore extends StateStoreOperations {
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back and rethrows when it throws.
   * Inside `fn` use `tx`; a call on the store itself is refused with a `ValidationError`. `options`
   * bound the whole transaction and every call in it.
   */
  transaction<T>(fn: (tx: StateStoreTransaction) => Promise<T>, options?: OperationOptions): Promise<T>;
  /** Resolves when the database answers a trivial query; otherwise rejects with `ConnectionError`. */
  health(options?: OperationOptions): Promise<void>;
  /** Connection counts right now. */
  stats(): ConnectionStats;
  /**
   * Waits for in-flight calls (up to `closeTimeoutMs`), then releases every connection. Idempotent;
   * any later call rejects with `StoreClosedError`.
   * @throws {@link OperationTimeoutError} when it had to stop calls still running; the store is closed either way.
   */
  close(): Promise<void>;
}

/** Settings every adapter understands; adapters accept their own beside these. */
export interface StoreOptions {
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** Deadline for calls that pass no `timeoutMs` of their own. */
  defaultTimeoutMs?: number;
  /** Connection pool settings of PostgreSQL and MySQL; SQLite has one connection and ignores them. */
  pool?: PoolOptions;
  /** Receives one event per database query, with parameters removed. */
  onQuery?: (event: QueryEvent) => void;
  /**
   * How long `close()` waits for calls still running before it stops them, destroys their
   * connections and rejects with `OperationTimeoutError` saying so; default 10000 ms.
   */
  closeTimeoutMs?: number;
  /**
   * Open a database whose schema has migrations this version does not know (a newer release
   * migrated it). Off by default: such a store fails at open with a `StorageError` instead of at
   * first use. For read-only tools that accept the risk.
   */
  allowNewerSchema?: boolean;
  /**
   * OpenTelemetry settings. With `@opentelemetry/api` installed and a tracer or meter provider
   * registered before the store opens, every call is a CLIENT span and is measured in
   * `db.client.operation.duration`, with or without this option; `{ queryText: true }` adds the
   * statements' text (placeholders only, never parameter values) as `db.query.text`.
   */
  telemetry?: TelemetryOptions;
  [adapterSetting: string]: unknown;
}

/** Connection pool settings of the pooled backends (PostgreSQL, MySQL); defaults in the README. */
export interface PoolOptions {
  /** At most this many connections; further calls wait for one (default 25). */
  maxOpenConns?: number;
  /** Idle connections kept in steady state (default 5); the surplus is retired after `idleGraceMs`. */
  maxIdleConns?: number;
  /** A connection older than this is closed when next idle (default 300000 ms). */
  connMaxLifetimeMs?: number;
  /** A connection idle this long is closed (default 600000 ms). */
  connMaxIdleTimeMs?: number;
  /** How long an idle connection beyond `maxIdleConns` stays before it is closed (default 5000 ms). */
  idleGraceMs?: number;
}

/** What `onQuery` learns about each query. Parameter values are never included. */
export interface QueryEvent {
  /** The SQL text with placeholders, as sent. */
  sql: string;
  /** How long the query took, in milliseconds. */
  durationMs: number;
  /** The query's error, when it failed. */
  error?: Error;
}
