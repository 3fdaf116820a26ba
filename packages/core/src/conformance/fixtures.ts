import type { AgentExecution, FaultEvent, Incident, ResourceInfo, TriageReport } from '../domain/types.js';
import type { StateStoreOperations } from '../state-store.js';

// Every test builds its ids from its own prefix, so that stores sharing one database (and earlier
// runs that left rows behind) never show up in another test's assertions.
const RUN_ID = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
let counter = 0;

/** A prefix no other test of this or any other run uses: `cf-<run>-<n>-<label>`. */
export function uniquePrefix(label: string): string {
  counter += 1;
  return `cf-${RUN_ID}-${counter}-${label}`;
}

/** A fixed instant plus `minutes`, so orderings are easy to reason about. */
export function at(minutes: number): Date {
  return new Date(Date.UTC(2024, 4, 1, 10, 0, 0, 123) + minutes * 60_000);
}

export function fullResource(overrides: Partial<ResourceInfo> = {}): ResourceInfo {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', namespace: 'shop', uid: 'f3b1c2d4-0000-4000-8000-000000000001', ...overrides };
}

/** A fault event with every required field and no optional one. */
export function makeEvent(faultId: string, overrides: Partial<FaultEvent> = {}): FaultEvent {
  return {
    faultId,
    receivedAt: new Date('2024-05-01T10:00:00.123Z'),
    subscriptionId: 'sub-1',
    cluster: 'prod-eu-1',
    faultType: 'CrashLoopBackOff',
    severity: 'high',
    context: 'container app restarted 5 times in 10 minutes',
    timestamp: '2024-05-01T09:59:58Z',
    ...overrides,
  };
}

/** An incident for `event` with every required field and no optional one. */
export function makeIncident(incidentId: string, event: FaultEvent, overrides: Partial<Incident> = {}): Incident {
  return {
    incidentId,
    faultId: event.faultId,
    status: 'pending',
    createdAt: new Date('2024-05-01T10:00:01.456Z'),
    cluster: event.cluster,
    faultType: event.faultType,
    severity: event.severity,
    context: event.context,
    timestamp: event.timestamp,
    ...overrides,
  };
}

/** An incident with every optional field set. */
export function makeFullIncident(incidentId: string, event: FaultEvent, overrides: Partial<Incident> = {}): Incident {
  return makeIncident(incidentId, event, {
    status: 'failed',
    startedAt: new Date('2024-05-01T10:00:02.789Z'),
    completedAt: new Date('2024-05-01T10:05:03.001Z'),
    exitCode: 137,
    failureReason: 'agent was OOM-killed',
    namespace: 'shop',
    resource: fullResource(),
    triggeringEventId: event.faultId,
    ...overrides,
  });
}

export function makeExecution(executionId: string, incidentId: string, overrides: Partial<AgentExecution> = {}): AgentExecution {
  return { executionId, incidentId, startedAt: new Date('2024-05-01T10:00:05.010Z'), ...overrides };
}

export function makeReport(reportId: string, incidentId: string, executionId: string, overrides: Partial<TriageReport> = {}): TriageReport {
  return {
    reportId,
    incidentId,
    executionId,
    generatedAt: new Date('2024-05-01T10:06:00.020Z'),
    reportMarkdown: '# Triage\n\nThe pod ran out of memory.',
    ...overrides,
  };
}

/** Creates an incident (and its own fault event `<incidentId>-f`) and returns what was written. */
export async function seedIncident(
  store: StateStoreOperations,
  incidentId: string,
  overrides: Partial<Incident> = {},
): Promise<Incident> {
  const event = makeEvent(`${incidentId}-f`, overrides.cluster === undefined ? {} : { cluster: overrides.cluster });
  const incident = makeIncident(incidentId, event, overrides);
  await store.createIncident(incident, event);
  return incident;
}

/** Creates an incident with one agent execution, for report tests. */
export async function seedExecution(store: StateStoreOperations, prefix: string): Promise<{ incident: Incident; execution: AgentExecution }> {
  const incident = await seedIncident(store, `${prefix}-inc`, { cluster: prefix });
  const execution = makeExecution(`${prefix}-exe`, incident.incidentId);
  await store.recordAgentExecution(execution);
  return { incident, execution };
}

/** The ids of `incidents`, in order. */
export function idsOf(incidents: readonly Incident[]): string[] {
  return incidents.map((incident) => incident.incidentId);
}

/** The ids in `incidents` that start with `prefix`, in order: the test's own rows. */
export function ownIds(incidents: readonly Incident[], prefix: string): string[] {
  return idsOf(incidents).filter((id) => id.startsWith(prefix));
}

/** `listIncidents` order: newest `createdAt` first, ties by `incidentId` descending. */
export function compareListOrder(a: Incident, b: Incident): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  if (a.incidentId === b.incidentId) return 0;
  return a.incidentId < b.incidentId ? 1 : -1;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
