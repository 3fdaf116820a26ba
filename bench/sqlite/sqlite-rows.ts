import type { AgentExecution, FaultEvent, Incident, IncidentStatus, ResourceInfo, TriageReport } from '@nightcrier/storage-core';

/** Row shapes of the SQLite schema: INTEGER epoch-ms timestamps, JSON text, NULL for absent. */
export interface ResourceRow {
  resource_api_version: string | null;
  resource_kind: string | null;
  resource_name: string | null;
  resource_namespace: string | null;
  resource_uid: string | null;
}

export interface FaultEventRow extends ResourceRow {
  fault_id: string;
  received_at: number;
  subscription_id: string;
  cluster: string;
  fault_type: string;
  severity: string;
  context: string;
  timestamp: string;
}

export interface IncidentRow extends ResourceRow {
  incident_id: string;
  fault_id: string;
  status: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
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

export interface ExecutionRow {
  execution_id: string;
  incident_id: string;
  started_at: number;
  completed_at: number | null;
  exit_code: number | null;
  error_message: string | null;
  log_paths: string | null;
}

export interface ReportRow {
  report_id: string;
  incident_id: string;
  execution_id: string;
  generated_at: number;
  report_markdown: string;
  report_html: string | null;
}

// The hand-written mappers a careful raw user would write: absent optionals stay absent.
function resource(row: ResourceRow): ResourceInfo | undefined {
  if (row.resource_api_version === null || row.resource_kind === null || row.resource_name === null) return undefined;
  const info: ResourceInfo = { apiVersion: row.resource_api_version, kind: row.resource_kind, name: row.resource_name };
  if (row.resource_namespace !== null) info.namespace = row.resource_namespace;
  if (row.resource_uid !== null) info.uid = row.resource_uid;
  return info;
}

export function toFaultEvent(row: FaultEventRow): FaultEvent {
  const event: FaultEvent = {
    faultId: row.fault_id,
    receivedAt: new Date(row.received_at),
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

export function toIncident(row: IncidentRow): Incident {
  const incident: Incident = {
    incidentId: row.incident_id,
    faultId: row.fault_id,
    status: row.status as IncidentStatus,
    createdAt: new Date(row.created_at),
    cluster: row.cluster,
    faultType: row.fault_type,
    severity: row.severity,
    context: row.context,
    timestamp: row.timestamp,
  };
  if (row.started_at !== null) incident.startedAt = new Date(row.started_at);
  if (row.completed_at !== null) incident.completedAt = new Date(row.completed_at);
  if (row.exit_code !== null) incident.exitCode = row.exit_code;
  if (row.failure_reason !== null) incident.failureReason = row.failure_reason;
  if (row.namespace !== null) incident.namespace = row.namespace;
  const info = resource(row);
  if (info !== undefined) incident.resource = info;
  if (row.triggering_event_id !== null) incident.triggeringEventId = row.triggering_event_id;
  return incident;
}

export function toExecution(row: ExecutionRow): AgentExecution {
  const execution: AgentExecution = { executionId: row.execution_id, incidentId: row.incident_id, startedAt: new Date(row.started_at) };
  if (row.completed_at !== null) execution.completedAt = new Date(row.completed_at);
  if (row.exit_code !== null) execution.exitCode = row.exit_code;
  if (row.error_message !== null) execution.errorMessage = row.error_message;
  if (row.log_paths !== null) execution.logPaths = JSON.parse(row.log_paths) as Record<string, string>;
  return execution;
}

export function toReport(row: ReportRow): TriageReport {
  const report: TriageReport = {
    reportId: row.report_id,
    incidentId: row.incident_id,
    executionId: row.execution_id,
    generatedAt: new Date(row.generated_at),
    reportMarkdown: row.report_markdown,
  };
  if (row.report_html !== null) report.reportHtml = row.report_html;
  return report;
}
