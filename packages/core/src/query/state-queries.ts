import { type CompiledQuery, type Kysely, type QueryResult, type Selectable } from 'kysely';
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
import { buildListQuery, type IncidentListRequest, type ListQueryStyle, listShapeKey, listValues, statusInList } from './incident-filters.js';
import { QueryTemplateCache, slot } from './query-template.js';
import { RowMappers } from './row-mappers.js';
import {
  AGENT_EXECUTION_COLUMNS,
  FAULT_EVENT_COLUMNS,
  INCIDENT_COLUMNS,
  type IncidentsTable,
  type StorageSchema,
  TRIAGE_REPORT_COLUMNS,
} from './storage-schema.js';
import type { ValueCodecs } from './value-codecs.js';

type Db = Kysely<StorageSchema>;
type Row = Record<string, unknown>;

/** Optional speed-ups an adapter offers; see `StoreDriver`. */
export interface QueryAccelerators {
  executeNow?: (queries: readonly CompiledQuery[], singleRow: boolean) => QueryResult<unknown>[] | undefined;
  writableCte?: boolean;
}

/** Slots named after the columns of `row`, for a template that inserts rows of that shape. */
function columnSlots<T extends object>(row: T, record = 0): T {
  return Object.fromEntries(Object.keys(row).map((column) => [column, slot(column, record)])) as T;
}

/**
 * Every store operation, written once against Kysely. Each method takes the connection or
 * transaction to run on; the adapter's codecs decide how dates and JSON are stored. Each query
 * shape is compiled once (see QueryTemplate) and runs through the adapter's fast path when it has one.
 */
export class StateQueries {
  readonly rows: RowMappers;
  private readonly templates = new QueryTemplateCache();

  constructor(
    private readonly codecs: ValueCodecs,
    private readonly listStyle: ListQueryStyle = { matchStatus: statusInList, walkOrderIndex: false },
    private readonly accelerators: QueryAccelerators = {},
  ) {
    this.rows = new RowMappers(codecs);
  }

  /** The results of `queries` run right now through the adapter's direct path, if it can. */
  private now(db: Db, queries: readonly CompiledQuery[], singleRow = false): QueryResult<Row>[] | undefined {
    if (db.isTransaction) return undefined;
    return this.accelerators.executeNow?.(queries, singleRow) as QueryResult<Row>[] | undefined;
  }

  /** Runs `queries` in order (atomically when more than one), returning each result. */
  private async execute(db: Db, queries: readonly CompiledQuery[]): Promise<QueryResult<Row>[]> {
    const now = this.now(db, queries);
    if (now !== undefined) return now;
    if (queries.length === 1) return [await db.executeQuery<Row>(queries[0] as CompiledQuery<Row>)];
    const run = async (tx: Db) => {
      const results: QueryResult<Row>[] = [];
      for (const query of queries) results.push(await tx.executeQuery<Row>(query as CompiledQuery<Row>));
      return results;
    };
    return db.isTransaction ? run(db) : db.transaction().execute(run);
  }

  /** The first row of `query`, straight from the direct path when possible (no extra await). */
  private firstRow(db: Db, query: CompiledQuery): Row | undefined | Promise<Row | undefined> {
    const now = this.now(db, [query], true);
    if (now !== undefined) return now[0]?.rows[0];
    return db.executeQuery<Row>(query as CompiledQuery<Row>).then((result) => result.rows[0]);
  }

  private async rowsOf(db: Db, query: CompiledQuery): Promise<Row[]> {
    const [result] = await this.execute(db, [query]);
    return result?.rows ?? [];
  }

  private async affected(db: Db, query: CompiledQuery): Promise<bigint> {
    const [result] = await this.execute(db, [query]);
    return result?.numAffectedRows ?? 0n;
  }

  async createIncident(db: Db, incident: Incident, event: FaultEvent): Promise<void> {
    const eventRow = this.rows.faultEventRow(event);
    const incidentRow = this.rows.incidentRow(incident);
    const insertEvent = (qb: Db) =>
      qb.insertInto('fault_events').values(columnSlots(eventRow)).onConflict((oc) => oc.column('fault_id').doNothing());
    if (this.accelerators.writableCte === true) {
      // One statement, atomic without BEGIN/COMMIT: one round trip instead of four.
      const template = this.templates.get('createIncident:cte', () =>
        db.with('stored_event', (qb) => insertEvent(qb as unknown as Db)).insertInto('incidents').values(columnSlots(incidentRow, 1)),
      );
      await this.execute(db, [template.bind(eventRow, incidentRow)]);
      return;
    }
    const eventTemplate = this.templates.get('createIncident:event', () => insertEvent(db));
    const incidentTemplate = this.templates.get('createIncident:incident', () =>
      db.insertInto('incidents').values(columnSlots(incidentRow)),
    );
    await this.execute(db, [eventTemplate.bind(eventRow), incidentTemplate.bind(incidentRow)]);
  }

  async getFaultEvent(db: Db, faultId: string): Promise<FaultEvent> {
    const template = this.templates.get('getFaultEvent', () =>
      db.selectFrom('fault_events').select(FAULT_EVENT_COLUMNS).where('fault_id', '=', slot('id') as unknown as string),
    );
    const row = await this.firstRow(db, template.bind({ id: faultId }));
    if (row === undefined) throw new NotFoundError(`fault event ${faultId} not found`);
    return this.rows.faultEvent(row as never);
  }

