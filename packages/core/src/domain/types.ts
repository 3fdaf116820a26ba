/**
 * Where an incident is in its lifecycle: `pending` (not yet picked up), `investigating` (an agent is
 * on it), `resolved` (the agent finished with exit code 0 and no failure reason), `failed` (any
 * other completion), `agent_failed` (the agent run itself broke down; set by the application).
 * `completeIncident` sets `resolved` or `failed`; `updateIncidentStatus` sets any of them.
 */
export type IncidentStatus = 'pending' | 'investigating' | 'resolved' | 'failed' | 'agent_failed';

/** Every status an incident can have, in lifecycle order. */
export const INCIDENT_STATUSES: readonly IncidentStatus[] = Object.freeze([
  'pending',
  'investigating',
  'resolved',
  'failed',
  'agent_failed',
] as const);

/** The Kubernetes object a fault is about. */
export interface ResourceInfo {
  /** The object's `apiVersion`, e.g. `v1` or `apps/v1`. */
  apiVersion: string;
  /** The object's `kind`, e.g. `Pod`. */
  kind: string;
  /** The object's `metadata.name`. */
  name: string;
  /** The object's namespace; absent for cluster-scoped objects. */
  namespace?: string;
  /** The object's `metadata.uid`. */
  uid?: string;
}

/** A fault as received from a cluster subscription. */
export interface FaultEvent {
  /** Unique id of the fault; non-empty. A second event with a stored `faultId` is kept as first stored. */
  faultId: string;
  /** When nightcrier received the fault (millisecond precision). */
  receivedAt: Date;
  /** The cluster subscription the fault came through. */
  subscriptionId: string;
  /** The cluster the fault happened in; non-empty. */
  cluster: string;
  /** The Kubernetes object the fault is about, if any. */
  resource?: ResourceInfo;
  /** What kind of fault, e.g. `CrashLoopBackOff`; non-empty. */
  faultType: string;
  /** The severity as the cluster reported it, e.g. `high`. */
  severity: string;
  /** Free text describing the fault (up to `FIELD_LIMITS.textBytes`). */
  context: string;
  /** When the fault happened in the cluster, verbatim as the cluster reported it. */
  timestamp: string;
}

/** One investigation of a fault. */
export interface Incident {
  /** Unique id of the incident; non-empty. */
  incidentId: string;
  /** The fault event this incident investigates; must equal the event's `faultId` in `createIncident`. */
  faultId: string;
  /** Where the incident is in its lifecycle. */
  status: IncidentStatus;
  /** When the incident was created; `listIncidents` orders by it, newest first. */
  createdAt: Date;
  /** When the investigation started; set or cleared by `updateIncidentStatus`. */
  startedAt?: Date;
  /** When the investigation ended; set by `completeIncident`. */
  completedAt?: Date;
  /** The agent's exit code (a 32-bit integer); set by `completeIncident`. */
  exitCode?: number;
  /** Why the investigation failed; set by `completeIncident`. An empty string is not stored. */
  failureReason?: string;
  /** The cluster the fault happened in; non-empty. */
  cluster: string;
  /** The namespace of the faulted object, if any. */
  namespace?: string;
  /** The Kubernetes object the fault is about, if any. */
  resource?: ResourceInfo;
  /** What kind of fault, e.g. `CrashLoopBackOff`; non-empty. */
  faultType: string;
  /** The fault's severity, e.g. `high`. */
  severity: string;
  /** Free text describing the fault. */
  context: string;
  /** When the fault happened in the cluster, verbatim as the cluster reported it. */
  timestamp: string;
  /** The `faultId` of the event that triggered the incident. */
  triggeringEventId?: string;
}

/** One run of the investigating agent. */
export interface AgentExecution {
  /** Unique id of the execution; recording the same id again updates it. */
  executionId: string;
  /** The incident the agent investigated; it must exist (else `ForeignKeyError`). */
  incidentId: string;
  /** When the agent started; `listAgentExecutions` orders by it, oldest first. */
  startedAt: Date;
  /** When the agent finished. */
  completedAt?: Date;
  /** The agent's exit code (a 32-bit integer). */
  exitCode?: number;
  /** What went wrong, when the agent failed. */
  errorMessage?: string;
  /** Log files by name, e.g. `{ stdout: '/var/log/…' }`; at most `FIELD_LIMITS.logPathEntries` entries. */
  logPaths?: Record<string, string>;
}

/** The report an agent execution produced. */
export interface TriageReport {
  /** Unique id of the report; a duplicate is a `ConflictError`. */
  reportId: string;
  /** The incident the report is about; it must exist (else `ForeignKeyError`). */
  incidentId: string;
  /** The execution that produced the report; it must exist (else `ForeignKeyError`). */
  executionId: string;
  /** When the report was produced; `listTriageReports` orders by it, oldest first. */
  generatedAt: Date;
  /** The report in Markdown (up to `FIELD_LIMITS.textBytes`). */
  reportMarkdown: string;
  /** The report rendered as HTML, if the agent produced one. */
  reportHtml?: string;
}

/** Filters for `listIncidents`; every given filter must match. */
export interface IncidentFilters {
  /** Any of these statuses; absent or empty: every status. */
  status?: IncidentStatus[];
  /** Only incidents of this cluster (literal, case-sensitive equality, as every string filter). */
  cluster?: string;
  /** Only incidents in this namespace. */
  namespace?: string;
  /** Only incidents of this fault type. */
  faultType?: string;
  /** Only incidents of this severity. */
  severity?: string;
  /** Exclusive lower bound on `createdAt`. */
  createdAfter?: Date;
  /** Exclusive upper bound on `createdAt`. */
  createdBefore?: Date;
  /** At most this many incidents (a non-negative integer); 0 or absent: no limit. */
  limit?: number;
  /** Skip this many matches first (a non-negative integer; default 0). Prefer `pageIncidents` for deep pages. */
  offset?: number;
}

/** Filters for `pageIncidents`: keyset pagination instead of `offset`. */
export interface IncidentPageFilters extends Omit<IncidentFilters, 'offset'> {
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor?: string;
}

/** One page of `pageIncidents`. */
export interface IncidentPage {
  /** This page's incidents, in `listIncidents` order. */
  incidents: Incident[];
  /** Present when more matches may follow; pass it as `cursor` to get them. */
  nextCursor?: string;
}

/** Per-call cancellation and deadline. */
export interface OperationOptions {
  /**
   * Aborting it rejects the call with `OperationCancelledError` and stops its statement; an
   * already aborted signal sends nothing.
   */
  signal?: AbortSignal;
  /**
   * Deadline for the whole call in milliseconds (1 to 2147483647), waiting for a connection or a
   * lock included; when it passes the call rejects with `OperationTimeoutError`. Default: the
   * store's `defaultTimeoutMs`, else none.
   */
  timeoutMs?: number;
}

/** Connection counts of a store at one moment, from `stats()`. */
export interface ConnectionStats {
  /** Open connections, idle and active. */
  totalConnections: number;
  /** Open connections no call is using. */
  idleConnections: number;
  /** Connections a call is using right now. */
  activeConnections: number;
  /** Calls waiting for a connection. */
  waitingRequests: number;
}
