import type { AgentExecution, FaultEvent, Incident, IncidentStatus, TriageReport } from '@nightcrier/storage-core';

/** A positional statement parameter as every driver here takes it. */
export type RawValue = string | number | null;

/**
 * Domain object → positional parameters, in the column order of raw-sql.ts, NULL for absent. The
 * engines differ only in how an instant is stored (pg: ISO text; SQLite: epoch ms; MySQL:
 * DATETIME text), so that is the one argument.
 */
export interface RawParams {
  event(event: FaultEvent): RawValue[];
  incident(incident: Incident): RawValue[];
  execution(execution: AgentExecution): RawValue[];
  report(report: TriageReport): RawValue[];
  /** An optional instant: NULL when absent. */
  time(date: Date | null | undefined): RawValue;
}

export function rawParams(encodeTime: (date: Date) => string | number): RawParams {
  const time = (date: Date | null | undefined): RawValue => (date === undefined || date === null ? null : encodeTime(date));
  return {
    time,
    event: (event) => {
      const r = event.resource;
      return [event.faultId, encodeTime(event.receivedAt), event.subscriptionId, event.cluster, r?.apiVersion ?? null, r?.kind ?? null,
        r?.name ?? null, r?.namespace ?? null, r?.uid ?? null, event.faultType, event.severity, event.context, event.timestamp];
    },
    incident: (incident) => {
      const r = incident.resource;
      return [incident.incidentId, incident.faultId, incident.status, encodeTime(incident.createdAt), time(incident.startedAt),
        time(incident.completedAt), incident.exitCode ?? null, incident.failureReason ?? null, incident.cluster, incident.namespace ?? null,
        r?.apiVersion ?? null, r?.kind ?? null, r?.name ?? null, r?.namespace ?? null, r?.uid ?? null, incident.faultType, incident.severity,
        incident.context, incident.timestamp, incident.triggeringEventId ?? null];
    },
    execution: (e) => [e.executionId, e.incidentId, encodeTime(e.startedAt), time(e.completedAt), e.exitCode ?? null, e.errorMessage ?? null,
      e.logPaths === undefined ? null : JSON.stringify(e.logPaths)],
    report: (r) => [r.reportId, r.incidentId, r.executionId, encodeTime(r.generatedAt), r.reportMarkdown, r.reportHtml ?? null],
  };
}

/** completeIncident's rule, as the store applies it: an empty reason is none; any exit code but 0, or a reason, fails. */
export function completion(exitCode: number, failureReason: string | undefined): { status: IncidentStatus; reason: string | null } {
  const reason = failureReason === undefined || failureReason === '' ? null : failureReason;
  return { status: exitCode === 0 && reason === null ? 'resolved' : 'failed', reason };
}
