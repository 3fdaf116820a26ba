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

export function checkStatus(field: string, value: unknown): IncidentStatus {
  if (typeof value !== 'string' || !(INCIDENT_STATUSES as readonly string[]).includes(value)) {
    failValidation(field, `expected one of ${INCIDENT_STATUSES.join(', ')}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as IncidentStatus;
}

function checkResource(field: string, value: unknown): void {
  if (value === undefined) return;
  const resource = checkObject(field, value);
  checkString(`${field}.apiVersion`, resource['apiVersion']);
  checkString(`${field}.kind`, resource['kind']);
  checkString(`${field}.name`, resource['name']);
  checkOptionalString(`${field}.namespace`, resource['namespace']);
  checkOptionalString(`${field}.uid`, resource['uid']);
}

export function validateFaultEvent(value: unknown, field = 'event'): asserts value is FaultEvent {
  const event = checkObject(field, value);
  checkNonEmptyString(`${field}.faultId`, event['faultId']);
  checkDate(`${field}.receivedAt`, event['receivedAt']);
  checkString(`${field}.subscriptionId`, event['subscriptionId']);
  checkNonEmptyString(`${field}.cluster`, event['cluster']);
  checkResource(`${field}.resource`, event['resource']);
  checkNonEmptyString(`${field}.faultType`, event['faultType']);
  checkString(`${field}.severity`, event['severity']);
  checkString(`${field}.context`, event['context']);
  checkString(`${field}.timestamp`, event['timestamp']);
}

export function validateIncident(value: unknown, field = 'incident'): asserts value is Incident {
  const incident = checkObject(field, value);
  checkNonEmptyString(`${field}.incidentId`, incident['incidentId']);
  checkNonEmptyString(`${field}.faultId`, incident['faultId']);
  checkStatus(`${field}.status`, incident['status']);
  checkDate(`${field}.createdAt`, incident['createdAt']);
  checkOptionalDate(`${field}.startedAt`, incident['startedAt']);
  checkOptionalDate(`${field}.completedAt`, incident['completedAt']);
  checkOptionalInteger(`${field}.exitCode`, incident['exitCode']);
  checkOptionalString(`${field}.failureReason`, incident['failureReason']);
  checkNonEmptyString(`${field}.cluster`, incident['cluster']);
  checkOptionalString(`${field}.namespace`, incident['namespace']);
  checkResource(`${field}.resource`, incident['resource']);
  checkNonEmptyString(`${field}.faultType`, incident['faultType']);
  checkString(`${field}.severity`, incident['severity']);
  checkString(`${field}.context`, incident['context']);
  checkString(`${field}.timestamp`, incident['timestamp']);
  checkOptionalNonEmptyString(`${field}.triggeringEventId`, incident['triggeringEventId']);
}

export function validateAgentExecution(value: unknown, field = 'execution'): asserts value is AgentExecution {
  const execution = checkObject(field, value);
  checkNonEmptyString(`${field}.executionId`, execution['executionId']);
  checkNonEmptyString(`${field}.incidentId`, execution['incidentId']);
  checkDate(`${field}.startedAt`, execution['startedAt']);
  checkOptionalDate(`${field}.completedAt`, execution['completedAt']);
  checkOptionalInteger(`${field}.exitCode`, execution['exitCode']);
  checkOptionalString(`${field}.errorMessage`, execution['errorMessage']);
  if (execution['logPaths'] !== undefined) checkStringRecord(`${field}.logPaths`, execution['logPaths']);
}

export function validateTriageReport(value: unknown, field = 'report'): asserts value is TriageReport {
  const report = checkObject(field, value);
  checkNonEmptyString(`${field}.reportId`, report['reportId']);
  checkNonEmptyString(`${field}.incidentId`, report['incidentId']);
  checkNonEmptyString(`${field}.executionId`, report['executionId']);
  checkDate(`${field}.generatedAt`, report['generatedAt']);
  checkString(`${field}.reportMarkdown`, report['reportMarkdown']);
  checkOptionalString(`${field}.reportHtml`, report['reportHtml']);
}

export function validateIncidentFilters(value: unknown, field = 'filters'): asserts value is IncidentFilters | undefined {
  if (value === undefined) return;
  const filters = checkObject(field, value);
  const statuses = filters['status'];
  if (statuses !== undefined) {
    if (!Array.isArray(statuses)) failValidation(`${field}.status`, 'expected an array of statuses');
    statuses.forEach((status, index) => checkStatus(`${field}.status[${index}]`, status));
  }
  checkOptionalString(`${field}.cluster`, filters['cluster']);
  checkOptionalString(`${field}.namespace`, filters['namespace']);
  checkOptionalString(`${field}.faultType`, filters['faultType']);
  checkOptionalString(`${field}.severity`, filters['severity']);
  checkOptionalDate(`${field}.createdAfter`, filters['createdAfter']);
  checkOptionalDate(`${field}.createdBefore`, filters['createdBefore']);
  checkOptionalCount(`${field}.limit`, filters['limit']);
  checkOptionalCount(`${field}.offset`, filters['offset']);
}

export function validatePageFilters(value: unknown, field = 'filters'): asserts value is IncidentPageFilters | undefined {
  if (value === undefined) return;
  const filters = checkObject(field, value);
  if (filters['offset'] !== undefined) failValidation(`${field}.offset`, 'pageIncidents pages by cursor; use listIncidents for offset');
  validateIncidentFilters(value, field);
  checkOptionalString(`${field}.cursor`, filters['cursor']);
}

export { checkDate, checkInteger, checkNonEmptyString, checkOptionalDate, checkOptionalString };
