import mysql from 'mysql2';
import type { AgentExecution, FaultEvent, Incident, IncidentFilters, IncidentPage, IncidentPageFilters, IncidentStatus, TriageReport } from '@nightcrier/storage-core';
import type { BenchTarget } from '../harness/bench-target.js';
import { decodeRawCursor, rawPage } from '../raw/raw-cursor.js';
import { completion, rawParams, type RawValue } from '../raw/raw-params.js';
import { type ExecutionRow, type FaultEventRow, type IncidentRow, type ReportRow, rowMappers } from '../raw/raw-rows.js';
import { EVENT_COLUMNS, EXECUTION_COLUMNS, INCIDENT_COLUMNS, LIST_ORDER as ORDER, placeholders, REPORT_COLUMNS } from '../raw/raw-sql.js';

/**
 * The store's statements on MySQL, written by hand: the same columns, the same ON DUPLICATE KEY
 * forms, the same spelled-out keyset condition (see the adapter's capabilities). Each runs through
 * `execute`, so mysql2 prepares it once per connection and reuses it from its statement cache.
 */
const SQL = {
  // The store's createIncident on MySQL: no INSERT inside WITH, so two inserts in one transaction.
  insertEvent: `insert into fault_events (${EVENT_COLUMNS}) values (${placeholders(13)}) on duplicate key update fault_id = fault_id`,
  insertIncident: `insert into incidents (${INCIDENT_COLUMNS}) values (${placeholders(20)})`,
  getIncident: `select ${INCIDENT_COLUMNS} from incidents where incident_id = ?`,
  getFaultEvent: `select ${EVENT_COLUMNS} from fault_events where fault_id = ?`,
  setStatus: 'update incidents set status = ? where incident_id = ?',
  setStatusStarted: 'update incidents set status = ?, started_at = ? where incident_id = ?',
  complete: 'update incidents set status = ?, completed_at = ?, exit_code = ?, failure_reason = ? where incident_id = ?',
  // VALUES(column), as the store writes it: MariaDB has no `AS new` row alias.
  upsertExecution: `insert into agent_executions (${EXECUTION_COLUMNS}) values (${placeholders(7)}) on duplicate key update
    completed_at = values(completed_at), exit_code = values(exit_code), error_message = values(error_message), log_paths = values(log_paths)`,
  insertReport: `insert into triage_reports (${REPORT_COLUMNS}) values (${placeholders(6)})`,
  listByCluster: `select ${INCIDENT_COLUMNS} from incidents where cluster = ? ${ORDER} limit ?`,
  listByClusterOffset: `select ${INCIDENT_COLUMNS} from incidents where cluster = ? ${ORDER} limit ? offset ?`,
  // Spelled out, not as a row value: MariaDB turns only this form into an index range.
  pageByClusterAfter: `select ${INCIDENT_COLUMNS} from incidents where cluster = ? and (created_at < ? or (created_at = ? and incident_id < ?))
    ${ORDER} limit ?`,
  executionsOf: `select ${EXECUTION_COLUMNS} from agent_executions where incident_id = ? order by started_at, execution_id`,
  reportsOf: `select ${REPORT_COLUMNS} from triage_reports where incident_id = ? order by generated_at, report_id`,
} as const;

type StatementName = keyof typeof SQL;
type Row = Record<string, unknown>;

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: what DATETIME(3) takes and, with dateStrings, gives back. */
const toDatetime = (date: Date) => date.toISOString().slice(0, 23).replace('T', ' ');
const fromDatetime = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
// mysql2 parses a JSON column itself on MySQL; MariaDB's JSON is LONGTEXT and may arrive as text.
const fromJson = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

const toDomain = rowMappers(fromDatetime, fromJson);
const params = rawParams(toDatetime);

/** VARBINARY columns (ids, keys) arrive as Buffers: the UTF-8 text the baseline wrote there. */
function decodeBinary<R>(rows: Row[]): R[] {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (Buffer.isBuffer(value)) row[key] = value.toString('utf8');
    }
  }
  return rows as R[];
}

/**
 * The mysql2 options of the store's sessions (mysql-connections.ts `sessionOptions`), so both
 * sides decode the same wire format: DATETIME as text, UPDATE counting matched rows.
 */
function sessionOptions(url: string): mysql.ConnectionOptions {
  return {
    uri: url,
    connectTimeout: 10_000,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
    charset: 'utf8mb4',
    dateStrings: true,
    flags: ['FOUND_ROWS'],
    maxPreparedStatements: 256,
    multipleStatements: false,
  };
}

function execute(on: mysql.Pool | mysql.PoolConnection, sql: string, values: RawValue[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    on.execute(sql, values, (error, result) => (error === null ? resolve(result) : reject(error)));
  });
}

function query(on: mysql.PoolConnection, sql: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    on.query(sql, (error, result) => (error === null ? resolve(result) : reject(error)));
  });
}

const affectedRows = (result: unknown) => (result as mysql.ResultSetHeader).affectedRows;

