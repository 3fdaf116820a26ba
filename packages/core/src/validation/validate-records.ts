import type {
  AgentExecution,
  FaultEvent,
  Incident,
  IncidentFilters,
  IncidentPageFilters,
  IncidentStatus,
  ResourceInfo,
  TriageReport,
} from '../domain/types.js';
import { INCIDENT_STATUSES } from '../domain/types.js';
import {
  checkDate,
  checkInteger,
  readLogPaths,
  checkNonEmptyString,
  checkObject,
  checkOptionalCount,
  checkString,
  checkText,
  failValidation,
} from './field-checks.js';
import { previewValue } from './preview-value.js';

// Each reader checks a caller's record and returns a copy built from the values it checked, read
// once each: what the store writes can neither change after the call nor differ from what passed.

export function checkStatus(field: string, value: unknown, key?: string): IncidentStatus {
  if (typeof value !== 'string' || !(INCIDENT_STATUSES as readonly string[]).includes(value)) {
    failValidation(field, `expected one of ${INCIDENT_STATUSES.join(', ')}, got ${previewValue(value)}`, key);
  }
  return value as IncidentStatus;
}

// The readers are on every call's path: plain statements, no closure or helper object per field.

function copyDate(field: string, value: unknown, key: string): Date {
  return new Date(checkDate(field, value, key).getTime());
}

function readResource(owner: string, value: unknown): ResourceInfo | undefined {
  if (value === undefined) return undefined;
  const field = `${owner}.resource`;
  const source = checkObject(field, value);
  const resource: ResourceInfo = {
    apiVersion: checkString(field, source['apiVersion'], 'apiVersion'),
    kind: checkString(field, source['kind'], 'kind'),
    name: checkString(field, source['name'], 'name'),
  };
  const { namespace, uid } = source;
  if (namespace !== undefined) resource.namespace = checkString(field, namespace, 'namespace');
  if (uid !== undefined) resource.uid = checkString(field, uid, 'uid');
  return resource;
}

export function readFaultEvent(value: unknown, field = 'event'): FaultEvent {
  const source = checkObject(field, value);
  const event: FaultEvent = {
    faultId: checkNonEmptyString(field, source['faultId'], 'faultId'),
    receivedAt: copyDate(field, source['receivedAt'], 'receivedAt'),
    subscriptionId: checkString(field, source['subscriptionId'], 'subscriptionId'),
    cluster: checkNonEmptyString(field, source['cluster'], 'cluster'),
    faultType: checkNonEmptyString(field, source['faultType'], 'faultType'),
    severity: checkString(field, source['severity'], 'severity'),
    context: checkText(field, source['context'], 'context'),
    timestamp: checkString(field, source['timestamp'], 'timestamp'),
  };
  const resource = readResource(field, source['resource']);
  if (resource !== undefined) event.resource = resource;
  return event;
}

export function readIncident(value: unknown, field = 'incident'): Incident {
  const source = checkObject(field, value);
  const incident: Incident = {
    incidentId: checkNonEmptyString(field, source['incidentId'], 'incidentId'),
    faultId: checkNonEmptyString(field, source['faultId'], 'faultId'),
    status: checkStatus(field, source['status'], 'status'),
    createdAt: copyDate(field, source['createdAt'], 'createdAt'),
    cluster: checkNonEmptyString(field, source['cluster'], 'cluster'),
    faultType: checkNonEmptyString(field, source['faultType'], 'faultType'),
    severity: checkString(field, source['severity'], 'severity'),
    context: checkText(field, source['context'], 'context'),
    timestamp: checkString(field, source['timestamp'], 'timestamp'),
  };
  const { startedAt, completedAt, exitCode, failureReason, namespace, triggeringEventId } = source;
  if (startedAt !== undefined) incident.startedAt = copyDate(field, startedAt, 'startedAt');
  if (completedAt !== undefined) incident.completedAt = copyDate(field, completedAt, 'completedAt');
  if (exitCode !== undefined) incident.exitCode = checkInteger(field, exitCode, 'exitCode');
  if (failureReason !== undefined) incident.failureReason = checkText(field, failureReason, 'failureReason');
  if (namespace !== undefined) incident.namespace = checkString(field, namespace, 'namespace');
  const resource = readResource(field, source['resource']);
  if (resource !== undefined) incident.resource = resource;
  if (triggeringEventId !== undefined) incident.triggeringEventId = checkNonEmptyString(field, triggeringEventId, 'triggeringEventId');
  return incident;
}

