import type { Insertable, Selectable } from 'kysely';
import type { Row } from '../adapter/adapter-connection.js';
import type { AgentExecution, FaultEvent, Incident, IncidentStatus, ResourceInfo, TriageReport } from '../domain/types.js';
import type { AgentExecutionsTable, FaultEventsTable, IncidentsTable, TriageReportsTable } from './storage-schema.js';
import type { ValueCodecs } from './value-codecs.js';

interface ResourceColumns {
  resource_api_version: string | null;
  resource_kind: string | null;
  resource_name: string | null;
  resource_namespace: string | null;
  resource_uid: string | null;
}

// A resource is present exactly when its required columns are non-null: '' is a value, NULL is absence.
function resourceToColumns(resource: ResourceInfo | undefined): ResourceColumns {
  return {
    resource_api_version: resource?.apiVersion ?? null,
    resource_kind: resource?.kind ?? null,
    resource_name: resource?.name ?? null,
    resource_namespace: resource?.namespace ?? null,
    resource_uid: resource?.uid ?? null,
  };
}

function resourceFromColumns(row: ResourceColumns): ResourceInfo | undefined {
  if (row.resource_api_version === null || row.resource_kind === null || row.resource_name === null) return undefined;
  const resource: ResourceInfo = { apiVersion: row.resource_api_version, kind: row.resource_kind, name: row.resource_name };
  if (row.resource_namespace !== null) resource.namespace = row.resource_namespace;
  if (row.resource_uid !== null) resource.uid = row.resource_uid;
  return resource;
}

function encodeOptionalTimestamp(codecs: ValueCodecs, value: Date | undefined) {
  return value === undefined ? null : codecs.encodeTimestamp(value);
}

/** Maps domain records to rows and back with one adapter's codecs. */
export class RowMappers {
  constructor(private readonly codecs: ValueCodecs) {}

  faultEventRow(event: FaultEvent): Insertable<FaultEventsTable> {
    return {
      fault_id: event.faultId,
      received_at: this.codecs.encodeTimestamp(event.receivedAt),
      subscription_id: event.subscriptionId,
      cluster: event.cluster,
      ...resourceToColumns(event.resource),
      fault_type: event.faultType,
      severity: event.severity,
      context: event.context,
      timestamp: event.timestamp,
    };
  }

  faultEvent(driverRow: Row): FaultEvent {
    // The row of a query that selected every column of the table (see allColumns).
    const row = driverRow as Selectable<FaultEventsTable>;
    const event: FaultEvent = {
      faultId: row.fault_id,
      receivedAt: this.codecs.decodeTimestamp(row.received_at),
      subscriptionId: row.subscription_id,
      cluster: row.cluster,
      faultType: row.fault_type,
      severity: row.severity,
      context: row.context,
      timestamp: row.timestamp,
    };
    const resource = resourceFromColumns(row);
    if (resource !== undefined) event.resource = resource;
    return event;
  }

  incidentRow(incident: Incident): Insertable<IncidentsTable> {
    return {
      incident_id: incident.incidentId,
      fault_id: incident.faultId,
      status: incident.status,
      created_at: this.codecs.encodeTimestamp(incident.createdAt),
      started_at: encodeOptionalTimestamp(this.codecs, incident.startedAt),
      completed_at: encodeOptionalTimestamp(this.codecs, incident.completedAt),
      exit_code: incident.exitCode ?? null,
      failure_reason: incident.failureReason ?? null,
      cluster: incident.cluster,
      namespace: incident.namespace ?? null,
      ...resourceToColumns(incident.resource),
      fault_type: incident.faultType,
      severity: incident.severity,
      context: incident.context,
      timestamp: incident.timestamp,
      triggering_event_id: incident.triggeringEventId ?? null,
    };
  }

  incident(driverRow: Row): Incident {
    // The row of a query that selected every column of the table (see allColumns).
    const row = driverRow as Selectable<IncidentsTable>;
    const incident: Incident = {
      incidentId: row.incident_id,
      faultId: row.fault_id,
      status: row.status as IncidentStatus,
      createdAt: this.codecs.decodeTimestamp(row.created_at),
      cluster: row.cluster,
      faultType: row.fault_type,
      severity: row.severity,
      context: row.context,
      timestamp: row.timestamp,
    };
    if (row.started_at !== null) incident.startedAt = this.codecs.decodeTimestamp(row.started_at);
    if (row.completed_at !== null) incident.completedAt = this.codecs.decodeTimestamp(row.completed_at);
    if (row.exit_code !== null) incident.exitCode = row.exit_code;
    if (row.failure_reason !== null) incident.failureReason = row.failure_reason;
    if (row.namespace !== null) incident.namespace = row.namespace;
    const resource = resourceFromColumns(row);
    if (resource !== undefined) incident.resource = resource;
    if (row.triggering_event_id !== null) incident.triggeringEventId = row.triggering_event_id;
    return incident;
  }

  agentExecutionRow(execution: AgentExecution): Insertable<AgentExecutionsTable> {
    return {
      execution_id: execution.executionId,
      incident_id: execution.incidentId,
      started_at: this.codecs.encodeTimestamp(execution.startedAt),
      completed_at: encodeOptionalTimestamp(this.codecs, execution.completedAt),
      exit_code: execution.exitCode ?? null,
      error_message: execution.errorMessage ?? null,
      log_paths: execution.logPaths === undefined ? null : this.codecs.encodeJson(execution.logPaths),
    };
  }

  agentExecution(driverRow: Row): AgentExecution {
    // The row of a query that selected every column of the table (see allColumns).
    const row = driverRow as Selectable<AgentExecutionsTable>;
    const execution: AgentExecution = {
      executionId: row.execution_id,
      incidentId: row.incident_id,
      startedAt: this.codecs.decodeTimestamp(row.started_at),
    };
    if (row.completed_at !== null) execution.completedAt = this.codecs.decodeTimestamp(row.completed_at);
    if (row.exit_code !== null) execution.exitCode = row.exit_code;
    if (row.error_message !== null) execution.errorMessage = row.error_message;
    if (row.log_paths !== null) execution.logPaths = this.codecs.decodeJson(row.log_paths) as Record<string, string>;
    return execution;
  }

  triageReportRow(report: TriageReport): Insertable<TriageReportsTable> {
    return {
      report_id: report.reportId,
      incident_id: report.incidentId,
      execution_id: report.executionId,
      generated_at: this.codecs.encodeTimestamp(report.generatedAt),
      report_markdown: report.reportMarkdown,
      report_html: report.reportHtml ?? null,
    };
  }

  triageReport(driverRow: Row): TriageReport {
    // The row of a query that selected every column of the table (see allColumns).
    const row = driverRow as Selectable<TriageReportsTable>;
    const report: TriageReport = {
      reportId: row.report_id,
      incidentId: row.incident_id,
      executionId: row.execution_id,
      generatedAt: this.codecs.decodeTimestamp(row.generated_at),
      reportMarkdown: row.report_markdown,
    };
    if (row.report_html !== null) report.reportHtml = row.report_html;
    return report;
  }
}
