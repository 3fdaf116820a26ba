import pg from 'pg';
import type { AgentExecution, FaultEvent, Incident, IncidentFilters, IncidentPage, IncidentPageFilters, IncidentStatus, TriageReport } from '@nightcrier/storage-core';
import type { BenchTarget } from '../harness/bench-target.js';
import { decodeRawCursor, rawPage } from '../raw/raw-cursor.js';
import { completion, rawParams } from '../raw/raw-params.js';
import { type ExecutionRow, type FaultEventRow, type IncidentRow, type ReportRow, rowMappers } from '../raw/raw-rows.js';
import { EVENT_COLUMNS, EXECUTION_COLUMNS, INCIDENT_COLUMNS, LIST_ORDER as ORDER, REPORT_COLUMNS } from '../raw/raw-sql.js';

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
  upsertExecution: `insert into agent_executions (${EXECUTION_COLUMNS})
    values ($1, $2, $3, $4, $5, $6, $7) on conflict (execution_id) do update set completed_at = excluded.completed_at,
    exit_code = excluded.exit_code, error_message = excluded.error_message, log_paths = excluded.log_paths`,
  insertReport: `insert into triage_reports (${REPORT_COLUMNS}) values ($1, $2, $3, $4, $5, $6)`,
  listByCluster: `select * from incidents where cluster = $1 ${ORDER} limit $2`,
  listByClusterOffset: `select * from incidents where cluster = $1 ${ORDER} limit $2 offset $3`,
  pageByClusterAfter: `select * from incidents where cluster = $1 and (created_at, incident_id) < ($2, $3) ${ORDER} limit $4`,
  executionsOf: 'select * from agent_executions where incident_id = $1 order by started_at, execution_id',
  reportsOf: 'select * from triage_reports where incident_id = $1 order by generated_at, report_id',
} as const;

/** The statements by name; a layout whose tables differ (Citus: bench/citus/raw-citus-writes.ts) replaces some of them. */
export type RawPostgresStatement = keyof typeof SQL;

// pg's default type parsers already turn timestamptz into Date and jsonb into its value: nothing left to decode.
const toDomain = rowMappers((date: Date) => date, (json: Record<string, string>) => json);

// Instants go in as ISO text; the server parses them into timestamptz.
const params = rawParams((date) => date.toISOString());

/**
 * The raw baseline: a pg.Pool (default type parsers) and named prepared statements through
 * `pool.query({ name, text, values })`, hand-written row mappers, no validation. Only the filter
 * shapes the benchmark uses (cluster, limit, offset, cursor) are supported.
 */
export class RawPostgresStore implements BenchTarget {
  readonly pool: pg.Pool;
  private readonly sql: Readonly<Record<RawPostgresStatement, string>>;

  /** `overrides`: statements of another layout, binding the same parameters in the same order. */
  constructor(url: string, max = 25, overrides: Partial<Record<RawPostgresStatement, string>> = {}) {
    this.pool = new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC' });
    this.sql = { ...SQL, ...overrides };
  }

  private async run<R extends pg.QueryResultRow>(name: RawPostgresStatement, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>({ name: `raw_${name}`, text: this.sql[name], values });
  }

  async createIncident(incident: Incident, event: FaultEvent): Promise<void> {
    await this.run('createIncident', params.event(event).concat(params.incident(incident)));
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
        : await this.run('setStatusStarted', [status, params.time(startedAt), incidentId]);
    if (rowCount === 0) throw new Error(`incident ${incidentId} not found`);
  }

  async completeIncident(incidentId: string, exitCode: number, failureReason?: string): Promise<void> {
    const { status, reason } = completion(exitCode, failureReason);
    const { rowCount } = await this.run('complete', [status, new Date().toISOString(), exitCode, reason, incidentId]);
    if (rowCount === 0) throw new Error(`incident ${incidentId} not found`);
  }

  async recordAgentExecution(e: AgentExecution): Promise<void> {
    await this.run('upsertExecution', params.execution(e));
  }

  async recordTriageReport(r: TriageReport): Promise<void> {
    // A plain insert writes its row or fails; the Citus form writes none for an unknown execution, which the store reports as a foreign key error.
    const { rowCount } = await this.run('insertReport', params.report(r));
    if (rowCount === 0) throw new Error(`execution ${r.executionId} not found`);
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
