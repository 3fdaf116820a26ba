import type { AgentExecution, FaultEvent, Incident, IncidentFilters, IncidentPageFilters, IncidentStatus, TriageReport } from '../domain/types.js';
import { INCIDENT_STATUSES } from '../domain/types.js';
import {
  checkDate,
  checkInteger,
  checkNonEmptyString,
  checkObject,
  checkOptionalCount,
  checkOptionalDate,
  checkOptionalInteger,
  checkOptionalNonEmptyString,
  checkOptionalString,
  checkString,
  checkStringRecord,
  failValidation,
} from './field-checks.js';

export function checkStatus(field: string, value: unknown, key?: string): IncidentStatus {
  if (typeof value !== 'string' || !(INCIDENT_STATUSES as readonly string[]).includes(value)) {
    failValidation(field, `expected one of ${INCIDENT_STATUSES.join(', ')}, got ${JSON.stringify(value) ?? String(value)}`, key);
  }
  return value as IncidentStatus;
}

function checkResource(owner: string, value: unknown): void {
  if (value === undefined) return;
  const field = `${owner}.resource`;
  const resource = checkObject(field, value);
  checkString(field, resource['apiVersion'], 'apiVersion');
  checkString(field, resource['kind'], 'kind');
  checkString(field, resource['name'], 'name');
  checkOptionalString(field, resource['namespace'], 'namespace');
  checkOptionalString(field, resource['uid'], 'uid');
}

export function validateFaultEvent(value: unknown, field = 'event'): asserts value is FaultEvent {
  const event = checkObject(field, value);
  checkNonEmptyString(field, event['faultId'], 'faultId');
  checkDate(field, event['receivedAt'], 'receivedAt');
  checkString(field, event['subscriptionId'], 'subscriptionId');
  checkNonEmptyString(field, event['cluster'], 'cluster');
  checkResource(field, event['resource']);
  checkNonEmptyString(field, event['faultType'], 'faultType');
  checkString(field, event['severity'], 'severity');
  checkString(field, event['context'], 'context');
  checkString(field, event['timestamp'], 'timestamp');
}

export function validateIncident(value: unknown, field = 'incident'): asserts value is Incident {
  const incident = checkObject(field, value);
  checkNonEmptyString(field, incident['incidentId'], 'incidentId');
  checkNonEmptyString(field, incident['faultId'], 'faultId');
  checkStatus(field, incident['status'], 'status');
  checkDate(field, incident['createdAt'], 'createdAt');
  checkOptionalDate(field, incident['startedAt'], 'startedAt');
  checkOptionalDate(field, incident['completedAt'], 'completedAt');
  checkOptionalInteger(field, incident['exitCode'], 'exitCode');
  checkOptionalString(field, incident['failureReason'], 'failureReason');
  checkNonEmptyString(field, incident['cluster'], 'cluster');
  checkOptionalString(field, incident['namespace'], 'namespace');
  checkResource(field, incident['resource']);
  checkNonEmptyString(field, incident['faultType'], 'faultType');
  checkString(field, incident['severity'], 'severity');
  checkString(field, incident['context'], 'context');
  checkString(field, incident['timestamp'], 'timestamp');
  checkOptionalNonEmptyString(field, incident['triggeringEventId'], 'triggeringEventId');
}

export function validateAgentExecution(value: unknown, field = 'execution'): asserts value is AgentExecution {
  const execution = checkObject(field, value);
  checkNonEmptyString(field, execution['executionId'], 'executionId');
  checkNonEmptyString(field, execution['incidentId'], 'incidentId');
  checkDate(field, execution['startedAt'], 'startedAt');
  checkOptionalDate(field, execution['completedAt'], 'completedAt');
  checkOptionalInteger(field, execution['exitCode'], 'exitCode');
  checkOptionalString(field, execution['errorMessage'], 'errorMessage');
  if (execution['logPaths'] !== undefined) checkStringRecord(field, execution['logPaths'], 'logPaths');
}

export function validateTriageReport(value: unknown, field = 'report'): asserts value is TriageReport {
  const report = checkObject(field, value);
  checkNonEmptyString(field, report['reportId'], 'reportId');
  checkNonEmptyString(field, report['incidentId'], 'incidentId');
  checkNonEmptyString(field, report['executionId'], 'executionId');
  checkDate(field, report['generatedAt'], 'generatedAt');
  checkString(field, report['reportMarkdown'], 'reportMarkdown');
  checkOptionalString(field, report['reportHtml'], 'reportHtml');
}

export function validateIncidentFilters(value: unknown, field = 'filters'): asserts value is IncidentFilters | undefined {
  if (value === undefined) return;
  const filters = checkObject(field, value);
  const statuses = filters['status'];
  if (statuses !== undefined) {
    if (!Array.isArray(statuses)) failValidation(`${field}.status`, 'expected an array of statuses');
    statuses.forEach((status, index) => checkStatus(`${field}.status[${index}]`, status));
  }
  checkOptionalString(field, filters['cluster'], 'cluster');
  checkOptionalString(field, filters['namespace'], 'namespace');
  checkOptionalString(field, filters['faultType'], 'faultType');
  checkOptionalString(field, filters['severity'], 'severity');
  checkOptionalDate(field, filters['createdAfter'], 'createdAfter');
  checkOptionalDate(field, filters['createdBefore'], 'createdBefore');
  checkOptionalCount(field, filters['limit'], 'limit');
  checkOptionalCount(field, filters['offset'], 'offset');
}

export function validatePageFilters(value: unknown, field = 'filters'): asserts value is IncidentPageFilters | undefined {
  if (value === undefined) return;
  const filters = checkObject(field, value);
  if (filters['offset'] !== undefined) failValidation(`${field}.offset`, 'pageIncidents pages by cursor; use listIncidents for offset');
  validateIncidentFilters(value, field);
  checkOptionalString(field, filters['cursor'], 'cursor');
}

export { checkDate, checkInteger, checkNonEmptyString, checkOptionalDate, checkOptionalString };
