import pg from 'pg';
import type { AgentExecution, FaultEvent, Incident, IncidentFilters, IncidentPage, IncidentPageFilters, IncidentStatus, TriageReport } from '@nightcrier/storage-core';
import type { BenchTarget } from '../harness/bench-target.js';
import { decodeRawCursor, rawPage } from '../raw/raw-cursor.js';
import { type ExecutionRow, type FaultEventRow, type IncidentRow, type ReportRow, rowMappers } from '../raw/raw-rows.js';

const ORDER = 'order by created_at desc, incident_id desc';
const EVENT_COLUMNS = `fault_id, received_at, subscription_id, cluster, resource_api_version, resource_kind, resource_name,
  resource_namespace, resource_uid, fault_type, severity, context, timestamp`;
const INCIDENT_COLUMNS = `incident_id, fault_id, status, created_at, started_at, completed_at, exit_code, failure_reason, cluster,
  namespace, resource_api_version, resource_kind, resource_name, resource_namespace, resource_uid, fault_type, severity, context,
  timestamp, triggering_event_id`;

/** Each statement once, by name: PostgreSQL parses and plans it once per connection. */
const SQL = {
  // The store's createIncident: one atomic statement, the event insert as a writable CTE.
  createIncident: `with stored_event as (insert into fault_events (${EVENT_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    on conflict (fault_id) do nothing)
    insert into incidents (${INCIDENT_COLUMNS}) values ($14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33)`,
  getIncident: 'select * from incidents where incident_id = $1',
  getFaultEvent: 'select * from fault_events where fault_id = $1',
  setStatus: 'update incidents set status = $1 where incident_id = $2',
  setStatusStarted: 'update incidents set status = $1, started_at = $2 where incident_id = $3',
  complete: 'update incidents set status = $1, completed_at = $2, exit_code = $3, failure_reason = $4 where incident_id = $5',
  upsertExecution: `insert into agent_executions (execution_id, incident_id, started_at, completed_at, exit_code, error_message, log_paths)
    values ($1, $2, $3, $4, $5, $6, $7) on conflict (execution_id) do update set completed_at = excluded.completed_at,
    exit_code = excluded.exit_code, error_message = excluded.error_message, log_paths = excluded.log_paths`,
  insertReport: 'insert into triage_reports (report_id, incident_id, execution_id, generated_at, report_markdown, report_html) values ($1, $2, $3, $4, $5, $6)',
  listByCluster: `select * from incidents where cluster = $1 ${ORDER} limit $2`,
  listByClusterOffset: `select * from incidents where cluster = $1 ${ORDER} limit $2 offset $3`,
  pageByClusterAfter: `select * from incidents where cluster = $1 and (created_at, incident_id) < ($2, $3) ${ORDER} limit $4`,
  executionsOf: 'select * from agent_executions where incident_id = $1 order by started_at, execution_id',
  reportsOf: 'select * from triage_reports where incident_id = $1 order by generated_at, report_id',
} as const;

type StatementName = keyof typeof SQL;

// pg's default type parsers already turn timestamptz into Date and jsonb into its value: nothing left to decode.
const toDomain = rowMappers((date: Date) => date, (json: Record<string, string>) => json);

const iso = (date: Date | undefined) => (date === undefined ? null : date.toISOString());

/**
 * The raw baseline: a pg.Pool (default type parsers) and named prepared statements through
 * `pool.query({ name, text, values })`, hand-written row mappers, no validation. Only the filter
 * shapes the benchmark uses (cluster, limit, offset, cursor) are supported.
 */
export class RawPostgresStore implements BenchTarget {
  readonly pool: pg.Pool;

  constructor(url: string, max = 25) {
    this.pool = new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC' });
  }

  private async run<R extends pg.QueryResultRow>(name: StatementName, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>({ name: `raw_${name}`, text: SQL[name], values });
  }

