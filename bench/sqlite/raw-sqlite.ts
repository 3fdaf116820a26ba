import BetterSqlite3 from 'better-sqlite3';
import type { AgentExecution, FaultEvent, Incident, IncidentFilters, IncidentPage, IncidentPageFilters, IncidentStatus, TriageReport } from '@nightcrier/storage-core';
import type { BenchTarget } from '../harness/bench-target.js';
import { upMigrationSql } from '../harness/paths.js';
import { decodeRawCursor, rawPage } from '../raw/raw-cursor.js';
import { completion, rawParams } from '../raw/raw-params.js';
import { type ExecutionRow, type FaultEventRow, type IncidentRow, type ReportRow, rowMappers } from '../raw/raw-rows.js';
import { EVENT_COLUMNS, EXECUTION_COLUMNS, INCIDENT_COLUMNS, LIST_ORDER as ORDER, placeholders, REPORT_COLUMNS } from '../raw/raw-sql.js';

// The schema stores timestamps as INTEGER epoch ms and JSON as text; better-sqlite3 hands both back as is.
const toDomain = rowMappers((ms: number) => new Date(ms), (text: string): unknown => JSON.parse(text));
const params = rawParams((date) => date.getTime());

/** Opens `filename` with the store's pragmas (WAL for files, synchronous=NORMAL, foreign keys, busy timeout). */
export function openRawSqlite(filename: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(filename, { timeout: 5000 });
  db.pragma('busy_timeout = 5000');
  if (filename !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * The raw baseline: better-sqlite3 with every statement prepared once, positional parameters,
 * hand-written row mappers, no validation. Only the filter shapes the benchmark uses (cluster,
 * limit, offset, cursor) are supported.
 */
export class RawSqliteStore implements BenchTarget {
  private readonly insertEvent;
  private readonly insertIncident;
  private readonly createTx;
  private readonly selectIncident;
  private readonly selectEvent;
  private readonly setStatus;
  private readonly setStatusStarted;
  private readonly complete;
  private readonly upsertExecution;
  private readonly insertReport;
  private readonly listByCluster;
  private readonly listByClusterOffset;
  private readonly pageByClusterAfter;
  private readonly executionsOf;
  private readonly reportsOf;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.insertEvent = db.prepare(`insert into fault_events (${EVENT_COLUMNS}) values (${placeholders(13)}) on conflict (fault_id) do nothing`);
    this.insertIncident = db.prepare(`insert into incidents (${INCIDENT_COLUMNS}) values (${placeholders(20)})`);
    this.createTx = db.transaction((incident: Incident, event: FaultEvent) => {
      this.insertEvent.run(params.event(event));
      this.insertIncident.run(params.incident(incident));
    });
    this.selectIncident = db.prepare<[string], IncidentRow<number>>('select * from incidents where incident_id = ?');
    this.selectEvent = db.prepare<[string], FaultEventRow<number>>('select * from fault_events where fault_id = ?');
    this.setStatus = db.prepare('update incidents set status = ? where incident_id = ?');
    this.setStatusStarted = db.prepare('update incidents set status = ?, started_at = ? where incident_id = ?');
    this.complete = db.prepare('update incidents set status = ?, completed_at = ?, exit_code = ?, failure_reason = ? where incident_id = ?');
    this.upsertExecution = db.prepare(
      `insert into agent_executions (${EXECUTION_COLUMNS}) values (${placeholders(7)}) on conflict (execution_id) do update set completed_at = excluded.completed_at,
       exit_code = excluded.exit_code, error_message = excluded.error_message, log_paths = excluded.log_paths`,
    );
    this.insertReport = db.prepare(`insert into triage_reports (${REPORT_COLUMNS}) values (${placeholders(6)})`);
    this.listByCluster = db.prepare<[string, number], IncidentRow<number>>(`select * from incidents where cluster = ? ${ORDER} limit ?`);
    this.listByClusterOffset = db.prepare<[string, number, number], IncidentRow<number>>(`select * from incidents where cluster = ? ${ORDER} limit ? offset ?`);
    this.pageByClusterAfter = db.prepare<[string, number, string, number], IncidentRow<number>>(
      `select * from incidents where cluster = ? and (created_at, incident_id) < (?, ?) ${ORDER} limit ?`,
    );
    this.executionsOf = db.prepare<[string], ExecutionRow<number, string>>('select * from agent_executions where incident_id = ? order by started_at, execution_id');
    this.reportsOf = db.prepare<[string], ReportRow<number>>('select * from triage_reports where incident_id = ? order by generated_at, report_id');
  }

  /** A raw store on a fresh database at `filename`, migrated with the store's own SQL. */
  static open(filename: string): RawSqliteStore {
    const db = openRawSqlite(filename);
    for (const sql of upMigrationSql('sqlite')) db.exec(sql);
    return new RawSqliteStore(db);
  }

  async createIncident(incident: Incident, event: FaultEvent): Promise<void> {
    this.createTx.immediate(incident, event);
  }

  async getIncident(incidentId: string): Promise<Incident> {
    const row = this.selectIncident.get(incidentId);
    if (row === undefined) throw new Error(`incident ${incidentId} not found`);
    return toDomain.incident(row);
  }

  async getFaultEvent(faultId: string): Promise<FaultEvent> {
    const row = this.selectEvent.get(faultId);
    if (row === undefined) throw new Error(`fault event ${faultId} not found`);
    return toDomain.faultEvent(row);
  }

  async updateIncidentStatus(incidentId: string, status: IncidentStatus, startedAt?: Date | null): Promise<void> {
    const { changes } =
      startedAt === undefined ? this.setStatus.run(status, incidentId) : this.setStatusStarted.run(status, params.time(startedAt), incidentId);
    if (changes === 0) throw new Error(`incident ${incidentId} not found`);
  }

  async completeIncident(incidentId: string, exitCode: number, failureReason?: string): Promise<void> {
    const { status, reason } = completion(exitCode, failureReason);
    const { changes } = this.complete.run(status, Date.now(), exitCode, reason, incidentId);
    if (changes === 0) throw new Error(`incident ${incidentId} not found`);
  }

  async recordAgentExecution(e: AgentExecution): Promise<void> {
    this.upsertExecution.run(params.execution(e));
  }

  async recordTriageReport(r: TriageReport): Promise<void> {
    this.insertReport.run(params.report(r));
  }

  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    const { cluster, limit = 0, offset = 0 } = filters;
    if (cluster === undefined || limit === 0) throw new Error('raw listIncidents supports { cluster, limit, offset? } only');
    const rows = offset > 0 ? this.listByClusterOffset.all(cluster, limit, offset) : this.listByCluster.all(cluster, limit);
    return rows.map(toDomain.incident);
  }

  async pageIncidents(filters: IncidentPageFilters = {}): Promise<IncidentPage> {
    const { cluster, limit = 0, cursor } = filters;
    if (cluster === undefined || limit === 0) throw new Error('raw pageIncidents supports { cluster, limit, cursor? } only');
    let rows: IncidentRow<number>[];
    if (cursor === undefined) rows = this.listByCluster.all(cluster, limit + 1);
    else {
      const after = decodeRawCursor(cursor);
      rows = this.pageByClusterAfter.all(cluster, after.createdAtMs, after.incidentId, limit + 1);
    }
    return rawPage(rows, limit, toDomain.incident);
  }

  async listAgentExecutions(incidentId: string): Promise<AgentExecution[]> {
    return this.executionsOf.all(incidentId).map(toDomain.execution);
  }

  async listTriageReports(incidentId: string): Promise<TriageReport[]> {
    return this.reportsOf.all(incidentId).map(toDomain.report);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
