import type { AgentExecution, FaultEvent, Incident, IncidentStatus, TriageReport } from '@nightcrier/storage-core';
import type { BenchTarget } from './harness/bench-target.js';

/**
 * Deterministic benchmark data. Both sides of a pair get the same fixture and the same inputs
 * (same ids, same values), each in its own database, so they do the same work.
 */

const BASE_MS = Date.UTC(2025, 0, 1);
const CONTEXT =
  'Back-off restarting failed container app in pod checkout-7d9f8b6c5-x2k4j: exit code 137 (OOMKilled), ' +
  'last state terminated at 2025-01-01T00:00:00Z, restart count 12, memory limit 512Mi';
const MARKDOWN_PARAGRAPH =
  '## Finding\n\nThe container exceeded its memory limit after the 1.42 rollout doubled the cache size. ' +
  'Heap profiles show `ImageCache` retaining decoded frames; the limit of 512Mi leaves no headroom.\n\n' +
  '- Evidence: `kubectl describe pod` shows `OOMKilled` with exit code 137\n' +
  '- Evidence: metrics show RSS climbing 40 MiB/min until the kill\n\n';
const REPORT_MARKDOWN = `# Triage report\n\n${MARKDOWN_PARAGRAPH.repeat(5)}## Recommendation\n\nRaise the limit to 1Gi or cap the cache.\n`;
const REPORT_HTML = `<article>${REPORT_MARKDOWN.replace(/\n/g, '<br>')}</article>`;

export const LIST_CLUSTER = 'bench-list';
export const LIST_PAGE_SIZE = 50;
/** Rows skipped before the "deep" keyset page of the operation benchmark. */
export const DEEP_PAGE_ROWS = 1000;

export interface FixtureSizes {
  /** Incidents of LIST_CLUSTER, the data listIncidents and pageIncidents read. */
  listed: number;
  /** Incidents that only getIncident and getFaultEvent read. */
  read: number;
  /** Incidents that updates, completions, executions and reports write to. */
  written: number;
  /** Incidents with EXECUTIONS_PER_HISTORY executions and reports, for the two list-by-incident calls. */
  history: number;
}

export const FIXTURE_SIZES: FixtureSizes = { listed: 1500, read: 1000, written: 1000, history: 200 };
const EXECUTIONS_PER_HISTORY = 3;

export interface Fixture {
  readIds: string[];
  readFaultIds: string[];
  writtenIds: string[];
  /** One stored execution per written incident (same index), for upserts and reports. */
  writtenExecutionIds: string[];
  historyIds: string[];
}

const pad = (n: number) => String(n).padStart(7, '0');

export function faultEvent(faultId: string, cluster: string, atMs: number, index: number): FaultEvent {
  return {
    faultId,
    receivedAt: new Date(atMs - 250),
    subscriptionId: `sub-${index % 3}`,
    cluster,
    resource: { apiVersion: 'v1', kind: 'Pod', name: `checkout-${pad(index)}`, namespace: `ns-${index % 7}`, uid: `uid-${pad(index)}` },
    faultType: index % 2 === 0 ? 'CrashLoopBackOff' : 'OOMKilled',
    severity: index % 3 === 0 ? 'critical' : 'high',
    context: CONTEXT,
    timestamp: new Date(atMs - 500).toISOString(),
  };
}

