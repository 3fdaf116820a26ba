import type { AgentExecution, FaultEvent, Incident, IncidentStatus, ResourceInfo, TriageReport } from '@nightcrier/storage-core';

/**
 * Row shapes of the schema both raw baselines read, NULL for absent. The engines differ only in
 * how a driver hands back two column kinds, so those are type parameters: `T` a timestamp
 * (pg: timestamptz → Date; better-sqlite3: INTEGER epoch ms) and `J` a JSON column (pg: jsonb →
 * parsed value; SQLite: JSON text).
 */
export interface ResourceRow {
  resource_api_version: string | null;
  resource_kind: string | null;
  resource_name: string | null;
  resource_namespace: string | null;
  resource_uid: string | null;
}

export interface FaultEventRow<T> extends ResourceRow {
  fault_id: string;
  received_at: T;
  subscription_id: string;
  cluster: string;
  fault_type: string;
  severity: string;
  context: string;
  timestamp: string;
}

export interface IncidentRow<T> extends ResourceRow {
  incident_id: string;
  fault_id: string;
  status: string;
  created_at: T;
  started_at: T | null;
  completed_at: T | null;
  exit_code: number | null;
  failure_reason: string | null;
  cluster: string;
  namespace: string | null;
  fault_type: string;
  severity: string;
  context: string;
  timestamp: string;
  triggering_event_id: string | null;
}

export interface ExecutionRow<T, J> {
  execution_id: string;
  incident_id: string;
  started_at: T;
  completed_at: T | null;
  exit_code: number | null;
  error_message: string | null;
  log_paths: J | null;
}

export interface ReportRow<T> {
  report_id: string;
  incident_id: string;
  execution_id: string;
  generated_at: T;
  report_markdown: string;
  report_html: string | null;
}

export interface RawRowMappers<T, J> {
  faultEvent(row: FaultEventRow<T>): FaultEvent;
  incident(row: IncidentRow<T>): Incident;
  execution(row: ExecutionRow<T, J>): AgentExecution;
  report(row: ReportRow<T>): TriageReport;
}

// The hand-written mappers a careful raw user would write: absent optionals stay absent. Kept apart
// from the store's own RowMappers on purpose, so the baseline does not inherit the store's costs.
function resource(row: ResourceRow): ResourceInfo | undefined {
  if (row.resource_api_version === null || row.resource_kind === null || row.resource_name === null) return undefined;
  const info: ResourceInfo = { apiVersion: row.resource_api_version, kind: row.resource_kind, name: row.resource_name };
  if (row.resource_namespace !== null) info.namespace = row.resource_namespace;
  if (row.resource_uid !== null) info.uid = row.resource_uid;
  return info;
}

/**
 * Row → domain mappers for one engine's column encodings. Arrow functions, so each one can be
 * passed straight to `rows.map`.
 */
export function rowMappers<T, J>(decodeTime: (value: T) => Date, decodeJson: (value: J) => unknown): RawRowMappers<T, J> {
  return {
    faultEvent: (row) => {
      const event: FaultEvent = {
        faultId: row.fault_id,
        receivedAt: decodeTime(row.received_at),
        subscriptionId: row.subscription_id,
        cluster: row.cluster,
        faultType: row.fault_type,
        severity: row.severity,
        context: row.context,
        timestamp: row.timestamp,
      };
      const info = resource(row);
      if (info !== undefined) event.resource = info;
      return event;
    },
    incident: (row) => {
      const incident: Incident = {
        incidentId: row.incident_id,
        faultId: row.fault_id,
        status: row.status as IncidentStatus,
        createdAt: decodeTime(row.created_at),
        cluster: row.cluster,
        faultType: row.fault_type,
        severity: row.severity,
        context: row.context,
        timestamp: row.timestamp,
      };
      if (row.started_at !== null) incident.startedAt = decodeTime(row.started_at);
      if (row.completed_at !== null) incident.completedAt = decodeTime(row.completed_at);
      if (row.exit_code !== null) incident.exitCode = row.exit_code;
      if (row.failure_reason !== null) incident.failureReason = row.failure_reason;
      if (row.namespace !== null) incident.namespace = row.namespace;
      const info = resource(row);
      if (info !== undefined) incident.resource = info;
      if (row.triggering_event_id !== null) incident.triggeringEventId = row.triggering_event_id;
      return incident;
    },
    execution: (row) => {
      const execution: AgentExecution = { executionId: row.execution_id, incidentId: row.incident_id, startedAt: decodeTime(row.started_at) };
      if (row.completed_at !== null) execution.completedAt = decodeTime(row.completed_at);
      if (row.exit_code !== null) execution.exitCode = row.exit_code;
      if (row.error_message !== null) execution.errorMessage = row.error_message;
      if (row.log_paths !== null) execution.logPaths = decodeJson(row.log_paths) as Record<string, string>;
      return execution;
    },
    report: (row) => {
      const report: TriageReport = {
        reportId: row.report_id,
        incidentId: row.incident_id,
        executionId: row.execution_id,
        generatedAt: decodeTime(row.generated_at),
        reportMarkdown: row.report_markdown,
      };
      if (row.report_html !== null) report.reportHtml = row.report_html;
      return report;
    },
  };
}
