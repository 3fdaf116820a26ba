import type { AgentExecution, FaultEvent, Incident, TriageReport } from '../domain/types.js';
import { RowMappers } from '../query/row-mappers.js';
import type { ValueCodecs } from '../query/value-codecs.js';

// Every optional field set, so each mapper writes every column it knows about.
const at = new Date('2024-05-01T12:00:00.000Z');
const resource = { apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'uid-1' };
const event: FaultEvent = {
  faultId: 'fault-1',
  receivedAt: at,
  subscriptionId: 'sub-1',
  cluster: 'prod',
  resource,
  faultType: 'CrashLoopBackOff',
  severity: 'high',
  context: 'back-off restarting failed container',
  timestamp: at.toISOString(),
};
const incident: Incident = {
  ...event,
  incidentId: 'incident-1',
  status: 'failed',
  createdAt: at,
  startedAt: at,
  completedAt: at,
  exitCode: 1,
  failureReason: 'agent crashed',
  namespace: 'shop',
  triggeringEventId: event.faultId,
};
const execution: AgentExecution = {
  executionId: 'execution-1',
  incidentId: incident.incidentId,
  startedAt: at,
  completedAt: at,
  exitCode: 1,
  errorMessage: 'boom',
  logPaths: { agent: '/logs/agent.log' },
};
const report: TriageReport = {
  reportId: 'report-1',
  incidentId: incident.incidentId,
  executionId: execution.executionId,
  generatedAt: at,
  reportMarkdown: '# Triage',
  reportHtml: '<h1>Triage</h1>',
};

/**
 * The columns the query layer writes, per table, sorted. An adapter test compares them with the
 * columns of a database its migrations built: a column added on one side only fails it.
 */
export function queryLayerColumns(codecs: ValueCodecs): Record<'fault_events' | 'incidents' | 'agent_executions' | 'triage_reports', string[]> {
  const mappers = new RowMappers(codecs);
  const columns = (row: object) => Object.keys(row).sort();
  return {
    fault_events: columns(mappers.faultEventRow(event)),
    incidents: columns(mappers.incidentRow(incident)),
    agent_executions: columns(mappers.agentExecutionRow(execution)),
    triage_reports: columns(mappers.triageReportRow(report)),
  };
}