  async createIncident(incident: Incident, event: FaultEvent): Promise<void> {
    const r = event.resource;
    const ir = incident.resource;
    await this.run('createIncident', [
      event.faultId, event.receivedAt.toISOString(), event.subscriptionId, event.cluster, r?.apiVersion ?? null, r?.kind ?? null,
      r?.name ?? null, r?.namespace ?? null, r?.uid ?? null, event.faultType, event.severity, event.context, event.timestamp,
      incident.incidentId, incident.faultId, incident.status, incident.createdAt.toISOString(), iso(incident.startedAt),
      iso(incident.completedAt), incident.exitCode ?? null, incident.failureReason ?? null, incident.cluster, incident.namespace ?? null,
      ir?.apiVersion ?? null, ir?.kind ?? null, ir?.name ?? null, ir?.namespace ?? null, ir?.uid ?? null, incident.faultType,
      incident.severity, incident.context, incident.timestamp, incident.triggeringEventId ?? null,
    ]);
  }

  async getIncident(incidentId: string): Promise<Incident> {
    const { rows } = await this.run<IncidentRow<Date>>('getIncident', [incidentId]);
    const row = rows[0];
    if (row === undefined) throw new Error(`incident ${incidentId} not found`);
    return toDomain.incident(row);
  }

  async getFaultEvent(faultId: string): Promise<FaultEvent> {
    const { rows } = await this.run<FaultEventRow<Date>>('getFaultEvent', [faultId]);
    const row = rows[0];
    if (row === undefined) throw new Error(`fault event ${faultId} not found`);
    return toDomain.faultEvent(row);
  }

  async updateIncidentStatus(incidentId: string, status: IncidentStatus, startedAt?: Date | null): Promise<void> {
    const { rowCount } =
      startedAt === undefined
        ? await this.run('setStatus', [status, incidentId])
        : await this.run('setStatusStarted', [status, startedAt === null ? null : startedAt.toISOString(), incidentId]);
    if (rowCount === 0) throw new Error(`incident ${incidentId} not found`);
  }

  async completeIncident(incidentId: string, exitCode: number, failureReason?: string): Promise<void> {
    const reason = failureReason === undefined || failureReason === '' ? null : failureReason;
    const status = exitCode === 0 && reason === null ? 'resolved' : 'failed';
    const { rowCount } = await this.run('complete', [status, new Date().toISOString(), exitCode, reason, incidentId]);
    if (rowCount === 0) throw new Error(`incident ${incidentId} not found`);
  }

  async recordAgentExecution(e: AgentExecution): Promise<void> {
    await this.run('upsertExecution', [e.executionId, e.incidentId, e.startedAt.toISOString(), iso(e.completedAt), e.exitCode ?? null,
      e.errorMessage ?? null, e.logPaths === undefined ? null : JSON.stringify(e.logPaths)]);
  }

  async recordTriageReport(r: TriageReport): Promise<void> {
    await this.run('insertReport', [r.reportId, r.incidentId, r.executionId, r.generatedAt.toISOString(), r.reportMarkdown, r.reportHtml ?? null]);
  }

  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    const { cluster, limit = 0, offset = 0 } = filters;
    if (cluster === undefined || limit === 0) throw new Error('raw listIncidents supports { cluster, limit, offset? } only');
    const { rows } =
      offset > 0
        ? await this.run<IncidentRow<Date>>('listByClusterOffset', [cluster, limit, offset])
        : await this.run<IncidentRow<Date>>('listByCluster', [cluster, limit]);
    return rows.map(toDomain.incident);
  }

  async pageIncidents(filters: IncidentPageFilters = {}): Promise<IncidentPage> {
    const { cluster, limit = 0, cursor } = filters;
    if (cluster === undefined || limit === 0) throw new Error('raw pageIncidents supports { cluster, limit, cursor? } only');
    let rows: IncidentRow<Date>[];
    if (cursor === undefined) rows = (await this.run<IncidentRow<Date>>('listByCluster', [cluster, limit + 1])).rows;
    else {
      const after = decodeRawCursor(cursor);
      rows = (await this.run<IncidentRow<Date>>('pageByClusterAfter', [cluster, new Date(after.createdAtMs).toISOString(), after.incidentId, limit + 1])).rows;
    }
    return rawPage(rows, limit, toDomain.incident);
  }

  async listAgentExecutions(incidentId: string): Promise<AgentExecution[]> {
    return (await this.run<ExecutionRow<Date, Record<string, string>>>('executionsOf', [incidentId])).rows.map(toDomain.execution);
  }

  async listTriageReports(incidentId: string): Promise<TriageReport[]> {
    return (await this.run<ReportRow<Date>>('reportsOf', [incidentId])).rows.map(toDomain.report);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
