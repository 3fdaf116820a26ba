import type { AgentExecution, FaultEvent, Incident, IncidentStatus, ResourceInfo, TriageReport } from '@nightcrier/storage-core';

/**
 * Row shapes of the PostgreSQL schema as pg returns them with its default type parsers:
 * timestamptz → Date, jsonb → parsed value, integer → number, NULL for absent.
 */
interface ResourceRow {
  resource_api_version: string | null;
  resource_kind: string | null;
  resource_name: string | null;
  resource_namespace: string | null;
  resource_uid: string | null;
}

export interface PgFaultEventRow extends ResourceRow {
  fault_id: string;
  received_at: Date;
  subscription_id: string;
  cluster: string;
  fault_type: string;
  severity: string;
  context: string;
  timestamp: string;
}

export interface PgIncidentRow extends ResourceRow {
  incident_id: string;
  fault_id: string;
  status: string;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
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

export interface PgExecutionRow {
  execution_id: string;
  incident_id: string;
  started_at: Date;
  completed_at: Date | null;
  exit_code: number | null;
  error_message: string | null;
  log_paths: Record<string, string> | null;
}

export interface PgReportRow {
  report_id: string;
  incident_id: string;
  execution_id: string;
  generated_at: Date;
  report_markdown: string;
  report_html: string | null;
}

function resource(row: ResourceRow): ResourceInfo | undefined {
  if (row.resource_api_version === null || row.resource_kind === null || row.resource_name === null) return undefined;
  const info: ResourceInfo = { apiVersion: row.resource_api_version, kind: row.resource_kind, name: row.resource_name };
  if (row.resource_namespace !== null) info.namespace = row.resource_namespace;
  if (row.resource_uid !== null) info.uid = row.resource_uid;
  return info;
}

export function pgFaultEvent(row: PgFaultEventRow): FaultEvent {
  const event: FaultEvent = {
    faultId: row.fault_id,
    receivedAt: row.received_at,
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
}

export function pgIncident(row: PgIncidentRow): Incident {
  const incident: Incident = {
    incidentId: row.incident_id,
    faultId: row.fault_id,
    status: row.status as IncidentStatus,
    createdAt: row.created_at,
    cluster: row.cluster,
    faultType: row.fault_type,
    severity: row.severity,
    context: row.context,
    timestamp: row.timestamp,
  };
  if (row.started_at !== null) incident.startedAt = row.started_at;
  if (row.completed_at !== null) incident.completedAt = row.completed_at;
  if (row.exit_code !== null) incident.exitCode = row.exit_code;
  if (row.failure_reason !== null) incident.failureReason = row.failure_reason;
  if (row.namespace !== null) incident.namespace = row.namespace;
  const info = resource(row);
  if (info !== undefined) incident.resource = info;
  if (row.triggering_event_id !== null) incident.triggeringEventId = row.triggering_event_id;
  return incident;
}

export function pgExecution(row: PgExecutionRow): AgentExecution {
  const execution: AgentExecution = { executionId: row.execution_id, incidentId: row.incident_id, startedAt: row.started_at };
  if (row.completed_at !== null) execution.completedAt = row.completed_at;
  if (row.exit_code !== null) execution.exitCode = row.exit_code;
  if (row.error_message !== null) execution.errorMessage = row.error_message;
  if (row.log_paths !== null) execution.logPaths = row.log_paths;
  return execution;
}

export function pgReport(row: PgReportRow): TriageReport {
  const report: TriageReport = {
    reportId: row.report_id,
    incidentId: row.incident_id,
    executionId: row.execution_id,
    generatedAt: row.generated_at,
    reportMarkdown: row.report_markdown,
  };
  if (row.report_html !== null) report.reportHtml = row.report_html;
  return report;
}