/** What newIncidentFromEvent builds, with a chosen status and creation time. */
export function incidentFor(incidentId: string, event: FaultEvent, createdAtMs: number, status: IncidentStatus = 'investigating'): Incident {
  const incident: Incident = {
    incidentId,
    faultId: event.faultId,
    status,
    createdAt: new Date(createdAtMs),
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

export interface IncidentInput {
  incident: Incident;
  event: FaultEvent;
}

/** A fresh incident and its event; `prefix` keeps each operation's ids apart. */
export function newIncidentInput(prefix: string, index: number, cluster: string, createdAtMs = BASE_MS + index * 1000): IncidentInput {
  const event = faultEvent(`${prefix}-f-${pad(index)}`, cluster, createdAtMs, index);
  return { event, incident: incidentFor(`${prefix}-i-${pad(index)}`, event, createdAtMs) };
}

export function execution(executionId: string, incidentId: string, index: number, completed: boolean): AgentExecution {
  const startedAt = new Date(BASE_MS + index * 1000 + 10);
  const run: AgentExecution = {
    executionId,
    incidentId,
    startedAt,
    logPaths: { stdout: `/var/log/nightcrier/${executionId}/stdout.log`, stderr: `/var/log/nightcrier/${executionId}/stderr.log` },
  };
  if (completed) {
    run.completedAt = new Date(startedAt.getTime() + 45_000);
    run.exitCode = index % 4 === 0 ? 1 : 0;
    if (run.exitCode !== 0) run.errorMessage = 'agent exited with status 1';
  }
  return run;
}

export function triageReport(reportId: string, incidentId: string, executionId: string, index: number): TriageReport {
  const report: TriageReport = {
    reportId,
    incidentId,
    executionId,
    generatedAt: new Date(BASE_MS + index * 1000 + 50_000),
    reportMarkdown: REPORT_MARKDOWN,
  };
  if (index % 2 === 0) report.reportHtml = REPORT_HTML;
  return report;
}

/** Runs `work` for 0..count-1, `parallel` at a time. */
async function forEach(count: number, parallel: number, work: (index: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += parallel) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(count, start + parallel); i += 1) batch.push(work(i));
    await Promise.all(batch);
  }
}

/**
 * Stores the fixture the timed operations read and write, through `target` itself (store or raw):
 * both sides hold the same rows afterwards. Listed incidents have distinct createdAt, newest last.
 */
export async function seedFixture(target: BenchTarget, sizes: FixtureSizes = FIXTURE_SIZES, parallel = 1): Promise<Fixture> {
  const fixture: Fixture = { readIds: [], readFaultIds: [], writtenIds: [], writtenExecutionIds: [], historyIds: [] };
  await forEach(sizes.listed, parallel, (i) => {
    const { incident, event } = newIncidentInput('list', i, LIST_CLUSTER, BASE_MS + i * 60_000);
    return target.createIncident(i % 5 === 0 ? { ...incident, status: 'resolved', exitCode: 0, completedAt: new Date(BASE_MS + i * 60_000 + 5000) } : incident, event);
  });
  await forEach(sizes.read, parallel, (i) => {
    const { incident, event } = newIncidentInput('read', i, `bench-read-${i % 4}`);
    fixture.readIds.push(incident.incidentId);
    fixture.readFaultIds.push(event.faultId);
    return target.createIncident(incident, event);
  });
  await forEach(sizes.written, parallel, async (i) => {
    const { incident, event } = newIncidentInput('written', i, `bench-write-${i % 4}`);
    fixture.writtenIds[i] = incident.incidentId;
    fixture.writtenExecutionIds[i] = `written-x-${pad(i)}`;
    await target.createIncident(incident, event);
    await target.recordAgentExecution(execution(`written-x-${pad(i)}`, incident.incidentId, i, false));
  });
  await forEach(sizes.history, parallel, async (i) => {
    const { incident, event } = newIncidentInput('history', i, 'bench-history');
    fixture.historyIds.push(incident.incidentId);
    await target.createIncident(incident, event);
    for (let k = 0; k < EXECUTIONS_PER_HISTORY; k += 1) {
      const executionId = `history-x-${pad(i)}-${k}`;
      await target.recordAgentExecution(execution(executionId, incident.incidentId, i * 10 + k, true));
      await target.recordTriageReport(triageReport(`history-r-${pad(i)}-${k}`, incident.incidentId, executionId, i * 10 + k));
    }
  });
  fixture.readIds.sort();
  fixture.readFaultIds.sort();
  fixture.historyIds.sort();
  return fixture;
}
