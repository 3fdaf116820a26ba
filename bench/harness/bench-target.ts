import type {
  AgentExecution,
  FaultEvent,
  Incident,
  IncidentFilters,
  IncidentPage,
  IncidentPageFilters,
  IncidentStatus,
  TriageReport,
} from '@nightcrier/storage-core';

/**
 * The StateStore operations the benchmark times. The store satisfies it as it is; each raw-driver
 * baseline implements it by hand with the same SQL, returning the same domain objects.
 */
export interface BenchTarget {
  createIncident(incident: Incident, event: FaultEvent): Promise<void>;
  getIncident(incidentId: string): Promise<Incident>;
  getFaultEvent(faultId: string): Promise<FaultEvent>;
  updateIncidentStatus(incidentId: string, status: IncidentStatus, startedAt?: Date | null): Promise<void>;
  completeIncident(incidentId: string, exitCode: number, failureReason?: string): Promise<void>;
  recordAgentExecution(execution: AgentExecution): Promise<void>;
  recordTriageReport(report: TriageReport): Promise<void>;
  listIncidents(filters?: IncidentFilters): Promise<Incident[]>;
  pageIncidents(filters?: IncidentPageFilters): Promise<IncidentPage>;
  listAgentExecutions(incidentId: string): Promise<AgentExecution[]>;
  listTriageReports(incidentId: string): Promise<TriageReport[]>;
  close(): Promise<void>;
}

/** The two sides of one engine, opened on identical, separately stored schemas. */
export interface TargetPair {
  store: BenchTarget;
  raw: BenchTarget;
  /** Where each side's data lives, for the report. */
  location: string;
  /** Drops what the pair created (files, databases) once both sides are closed. */
  cleanup(): Promise<void>;
}
