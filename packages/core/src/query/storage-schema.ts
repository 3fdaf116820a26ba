import type { ColumnType } from 'kysely';

/**
 * How a timestamp looks in a row: epoch milliseconds on SQLite, a Date on PostgreSQL.
 * The adapter's `ValueCodecs` convert; the query layer never looks inside.
 */
export type StoredTimestamp = number | Date | string;
/** `log_paths`: JSON text on SQLite, a parsed jsonb value on PostgreSQL. */
export type StoredJson = ColumnType<unknown, string, string>;

export interface FaultEventsTable {
  fault_id: string;
  received_at: StoredTimestamp;
  subscription_id: string;
  cluster: string;
  resource_api_version: string | null;
  resource_kind: string | null;
  resource_name: string | null;
  resource_namespace: string | null;
  resource_uid: string | null;
  fault_type: string;
  severity: string;
  context: string;
  timestamp: string;
}

export interface IncidentsTable {
  incident_id: string;
  fault_id: string;
  status: string;
  created_at: StoredTimestamp;
  started_at: StoredTimestamp | null;
  completed_at: StoredTimestamp | null;
  exit_code: number | null;
  failure_reason: string | null;
  cluster: string;
  namespace: string | null;
  resource_api_version: string | null;
  resource_kind: string | null;
  resource_name: string | null;
  resource_namespace: string | null;
  resource_uid: string | null;
  fault_type: string;
  severity: string;
  context: string;
  timestamp: string;
  triggering_event_id: string | null;
}

export interface AgentExecutionsTable {
  execution_id: string;
  incident_id: string;
  started_at: StoredTimestamp;
  completed_at: StoredTimestamp | null;
  exit_code: number | null;
  error_message: string | null;
  log_paths: StoredJson | null;
}

export interface TriageReportsTable {
  report_id: string;
  incident_id: string;
  execution_id: string;
  generated_at: StoredTimestamp;
  report_markdown: string;
  report_html: string | null;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: string;
  /** Only where DDL is not transactional (MySQL): a migration that started and did not finish. */
  dirty: ColumnType<boolean, boolean | undefined, boolean>;
}

/** The tables every dialect's migrations create, as the query layer sees them. */
export interface StorageSchema {
  /** The fault events incidents are created from, one per `faultId`. */
  fault_events: FaultEventsTable;
  /** One row per incident. */
  incidents: IncidentsTable;
  /** Agent runs, upserted by `executionId`. */
  agent_executions: AgentExecutionsTable;
  /** Triage reports, one per `reportId`. */
  triage_reports: TriageReportsTable;
  /** Applied migrations (`dirty` only where DDL is not transactional). */
  nightcrier_migrations: MigrationsTable;
}

/**
 * The two tables of the `owner-table` layout (capability `idUniqueness`; Citus): each holds an id
 * once, distributed by that id, with the incident that owns the record. Not part of StorageSchema:
 * single-node databases do not have them.
 */
export type OwnerTables = {
  /** One row per `executionId`: which incident's shard holds the execution. */
  agent_execution_owners: {
    /** The execution's id, unique across the whole cluster (this table's primary key). */
    execution_id: string;
    /** The incident the execution was first recorded under; its shard holds the execution. */
    incident_id: string;
  };
  /** One row per `reportId`: which incident's shard holds the report. */
  triage_report_owners: {
    /** The report's id, unique across the whole cluster (this table's primary key). */
    report_id: string;
    /** The incident the report belongs to; its shard holds the report. */
    incident_id: string;
  };
};

/**
 * `columns` checked to name every column of table type `T`, exactly once each. Queries select
 * these lists rather than `*`: a prepared `select *` breaks ("cached plan must not change result
 * type") when a later migration adds a column while old instances still run.
 */
function allColumns<T>() {
  return <const C extends readonly (keyof T & string)[]>(
    columns: C & (Exclude<keyof T, C[number]> extends never ? unknown : { missing: Exclude<keyof T, C[number]> }),
  ): C => columns;
}

export const FAULT_EVENT_COLUMNS = allColumns<FaultEventsTable>()([
  'fault_id',
  'received_at',
  'subscription_id',
  'cluster',
  'resource_api_version',
  'resource_kind',
  'resource_name',
  'resource_namespace',
  'resource_uid',
  'fault_type',
  'severity',
  'context',
  'timestamp',
]);

export const INCIDENT_COLUMNS = allColumns<IncidentsTable>()([
  'incident_id',
  'fault_id',
  'status',
  'created_at',
  'started_at',
  'completed_at',
  'exit_code',
  'failure_reason',
  'cluster',
  'namespace',
  'resource_api_version',
  'resource_kind',
  'resource_name',
  'resource_namespace',
  'resource_uid',
  'fault_type',
  'severity',
  'context',
  'timestamp',
  'triggering_event_id',
]);

export const AGENT_EXECUTION_COLUMNS = allColumns<AgentExecutionsTable>()([
  'execution_id',
  'incident_id',
  'started_at',
  'completed_at',
  'exit_code',
  'error_message',
  'log_paths',
]);

export const TRIAGE_REPORT_COLUMNS = allColumns<TriageReportsTable>()([
  'report_id',
  'incident_id',
  'execution_id',
  'generated_at',
  'report_markdown',
  'report_html',
]);