/**
 * The raw baseline: a mysql2 pool with the store's session options, prepared statements through
 * `pool.execute`, hand-written row mappers, no validation. Only the filter shapes the benchmark
 * uses (cluster, limit, offset, cursor) are supported.
 */
export class RawMysqlStore implements BenchTarget {
  readonly pool: mysql.Pool;

  constructor(url: string, max = 25) {
    // maxIdle = max: mysql2 keeps every connection until it idled idleTimeout (60 s), as the store keeps its pool over a short lull.
    this.pool = mysql.createPool({ ...sessionOptions(url), connectionLimit: max, maxIdle: max, waitForConnections: true, queueLimit: 0 });
    // The store's session setup; each new connection runs it before any statement queued after it.
    this.pool.on('connection', (connection) => connection.query("SET time_zone = '+00:00'"));
  }

  private async rows<R>(name: StatementName, values: RawValue[]): Promise<R[]> {
    return decodeBinary<R>((await execute(this.pool, SQL[name], values)) as Row[]);
  }

  private async one<R>(name: StatementName, id: string, what: string): Promise<R> {
    const [row] = await this.rows<R>(name, [id]);
    if (row === undefined) throw new Error(`${what} ${id} not found`);
    return row;
  }

  private async update(name: StatementName, values: RawValue[], incidentId: string): Promise<void> {
    if (affectedRows(await execute(this.pool, SQL[name], values)) === 0) throw new Error(`incident ${incidentId} not found`);
  }

  async createIncident(incident: Incident, event: FaultEvent): Promise<void> {
    const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
      this.pool.getConnection((error, leased) => (error === null ? resolve(leased) : reject(error))),
    );
    try {
      // As the store: START TRANSACTION and COMMIT as text, the inserts as prepared statements.
      await query(connection, 'start transaction');
      await execute(connection, SQL.insertEvent, params.event(event));
      await execute(connection, SQL.insertIncident, params.incident(incident));
      await query(connection, 'commit');
    } catch (error) {
      await query(connection, 'rollback').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  async getIncident(incidentId: string): Promise<Incident> {
    return toDomain.incident(await this.one<IncidentRow<string>>('getIncident', incidentId, 'incident'));
  }

  async getFaultEvent(faultId: string): Promise<FaultEvent> {
    return toDomain.faultEvent(await this.one<FaultEventRow<string>>('getFaultEvent', faultId, 'fault event'));
  }

  async updateIncidentStatus(incidentId: string, status: IncidentStatus, startedAt?: Date | null): Promise<void> {
    if (startedAt === undefined) await this.update('setStatus', [status, incidentId], incidentId);
    else await this.update('setStatusStarted', [status, params.time(startedAt), incidentId], incidentId);
  }

  async completeIncident(incidentId: string, exitCode: number, failureReason?: string): Promise<void> {
    const { status, reason } = completion(exitCode, failureReason);
    await this.update('complete', [status, toDatetime(new Date()), exitCode, reason, incidentId], incidentId);
  }

  async recordAgentExecution(e: AgentExecution): Promise<void> {
    await execute(this.pool, SQL.upsertExecution, params.execution(e));
  }

  async recordTriageReport(r: TriageReport): Promise<void> {
    await execute(this.pool, SQL.insertReport, params.report(r));
  }

  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    const { cluster, limit = 0, offset = 0 } = filters;
    if (cluster === undefined || limit === 0) throw new Error('raw listIncidents supports { cluster, limit, offset? } only');
    const rows =
      offset > 0
        ? await this.rows<IncidentRow<string>>('listByClusterOffset', [cluster, limit, offset])
        : await this.rows<IncidentRow<string>>('listByCluster', [cluster, limit]);
    return rows.map(toDomain.incident);
  }

  async pageIncidents(filters: IncidentPageFilters = {}): Promise<IncidentPage> {
    const { cluster, limit = 0, cursor } = filters;
    if (cluster === undefined || limit === 0) throw new Error('raw pageIncidents supports { cluster, limit, cursor? } only');
    let rows: IncidentRow<string>[];
    if (cursor === undefined) rows = await this.rows('listByCluster', [cluster, limit + 1]);
    else {
      const after = decodeRawCursor(cursor);
      const at = toDatetime(new Date(after.createdAtMs));
      rows = await this.rows('pageByClusterAfter', [cluster, at, at, after.incidentId, limit + 1]);
    }
    return rawPage(rows, limit, toDomain.incident);
  }

  async listAgentExecutions(incidentId: string): Promise<AgentExecution[]> {
    return (await this.rows<ExecutionRow<string, unknown>>('executionsOf', [incidentId])).map(toDomain.execution);
  }

  async listTriageReports(incidentId: string): Promise<TriageReport[]> {
    return (await this.rows<ReportRow<string>>('reportsOf', [incidentId])).map(toDomain.report);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.pool.end((error) => (error === null || error === undefined ? resolve() : reject(error))));
  }
}