  async updateIncidentStatus(db: Db, incidentId: string, status: IncidentStatus, startedAt: Date | null | undefined): Promise<void> {
    const setsStartedAt = startedAt !== undefined;
    const template = this.templates.get(`updateIncidentStatus:${setsStartedAt}`, () =>
      db
        .updateTable('incidents')
        .set(setsStartedAt ? { status: slot('status') as unknown as string, started_at: slot('startedAt') as unknown as number } : { status: slot('status') as unknown as string })
        .where('incident_id', '=', slot('id') as unknown as string),
    );
    const startedAtValue = startedAt === undefined || startedAt === null ? null : this.codecs.encodeTimestamp(startedAt);
    const changed = await this.affected(db, template.bind({ status, startedAt: startedAtValue, id: incidentId }));
    if (changed === 0n) throw new NotFoundError(`incident ${incidentId} not found`);
  }

  async completeIncident(db: Db, incidentId: string, exitCode: number, failureReason: string | undefined, now: Date): Promise<void> {
    const reason = failureReason === undefined || failureReason === '' ? null : failureReason;
    const status: IncidentStatus = exitCode === 0 && reason === null ? 'resolved' : 'failed';
    const template = this.templates.get('completeIncident', () =>
      db
        .updateTable('incidents')
        .set({
          status: slot('status') as unknown as string,
          completed_at: slot('completedAt') as unknown as number,
          exit_code: slot('exitCode') as unknown as number,
          failure_reason: slot('reason') as unknown as string,
        })
        .where('incident_id', '=', slot('id') as unknown as string),
    );
    const changed = await this.affected(
      db,
      template.bind({ status, completedAt: this.codecs.encodeTimestamp(now), exitCode, reason, id: incidentId }),
    );
    if (changed === 0n) throw new NotFoundError(`incident ${incidentId} not found`);
  }

  async recordAgentExecution(db: Db, execution: AgentExecution): Promise<void> {
    const row = this.rows.agentExecutionRow(execution);
    const template = this.templates.get('recordAgentExecution', () =>
      db
        .insertInto('agent_executions')
        .values(columnSlots(row))
        .onConflict((oc) =>
          oc.column('execution_id').doUpdateSet((eb) => ({
            completed_at: eb.ref('excluded.completed_at'),
            exit_code: eb.ref('excluded.exit_code'),
            error_message: eb.ref('excluded.error_message'),
            log_paths: eb.ref('excluded.log_paths'),
          })),
        ),
    );
    await this.execute(db, [template.bind(row)]);
  }

  async recordTriageReport(db: Db, report: TriageReport): Promise<void> {
    const row = this.rows.triageReportRow(report);
    const template = this.templates.get('recordTriageReport', () => db.insertInto('triage_reports').values(columnSlots(row)));
    await this.execute(db, [template.bind(row)]);
  }

  async getIncident(db: Db, incidentId: string): Promise<Incident> {
    const template = this.templates.get('getIncident', () =>
      db.selectFrom('incidents').select(INCIDENT_COLUMNS).where('incident_id', '=', slot('id') as unknown as string),
    );
    const row = await this.firstRow(db, template.bind({ id: incidentId }));
    if (row === undefined) throw new NotFoundError(`incident ${incidentId} not found`);
    return this.rows.incident(row as Selectable<IncidentsTable>);
  }

  /** The rows of a list or page request, through the template of its shape. */
  private async listRows(db: Db, request: IncidentListRequest): Promise<Selectable<IncidentsTable>[]> {
    const template = this.templates.get(listShapeKey(request), () => buildListQuery(db, request, this.listStyle));
    return (await this.rowsOf(db, template.bind(listValues(request, this.codecs)))) as Selectable<IncidentsTable>[];
  }

  async listIncidents(db: Db, filters: IncidentFilters = {}): Promise<Incident[]> {
    const rows = await this.listRows(db, { filters, limit: filters.limit ?? 0, offset: filters.offset ?? 0 });
    return rows.map((row) => this.rows.incident(row));
  }

  async pageIncidents(db: Db, filters: IncidentPageFilters = {}): Promise<IncidentPage> {
    const limit = filters.limit ?? 0;
    const cursor = filters.cursor === undefined ? undefined : decodeIncidentCursor(filters.cursor);
    // One row past the page tells whether another page follows, without a COUNT.
    const rows = await this.listRows(db, { filters, ...(cursor === undefined ? {} : { cursor }), limit: limit > 0 ? limit + 1 : 0, offset: 0 });
    const hasMore = limit > 0 && rows.length > limit;
    const incidents = (hasMore ? rows.slice(0, limit) : rows).map((row) => this.rows.incident(row));
    const last = incidents[incidents.length - 1];
    if (!hasMore || last === undefined) return { incidents };
    return { incidents, nextCursor: encodeIncidentCursor({ createdAtMs: last.createdAt.getTime(), incidentId: last.incidentId }) };
  }

  async listAgentExecutions(db: Db, incidentId: string): Promise<AgentExecution[]> {
    const template = this.templates.get('listAgentExecutions', () =>
      db
        .selectFrom('agent_executions')
        .select(AGENT_EXECUTION_COLUMNS)
        .where('incident_id', '=', slot('id') as unknown as string)
        .orderBy('started_at', 'asc')
        .orderBy('execution_id', 'asc'),
    );
    const rows = await this.rowsOf(db, template.bind({ id: incidentId }));
    return rows.map((row) => this.rows.agentExecution(row as never));
  }

  async listTriageReports(db: Db, incidentId: string): Promise<TriageReport[]> {
    const template = this.templates.get('listTriageReports', () =>
      db
        .selectFrom('triage_reports')
        .select(TRIAGE_REPORT_COLUMNS)
        .where('incident_id', '=', slot('id') as unknown as string)
        .orderBy('generated_at', 'asc')
        .orderBy('report_id', 'asc'),
    );
    const rows = await this.rowsOf(db, template.bind({ id: incidentId }));
    return rows.map((row) => this.rows.triageReport(row as never));
  }
}