export function readAgentExecution(value: unknown, field = 'execution'): AgentExecution {
  const source = checkObject(field, value);
  const execution: AgentExecution = {
    executionId: checkNonEmptyString(field, source['executionId'], 'executionId'),
    incidentId: checkNonEmptyString(field, source['incidentId'], 'incidentId'),
    startedAt: copyDate(field, source['startedAt'], 'startedAt'),
  };
  const { completedAt, exitCode, errorMessage, logPaths } = source;
  if (completedAt !== undefined) execution.completedAt = copyDate(field, completedAt, 'completedAt');
  if (exitCode !== undefined) execution.exitCode = checkInteger(field, exitCode, 'exitCode');
  if (errorMessage !== undefined) execution.errorMessage = checkText(field, errorMessage, 'errorMessage');
  if (logPaths !== undefined) execution.logPaths = readLogPaths(field, logPaths, 'logPaths');
  return execution;
}

export function readTriageReport(value: unknown, field = 'report'): TriageReport {
  const source = checkObject(field, value);
  const report: TriageReport = {
    reportId: checkNonEmptyString(field, source['reportId'], 'reportId'),
    incidentId: checkNonEmptyString(field, source['incidentId'], 'incidentId'),
    executionId: checkNonEmptyString(field, source['executionId'], 'executionId'),
    generatedAt: copyDate(field, source['generatedAt'], 'generatedAt'),
    reportMarkdown: checkText(field, source['reportMarkdown'], 'reportMarkdown'),
  };
  const { reportHtml } = source;
  if (reportHtml !== undefined) report.reportHtml = checkText(field, reportHtml, 'reportHtml');
  return report;
}

function readStatuses(field: string, value: unknown): IncidentStatus[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) failValidation(field, `expected an array of statuses, got ${previewValue(value)}`);
  const statuses: IncidentStatus[] = [];
  // An index loop, so that holes of a sparse array are checked (and refused) too.
  for (let index = 0; index < value.length; index += 1) statuses.push(checkStatus(`${field}[${index}]`, value[index]));
  return statuses;
}

export function readIncidentFilters(value: unknown, field = 'filters'): IncidentFilters {
  if (value === undefined) return {};
  const source = checkObject(field, value);
  const filters: IncidentFilters = {};
  const status = readStatuses(`${field}.status`, source['status']);
  if (status !== undefined) filters.status = status;
  const { cluster, namespace, faultType, severity, createdAfter, createdBefore, limit, offset } = source;
  if (cluster !== undefined) filters.cluster = checkString(field, cluster, 'cluster');
  if (namespace !== undefined) filters.namespace = checkString(field, namespace, 'namespace');
  if (faultType !== undefined) filters.faultType = checkString(field, faultType, 'faultType');
  if (severity !== undefined) filters.severity = checkString(field, severity, 'severity');
  if (createdAfter !== undefined) filters.createdAfter = copyDate(field, createdAfter, 'createdAfter');
  if (createdBefore !== undefined) filters.createdBefore = copyDate(field, createdBefore, 'createdBefore');
  checkOptionalCount(field, limit, 'limit');
  checkOptionalCount(field, offset, 'offset');
  if (limit !== undefined) filters.limit = limit as number;
  if (offset !== undefined) filters.offset = offset as number;
  return filters;
}

export function readPageFilters(value: unknown, field = 'filters'): IncidentPageFilters {
  if (value === undefined) return {};
  const source = checkObject(field, value);
  if (source['offset'] !== undefined) failValidation(`${field}.offset`, 'pageIncidents pages by cursor; use listIncidents for offset');
  const { offset: _none, ...filters } = readIncidentFilters(source, field);
  const cursor = source['cursor'];
  // A cursor is our own base64url text: the long limit of free text, never a key.
  if (cursor !== undefined) return { ...filters, cursor: checkText(field, cursor, 'cursor') };
  return filters;
}
