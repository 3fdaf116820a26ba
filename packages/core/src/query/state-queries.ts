import type { CompiledQuery, Kysely } from 'kysely';
import type { AdapterCapabilities } from '../adapter/adapter-capabilities.js';
import type { AgentExecution, FaultEvent, Incident, IncidentStatus, TriageReport } from '../domain/types.js';
import { type IncidentListRequest, buildListQuery, listShapeKey, listValues } from './incident-filters.js';
import { executionUpsertThroughOwner, fromExcluded, reportInsertThroughOwner } from './owner-table-writes.js';
import { QueryTemplateCache, slot } from './query-template.js';
import { RowMappers } from './row-mappers.js';
import { AGENT_EXECUTION_COLUMNS, FAULT_EVENT_COLUMNS, INCIDENT_COLUMNS, type StorageSchema, TRIAGE_REPORT_COLUMNS } from './storage-schema.js';
import type { ValueCodecs } from './value-codecs.js';

type Compiler = Kysely<StorageSchema>;

/** Slots named after the columns of `row`, for a template that inserts rows of that shape. */
function columnSlots<T extends object>(row: T, record = 0): T {
  const slots: Record<string, unknown> = {};
  for (const column of Object.keys(row)) slots[column] = slot(column, record);
  return slots as T;
}

/** The columns of a row the row mappers built, typed as the table's (they write every column). */
function columnsOf<T extends object>(row: T): (keyof T & string)[] {
  return Object.keys(row) as (keyof T & string)[];
}

/**
 * Every statement the store runs, written once against Kysely and compiled once per shape (see
 * QueryTemplate): each method binds a call's values into its shape's compiled SQL. Nothing here
 * executes anything; the operations run what these return. The adapter's codecs decide how dates
 * and JSON are stored, its capabilities which SQL form the engine takes.
 */
export class StateQueries {
  readonly rows: RowMappers;
  private readonly templates = new QueryTemplateCache();

  constructor(
    private readonly db: Compiler,
    private readonly codecs: ValueCodecs,
    private readonly capabilities: AdapterCapabilities,
  ) {
    this.rows = new RowMappers(codecs);
  }

  /** The statements of createIncident: one when the engine takes INSERT inside WITH, else two to run atomically. */
  createIncident(incident: Incident, event: FaultEvent): CompiledQuery[] {
    const eventRow = this.rows.faultEventRow(event);
    const incidentRow = this.rows.incidentRow(incident);
    const insertEvent = (db: Compiler) => {
      const insert = db.insertInto('fault_events').values(columnSlots(eventRow));
      return this.capabilities.insertIfAbsent === 'on-duplicate-key-noop'
        ? insert.onDuplicateKeyUpdate((eb) => ({ fault_id: eb.ref('fault_id') }))
        : insert.onConflict((oc) => oc.column('fault_id').doNothing());
    };
    if (this.capabilities.insertInsideWith) {
      // One statement, atomic without BEGIN/COMMIT: one round trip instead of four.
      const template = this.templates.get('createIncident:with', () =>
        this.db.with('stored_event', () => insertEvent(this.db)).insertInto('incidents').values(columnSlots(incidentRow, 1)),
      );
      return [template.bind(eventRow, incidentRow)];
    }
    const eventTemplate = this.templates.get('createIncident:event', () => insertEvent(this.db));
    const incidentTemplate = this.templates.get('createIncident:incident', () => this.db.insertInto('incidents').values(columnSlots(incidentRow)));
    return [eventTemplate.bind(eventRow), incidentTemplate.bind(incidentRow)];
  }

  getFaultEvent(faultId: string): CompiledQuery {
    const template = this.templates.get('getFaultEvent', () =>
      this.db.selectFrom('fault_events').select(FAULT_EVENT_COLUMNS).where('fault_id', '=', slot('id')),
    );
    return template.bind({ id: faultId });
  }

  getIncident(incidentId: string): CompiledQuery {
    const template = this.templates.get('getIncident', () =>
      this.db.selectFrom('incidents').select(INCIDENT_COLUMNS).where('incident_id', '=', slot('id')),
    );
    return template.bind({ id: incidentId });
  }

