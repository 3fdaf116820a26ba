import type { AgentExecution, Incident, ResourceInfo, TriageReport } from '@nightcrier/storage-core';

/** The columns of an incident table. */
export const INCIDENT_HEADERS: readonly string[] = Object.freeze([
  'INCIDENT',
  'STATUS',
  'CLUSTER',
  'NAMESPACE',
  'FAULT TYPE',
  'SEVERITY',
  'CREATED',
  'EXIT',
]);

export function isoOrDash(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : date.toISOString();
}

/** One incident as a row under INCIDENT_HEADERS. */
export function incidentRow(incident: Incident): (string | number | undefined)[] {
  return [
    incident.incidentId,
    incident.status,
    incident.cluster,
    incident.namespace,
    incident.faultType,
    incident.severity,
    incident.createdAt.toISOString(),
    incident.exitCode,
  ];
}

/** `v1/Pod payments/checkout-7d9f (uid 1234)`. */
export function describeResource(resource: ResourceInfo | undefined): string | undefined {
  if (resource === undefined) return undefined;
  const name = resource.namespace === undefined ? resource.name : `${resource.namespace}/${resource.name}`;
  const uid = resource.uid === undefined ? '' : ` (uid ${resource.uid})`;
  return `${resource.apiVersion}/${resource.kind} ${name}${uid}`;
}

/** The label/value pairs `incidents show` prints for an incident. */
export function incidentFields(incident: Incident): [string, string | number | undefined][] {
  return [
    ['incident', incident.incidentId],
    ['status', incident.status],
    ['fault', incident.faultId],
    ['triggering event', incident.triggeringEventId],
    ['cluster', incident.cluster],
    ['namespace', incident.namespace],
    ['resource', describeResource(incident.resource)],
    ['fault type', incident.faultType],
    ['severity', incident.severity],
    ['fault time', incident.timestamp],
    ['created', isoOrDash(incident.createdAt)],
    ['started', isoOrDash(incident.startedAt)],
    ['completed', isoOrDash(incident.completedAt)],
    ['exit code', incident.exitCode],
    ['failure reason', incident.failureReason],
  ];
}

export const EXECUTION_HEADERS: readonly string[] = Object.freeze(['EXECUTION', 'STARTED', 'COMPLETED', 'EXIT', 'ERROR']);

export function executionRow(execution: AgentExecution): (string | number | undefined)[] {
  return [
    execution.executionId,
    isoOrDash(execution.startedAt),
    isoOrDash(execution.completedAt),
    execution.exitCode,
    execution.errorMessage,
  ];
}

export const REPORT_HEADERS: readonly string[] = Object.freeze(['REPORT', 'EXECUTION', 'GENERATED', 'MARKDOWN', 'HTML']);

export function reportRow(report: TriageReport): (string | number | undefined)[] {
  return [
    report.reportId,
    report.executionId,
    isoOrDash(report.generatedAt),
    `${Buffer.byteLength(report.reportMarkdown, 'utf8')} bytes`,
    report.reportHtml === undefined ? undefined : `${Buffer.byteLength(report.reportHtml, 'utf8')} bytes`,
  ];
}
