import type { Kysely } from 'kysely';
import type {
  AgentExecution,
  FaultEvent,
  Incident,
  IncidentFilters,
  IncidentPage,
  IncidentPageFilters,
  IncidentStatus,
  TriageReport,
} from '../domain/types.js';
import { NotFoundError } from '../errors/state-store-error.js';
import { decodeIncidentCursor, encodeIncidentCursor } from './incident-cursor.js';
import { incidentFilterConditions, type StatusMatcher, statusInList } from './incident-filters.js';
import { RowMappers } from './row-mappers.js';
import type { StorageSchema } from './storage-schema.js';
import type { ValueCodecs } from './value-codecs.js';

type Db = Kysely<StorageSchema>;

// LIMIT with no bound: SQLite needs some LIMIT before OFFSET, PostgreSQL takes any bigint.
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Runs one SQL path inside a transaction, joining the caller's when there is one. */
function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Every store operation, written once against Kysely. Each method takes the connection or
 * transaction to run on; the adapter's codecs decide how dates and JSON are stored.
 */
export class StateQueries {
  readonly rows: RowMappers;

  constructor(
    private readonly codecs: ValueCodecs,
    private readonly matchStatus: StatusMatcher = statusInList,
  ) {
    this.rows = new RowMappers(codecs);
  }

  async createIncident(db: Db, incident: Incident, event: FaultEvent): Promise<void> {
    const eventRow = this.rows.faultEventRow(event);
    const incidentRow = this.rows.incidentRow(incident);
    await inTransaction(db, async (tx) => {
      await tx.insertInto('fault_events').values(eventRow).onConflict((oc) => oc.column('fault_id').doNothing()).execute();
      await tx.insertInto('incidents').values(incidentRow).execute();
    });
  }

  async getFaultEvent(db: Db, faultId: string): Promise<FaultEvent> {
    const row = await db.selectFrom('fault_events').selectAll().where('fault_id', '=', faultId).executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`fault event ${faultId} not found`);
    return this.rows.faultEvent(row);
  }

  async updateIncidentStatus(db: Db, incidentId: string, status: IncidentStatus, startedAt: Date | null | undefined): Promise<void> {
    const startedAtColumn =
      startedAt === undefined ? {} : { started_at: startedAt === null ? null : this.codecs.encodeTimestamp(startedAt) };
    const result = await db
      .updateTable('incidents')
      .set({ status, ...startedAtColumn })
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError(`incident ${incidentId} not found`);
  }

  async completeIncident(db: Db, incidentId: string, exitCode: number, failureReason: string | undefined, now: Date): Promise<void> {
    const reason = failureReason === undefined || failureReason === '' ? null : failureReason;
    const status: IncidentStatus = exitCode === 0 && reason === null ? 'resolved' : 'failed';
    const result = await db
      .updateTable('incidents')
      .set({ status, completed_at: this.codecs.encodeTimestamp(now), exit_code: exitCode, failure_reason: reason })
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError(`incident ${incidentId} not found`);
  }

  async recordAgentExecution(db: Db, execution: AgentExecution): Promise<void> {
    await db
      .insertInto('agent_executions')
      .values(this.rows.agentExecutionRow(execution))
      .onConflict((oc) =>
        oc.column('execution_id').doUpdateSet((eb) => ({
          completed_at: eb.ref('excluded.completed_at'),
          exit_code: eb.ref('excluded.exit_code'),
          error_message: eb.ref('excluded.error_message'),
          log_paths: eb.ref('excluded.log_paths'),
        })),
      )
      .execute();
  }

  async recordTriageReport(db: Db, report: TriageReport): Promise<void> {
    await db.insertInto('triage_reports').values(this.rows.triageReportRow(report)).execute();
  }

  async getIncident(db: Db, incidentId: string): Promise<Incident> {
    const row = await db.selectFrom('incidents').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`incident ${incidentId} not found`);
    return this.rows.incident(row);
  }

  async listIncidents(db: Db, filters: IncidentFilters = {}): Promise<Incident[]> {
    const limit = filters.limit ?? 0;
    const offset = filters.offset ?? 0;
    let query = db
      .selectFrom('incidents')
      .selectAll()
      .where((eb) => eb.and(incidentFilterConditions(eb, filters, this.codecs, this.matchStatus)))
      .orderBy('created_at', 'desc')
      .orderBy('incident_id', 'desc');
    if (limit > 0 || offset > 0) query = query.limit(limit > 0 ? limit : NO_LIMIT);
    if (offset > 0) query = query.offset(offset);
    const rows = await query.execute();
    return rows.map((row) => this.rows.incident(row));
  }

  async pageIncidents(db: Db, filters: IncidentPageFilters = {}): Promise<IncidentPage> {
    const limit = filters.limit ?? 0;
    const after = filters.cursor === undefined ? undefined : decodeIncidentCursor(filters.cursor);
    let query = db
      .selectFrom('incidents')
      .selectAll()
      .where((eb) => {
        const conditions = incidentFilterConditions(eb, filters, this.codecs, this.matchStatus);
        if (after !== undefined) {
          const position = this.codecs.encodeTimestamp(new Date(after.createdAtMs));
          conditions.push(eb(eb.refTuple('created_at', 'incident_id'), '<', eb.tuple(position, after.incidentId)));
        }
        return eb.and(conditions);
      })
      .orderBy('created_at', 'desc')
      .orderBy('incident_id', 'desc');
    // One row past the page tells whether another page follows, without a COUNT.
    if (limit > 0) query = query.limit(limit + 1);
    const rows = await query.execute();
    const hasMore = limit > 0 && rows.length > limit;
    const incidents = (hasMore ? rows.slice(0, limit) : rows).map((row) => this.rows.incident(row));
    const last = incidents[incidents.length - 1];
    if (!hasMore || last === undefined) return { incidents };
    return { incidents, nextCursor: encodeIncidentCursor({ createdAtMs: last.createdAt.getTime(), incidentId: last.incidentId }) };
  }

  async listAgentExecutions(db: Db, incidentId: string): Promise<AgentExecution[]> {
    const rows = await db
      .selectFrom('agent_executions')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('started_at', 'asc')
      .orderBy('execution_id', 'asc')
      .execute();
    return rows.map((row) => this.rows.agentExecution(row));
  }

  async listTriageReports(db: Db, incidentId: string): Promise<TriageReport[]> {
    const rows = await db
      .selectFrom('triage_reports')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('generated_at', 'asc')
      .orderBy('report_id', 'asc')
      .execute();
    return rows.map((row) => this.rows.triageReport(row));
  }
}
