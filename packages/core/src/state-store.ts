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

/** The data operations, available both on a store and inside `transaction()`. */
export interface StateStoreOperations {
  /** Stores the fault event (kept as is when its `faultId` exists) and the incident, atomically. */
  createIncident(incident: Incident, event: FaultEvent, options?: OperationOptions): Promise<void>;
  getFaultEvent(faultId: string, options?: OperationOptions): Promise<FaultEvent>;
  /** `startedAt`: a Date sets it, `null` clears it, absent leaves it unchanged. */
  updateIncidentStatus(
    incidentId: string,
    status: IncidentStatus,
    startedAt?: Date | null,
    options?: OperationOptions,
  ): Promise<void>;
  /** Sets `completedAt` to now; status `resolved` for exit code 0 without a failure reason, else `failed`. */
  completeIncident(incidentId: string, exitCode: number, failureReason?: string, options?: OperationOptions): Promise<void>;
  /** Inserts the execution, or updates completedAt, exitCode, errorMessage and logPaths of an existing one. */
  recordAgentExecution(execution: AgentExecution, options?: OperationOptions): Promise<void>;
  recordTriageReport(report: TriageReport, options?: OperationOptions): Promise<void>;
  getIncident(incidentId: string, options?: OperationOptions): Promise<Incident>;
  /** Newest `createdAt` first, ties by `incidentId` descending. */
  listIncidents(filters?: IncidentFilters, options?: OperationOptions): Promise<Incident[]>;
  /** Keyset pagination in `listIncidents` order; stable while rows are inserted between pages. */
  pageIncidents(filters?: IncidentPageFilters, options?: OperationOptions): Promise<IncidentPage>;
  /** Oldest `startedAt` first. */
  listAgentExecutions(incidentId: string, options?: OperationOptions): Promise<AgentExecution[]>;
  /** Oldest `generatedAt` first. */
  listTriageReports(incidentId: string, options?: OperationOptions): Promise<TriageReport[]>;
}

/** A store bound to one database transaction. */
export type StateStoreTransaction = StateStoreOperations;

/** Persists nightcrier's incidents, agent executions and triage reports. */
export interface StateStore extends StateStoreOperations {
  /** Runs `fn` in one transaction: commits when it resolves, rolls back and rethrows when it throws. */
  transaction<T>(fn: (tx: StateStoreTransaction) => Promise<T>, options?: OperationOptions): Promise<T>;
  /** Resolves when the database answers a trivial query; otherwise rejects with `ConnectionError`. */
  health(options?: OperationOptions): Promise<void>;
  /** Connection counts right now. */
  stats(): ConnectionStats;
  /** Waits for in-flight calls, then releases every connection. Idempotent. */
  close(): Promise<void>;
}

/** Settings every adapter understands; adapters accept their own beside these. */
export interface StoreOptions {
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** Deadline for calls that pass no `timeoutMs` of their own. */
  defaultTimeoutMs?: number;
  pool?: PoolOptions;
  /** Receives one event per database query, with parameters removed. */
  onQuery?: (event: QueryEvent) => void;
  [adapterSetting: string]: unknown;
}

export interface PoolOptions {
  maxOpenConns?: number;
  maxIdleConns?: number;
  connMaxLifetimeMs?: number;
  connMaxIdleTimeMs?: number;
}

/** What `onQuery` learns about each query. Parameter values are never included. */
export interface QueryEvent {
  sql: string;
  durationMs: number;
  error?: Error;
}
