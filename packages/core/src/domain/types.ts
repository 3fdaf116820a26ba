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
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

/** A fault as received from a cluster subscription. */
export interface FaultEvent {
  faultId: string;
  receivedAt: Date;
  subscriptionId: string;
  cluster: string;
  resource?: ResourceInfo;
  faultType: string;
  severity: string;
  context: string;
  /** When the fault happened in the cluster, verbatim as the cluster reported it. */
  timestamp: string;
}

/** One investigation of a fault. */
export interface Incident {
  incidentId: string;
  faultId: string;
  status: IncidentStatus;
  createdAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  exitCode?: number;
  failureReason?: string;
  cluster: string;
  namespace?: string;
  resource?: ResourceInfo;
  faultType: string;
  severity: string;
  context: string;
  timestamp: string;
  triggeringEventId?: string;
}

/** One run of the investigating agent. */
export interface AgentExecution {
  executionId: string;
  incidentId: string;
  startedAt: Date;
  completedAt?: Date;
  exitCode?: number;
  errorMessage?: string;
  logPaths?: Record<string, string>;
}

/** The report an agent execution produced. */
export interface TriageReport {
  reportId: string;
  incidentId: string;
  executionId: string;
  generatedAt: Date;
  reportMarkdown: string;
  reportHtml?: string;
}

/** Filters for `listIncidents`; every given filter must match. */
export interface IncidentFilters {
  /** Any of these statuses; absent or empty: every status. */
  status?: IncidentStatus[];
  cluster?: string;
  namespace?: string;
  faultType?: string;
  severity?: string;
  /** Exclusive lower bound on `createdAt`. */
  createdAfter?: Date;
  /** Exclusive upper bound on `createdAt`. */
  createdBefore?: Date;
  /** 0 or absent: no limit. */
  limit?: number;
  offset?: number;
}

/** Filters for `pageIncidents`: keyset pagination instead of `offset`. */
export interface IncidentPageFilters extends Omit<IncidentFilters, 'offset'> {
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor?: string;
}

export interface IncidentPage {
  incidents: Incident[];
  /** Present when more matches may follow; pass it as `cursor` to get them. */
  nextCursor?: string;
}

/** Per-call cancellation and deadline. */
export interface OperationOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ConnectionStats {
  totalConnections: number;
  idleConnections: number;
  activeConnections: number;
  waitingRequests: number;
}