  updateIncidentStatus(incidentId: string, status: IncidentStatus, startedAt: Date | null | undefined): CompiledQuery {
    const setsStartedAt = startedAt !== undefined;
    const template = this.templates.get(`updateIncidentStatus:${setsStartedAt}`, () =>
      this.db
        .updateTable('incidents')
        .set(setsStartedAt ? { status: slot('status'), started_at: slot('startedAt') } : { status: slot('status') })
        .where('incident_id', '=', slot('id')),
    );
    const startedAtValue = startedAt === undefined || startedAt === null ? null : this.codecs.encodeTimestamp(startedAt);
    return template.bind({ status, startedAt: startedAtValue, id: incidentId });
  }

  completeIncident(incidentId: string, exitCode: number, failureReason: string | undefined, completedAt: Date): CompiledQuery {
    const reason = failureReason === undefined || failureReason === '' ? null : failureReason;
    const status: IncidentStatus = exitCode === 0 && reason === null ? 'resolved' : 'failed';
    const template = this.templates.get('completeIncident', () =>
      this.db
        .updateTable('incidents')
        .set({ status: slot('status'), completed_at: slot('completedAt'), exit_code: slot<number>('exitCode'), failure_reason: slot('reason') })
        .where('incident_id', '=', slot('id')),
    );
    return template.bind({ status, completedAt: this.codecs.encodeTimestamp(completedAt), exitCode, reason, id: incidentId });
  }

  recordAgentExecution(execution: AgentExecution): CompiledQuery {
    const row = this.rows.agentExecutionRow(execution);
    const template = this.templates.get('recordAgentExecution', () => {
      if (this.capabilities.idUniqueness === 'owner-table') return executionUpsertThroughOwner(this.db, columnsOf(row));
      const insert = this.db.insertInto('agent_executions').values(columnSlots(row));
      if (this.capabilities.upsert === 'on-duplicate-key-update') {
        // VALUES(column): the form MySQL 8 and MariaDB both take (MySQL's `AS new` alias is not in MariaDB).
        return insert.onDuplicateKeyUpdate((eb) => ({
          completed_at: eb.fn('values', [eb.ref('completed_at')]),
          exit_code: eb.fn('values', [eb.ref('exit_code')]),
          error_message: eb.fn('values', [eb.ref('error_message')]),
          log_paths: eb.fn('values', [eb.ref('log_paths')]),
        }));
      }
      return insert.onConflict((oc) => oc.column('execution_id').doUpdateSet(fromExcluded()));
    });
    return template.bind(row);
  }

  /** The report insert; where ids are unique through owner tables, it writes no row for an unknown executionId. */
  recordTriageReport(report: TriageReport): CompiledQuery {
    const row = this.rows.triageReportRow(report);
    const template = this.templates.get('recordTriageReport', () =>
      this.capabilities.idUniqueness === 'owner-table'
        ? reportInsertThroughOwner(this.db, columnsOf(row))
        : this.db.insertInto('triage_reports').values(columnSlots(row)),
    );
    return template.bind(row);
  }

  getTriageReport(reportId: string): CompiledQuery {
    const template = this.templates.get('getTriageReport', () =>
      this.db.selectFrom('triage_reports').select(TRIAGE_REPORT_COLUMNS).where('report_id', '=', slot('id')),
    );
    return template.bind({ id: reportId });
  }

  /** The list or page query of `request`, through the template of its shape. */
  listIncidents(request: IncidentListRequest): CompiledQuery {
    const template = this.templates.get(listShapeKey(request), () => buildListQuery(this.db, request, this.capabilities));
    return template.bind(listValues(request, this.codecs));
  }

  listAgentExecutions(incidentId: string): CompiledQuery {
    const template = this.templates.get('listAgentExecutions', () =>
      this.db
        .selectFrom('agent_executions')
        .select(AGENT_EXECUTION_COLUMNS)
        .where('incident_id', '=', slot('id'))
        .orderBy('started_at', 'asc')
        .orderBy('execution_id', 'asc'),
    );
    return template.bind({ id: incidentId });
  }

  listTriageReports(incidentId: string): CompiledQuery {
    const template = this.templates.get('listTriageReports', () =>
      this.db
        .selectFrom('triage_reports')
        .select(TRIAGE_REPORT_COLUMNS)
        .where('incident_id', '=', slot('id'))
        .orderBy('generated_at', 'asc')
        .orderBy('report_id', 'asc'),
    );
    return template.bind({ id: incidentId });
  }
}
