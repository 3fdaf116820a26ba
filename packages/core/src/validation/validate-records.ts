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

/** Sets `target[key]` to the checked value of `source[key]` when it is present. */
function optional<T, K extends keyof T>(target: T, key: K, value: unknown, check: (value: unknown) => T[K]): void {
  if (value !== undefined) target[key] = check(value);
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
  optional(resource, 'namespace', source['namespace'], (v) => checkString(field, v, 'namespace'));
  optional(resource, 'uid', source['uid'], (v) => checkString(field, v, 'uid'));
  return resource;
}

export function readFaultEvent(value: unknown, field = 'event'): FaultEvent {
  const source = checkObject(field, value);
  const event: FaultEvent = {
    faultId: checkNonEmptyString(field, source['faultId'], 'faultId'),
    receivedAt: new Date(checkDate(field, source['receivedAt'], 'receivedAt').getTime()),
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

const copyDate = (field: string, key: string) => (value: unknown) => new Date(checkDate(field, value, key).getTime());

export function readIncident(value: unknown, field = 'incident'): Incident {
  const source = checkObject(field, value);
  const incident: Incident = {
    incidentId: checkNonEmptyString(field, source['incidentId'], 'incidentId'),
    faultId: checkNonEmptyString(field, source['faultId'], 'faultId'),
    status: checkStatus(field, source['status'], 'status'),
    createdAt: copyDate(field, 'createdAt')(source['createdAt']),
    cluster: checkNonEmptyString(field, source['cluster'], 'cluster'),
    faultType: checkNonEmptyString(field, source['faultType'], 'faultType'),
    severity: checkString(field, source['severity'], 'severity'),
    context: checkText(field, source['context'], 'context'),
    timestamp: checkString(field, source['timestamp'], 'timestamp'),
  };
  optional(incident, 'startedAt', source['startedAt'], copyDate(field, 'startedAt'));
  optional(incident, 'completedAt', source['completedAt'], copyDate(field, 'completedAt'));
  optional(incident, 'exitCode', source['exitCode'], (v) => checkInteger(field, v, 'exitCode'));
  optional(incident, 'failureReason', source['failureReason'], (v) => checkText(field, v, 'failureReason'));
  optional(incident, 'namespace', source['namespace'], (v) => checkString(field, v, 'namespace'));
  const resource = readResource(field, source['resource']);
  if (resource !== undefined) incident.resource = resource;
  optional(incident, 'triggeringEventId', source['triggeringEventId'], (v) => checkNonEmptyString(field, v, 'triggeringEventId'));
  return incident;
}

export function readAgentExecution(value: unknown, field = 'execution'): AgentExecution {
  const source = checkObject(field, value);
  const execution: AgentExecution = {
    executionId: checkNonEmptyString(field, source['executionId'], 'executionId'),
    incidentId: checkNonEmptyString(field, source['incidentId'], 'incidentId'),
    startedAt: copyDate(field, 'startedAt')(source['startedAt']),
  };
  optional(execution, 'completedAt', source['completedAt'], copyDate(field, 'completedAt'));
  optional(execution, 'exitCode', source['exitCode'], (v) => checkInteger(field, v, 'exitCode'));
  optional(execution, 'errorMessage', source['errorMessage'], (v) => checkText(field, v, 'errorMessage'));
  optional(execution, 'logPaths', source['logPaths'], (v) => readLogPaths(field, v, 'logPaths'));
  return execution;
}

export function readTriageReport(value: unknown, field = 'report'): TriageReport {
  const source = checkObject(field, value);
  const report: TriageReport = {
    reportId: checkNonEmptyString(field, source['reportId'], 'reportId'),
    incidentId: checkNonEmptyString(field, source['incidentId'], 'incidentId'),
    executionId: checkNonEmptyString(field, source['executionId'], 'executionId'),
    generatedAt: copyDate(field, 'generatedAt')(source['generatedAt']),
    reportMarkdown: checkText(field, source['reportMarkdown'], 'reportMarkdown'),
  };
  optional(report, 'reportHtml', source['reportHtml'], (v) => checkText(field, v, 'reportHtml'));
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
  optional(filters, 'cluster', source['cluster'], (v) => checkString(field, v, 'cluster'));
  optional(filters, 'namespace', source['namespace'], (v) => checkString(field, v, 'namespace'));
  optional(filters, 'faultType', source['faultType'], (v) => checkString(field, v, 'faultType'));
  optional(filters, 'severity', source['severity'], (v) => checkString(field, v, 'severity'));
  optional(filters, 'createdAfter', source['createdAfter'], copyDate(field, 'createdAfter'));
  optional(filters, 'createdBefore', source['createdBefore'], copyDate(field, 'createdBefore'));
  const { limit, offset } = source;
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
