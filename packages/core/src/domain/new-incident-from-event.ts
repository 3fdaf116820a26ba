import type { FaultEvent, Incident } from './types.js';

/**
 * Builds the incident that investigates `event`: status `investigating`, `createdAt` = `now`,
 * the event's context fields copied over and `triggeringEventId` = `event.faultId`.
 */
export function newIncidentFromEvent(incidentId: string, event: FaultEvent, now: Date = new Date()): Incident {
  const incident: Incident = {
    incidentId,
    faultId: event.faultId,
    status: 'investigating',
    createdAt: new Date(now.getTime()),
    cluster: event.cluster,
    faultType: event.faultType,
    severity: event.severity,
    context: event.context,
    timestamp: event.timestamp,
    triggeringEventId: event.faultId,
  };
  if (event.resource !== undefined) {
    incident.resource = { ...event.resource };
    if (event.resource.namespace !== undefined) incident.namespace = event.resource.namespace;
  }
  return incident;
}
