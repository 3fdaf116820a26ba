import type { AgentExecution, FaultEvent, Incident, ResourceInfo } from '@nightcrier/storage-core';
import type { ExecutionRow, FaultEventRow, IncidentRow, ResourceRow } from '../raw/raw-rows.js';

/** `R` as an object type rather than an interface: it then fits Drizzle's `Record<string, unknown>` parameters. */
type Plain<R> = { [K in keyof R]: R[K] };

/** Domain object → the row a query builder inserts (snake_case columns, NULL for absent). */
export interface PeerRows<T, J> {
  event(event: FaultEvent): Plain<FaultEventRow<T>>;
  incident(incident: Incident): Plain<IncidentRow<T>>;
  execution(execution: AgentExecution): Plain<ExecutionRow<T, J>>;
}

/**
 * Row builders for one driver's encodings: `T` how it takes an instant (pg: Date or ISO text;
 * better-sqlite3: epoch ms), `J` a JSON column (text, or the object for a JSON-typed column).
 * The raw baselines bind positional arrays instead (raw-params.ts): peers take named columns.
 */
function resourceRow(resource: ResourceInfo | undefined): Plain<ResourceRow> {
  return {
    resource_api_version: resource?.apiVersion ?? null,
    resource_kind: resource?.kind ?? null,
    resource_name: resource?.name ?? null,
    resource_namespace: resource?.namespace ?? null,
    resource_uid: resource?.uid ?? null,
  };
}

export function peerRows<T, J>(encodeTime: (date: Date) => T, encodeJson: (value: Record<string, string>) => J): PeerRows<T, J> {
  const time = (date: Date | undefined): T | null => (date === undefined ? null : encodeTime(date));
  return {
    event: (event) => ({
      fault_id: event.faultId,
      received_at: encodeTime(event.receivedAt),
      subscription_id: event.subscriptionId,
      cluster: event.cluster,
      ...resourceRow(event.resource),
      fault_type: event.faultType,
      severity: event.severity,
      context: event.context,
      timestamp: event.timestamp,
    }),
    incident: (incident) => ({
      incident_id: incident.incidentId,
      fault_id: incident.faultId,
      status: incident.status,
      created_at: encodeTime(incident.createdAt),
      started_at: time(incident.startedAt),
      completed_at: time(incident.completedAt),
      exit_code: incident.exitCode ?? null,
      failure_reason: incident.failureReason ?? null,
      cluster: incident.cluster,
      namespace: incident.namespace ?? null,
      ...resourceRow(incident.resource),
      fault_type: incident.faultType,
      severity: incident.severity,
      context: incident.context,
      timestamp: incident.timestamp,
      triggering_event_id: incident.triggeringEventId ?? null,
    }),
    execution: (execution) => ({
      execution_id: execution.executionId,
      incident_id: execution.incidentId,
      started_at: encodeTime(execution.startedAt),
      completed_at: time(execution.completedAt),
      exit_code: execution.exitCode ?? null,
      error_message: execution.errorMessage ?? null,
      log_paths: execution.logPaths === undefined ? null : encodeJson(execution.logPaths),
    }),
  };
}
