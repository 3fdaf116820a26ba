import type { CompiledQuery, QueryResult } from 'kysely';
import type { Row } from '../adapter/adapter-connection.js';
import type { Incident, TriageReport } from '../domain/types.js';
import { ForeignKeyError, NotFoundError, ValidationError } from '../errors/state-store-error.js';
import { decodeIncidentCursor, encodeIncidentCursor } from '../query/incident-cursor.js';
import { checkDate, checkInteger, checkNonEmptyString, checkText } from '../validation/field-checks.js';
import { previewValue } from '../validation/preview-value.js';
import {
  checkStatus,
  readAgentExecution,
  readFaultEvent,
  readIncident,
  readIncidentFilters,
  readPageFilters,
  readTriageReport,
} from '../validation/validate-records.js';
import { andThen, type MaybePromise } from './maybe-promise.js';
import type { OperationDefinition, OperationName, OperationScope, OperationTable, StoredOutcome } from './operation-definition.js';
import { sameRecord } from './same-record.js';

/** `record ${id}` for messages, the id cut short and quoted safely whatever the caller passed. */
function named(record: string, id: unknown): string {
  return `${record} ${typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : previewValue(id)}`;
}

function idOf(value: unknown, key: string): unknown {
  try {
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

const nothing = (): void => undefined;

function firstRow(result: QueryResult<Row>): Row | undefined {
  return result.rows[0];
}

function changedOrMissing(result: QueryResult<Row>, incidentId: string): void {
  if ((result.numAffectedRows ?? 0n) === 0n) throw new NotFoundError(`incident ${incidentId} not found`);
}

/**
 * An insert that wrote no row: where ids are unique through owner tables (Citus) the report insert
 * is guarded by a lookup of its execution instead of a foreign key, and writes nothing when there
 * is none. Elsewhere an insert writes its row or fails, so this never fires.
 */
function writtenOrUnknownExecution(result: QueryResult<Row>, report: TriageReport): void {
  if (result.numAffectedRows !== 0n) return;
  throw new ForeignKeyError(`failed to insert ${named('triage report', report.reportId)}: ${named('agent execution', report.executionId)} does not exist`, {
    cause: new Error(`the insert wrote no row: no agent execution has executionId ${previewValue(report.executionId)}`),
  });
}

function runOne<T>(scope: OperationScope, query: CompiledQuery, decode: (result: QueryResult<Row>) => T): MaybePromise<T> {
  return andThen(scope.runner.run(query), decode);
}

/** Whether `query` finds a row, and whether it is the record `expected` as the store would read it back. */
function storedAs<T>(scope: OperationScope, query: CompiledQuery, decode: (row: Row) => T, expected: T): MaybePromise<StoredOutcome> {
  return runOne(scope, query, (result) => {
    const row = firstRow(result);
    if (row === undefined) return 'absent';
    return sameRecord(decode(row), expected) ? 'stored' : 'different';
  });
}

type CreateRequest = { incident: Incident; queries: CompiledQuery[] };
type ReportRequest = { report: TriageReport; query: CompiledQuery };
type IdRequest = { id: string; query: CompiledQuery };
type PageRequest = { limit: number; query: CompiledQuery };

const createIncident: OperationDefinition<'createIncident', CreateRequest> = {
  kind: 'write',
  afterLostConnection: 'reconcile',
  arity: 2,
  action: (incident) => `insert ${named('incident', idOf(incident, 'incidentId'))}`,
  prepare(queries, incidentArgument, eventArgument) {
    const incident = readIncident(incidentArgument);
    const event = readFaultEvent(eventArgument);
    if (incident.faultId !== event.faultId) {
      throw new ValidationError(`invalid incident.faultId: ${incident.faultId} does not match event.faultId ${event.faultId}`, {
        field: 'incident.faultId',
      });
    }
    return { incident, queries: queries.createIncident(incident, event) };
  },
  run: (scope, request) => andThen(scope.runner.runAtomically(request.queries), nothing),
  reconcile: (scope, request) =>
    storedAs(scope, scope.queries.getIncident(request.incident.incidentId), (row) => scope.queries.rows.incident(row), request.incident),
};

const getFaultEvent: OperationDefinition<'getFaultEvent', IdRequest> = {
  kind: 'read',
  afterLostConnection: 'rerun',
  arity: 1,
  action: (faultId) => `get ${named('fault event', faultId)}`,
  prepare: (queries, faultId) => {
    const id = checkNonEmptyString('faultId', faultId);
    return { id, query: queries.getFaultEvent(id) };
  },
  run: (scope, { id, query }) =>
    runOne(scope, query, (result) => {
      const row = firstRow(result);
      if (row === undefined) throw new NotFoundError(`fault event ${id} not found`);
      return scope.queries.rows.faultEvent(row);
    }),
};

const updateIncidentStatus: OperationDefinition<'updateIncidentStatus', IdRequest> = {
  kind: 'write',
  afterLostConnection: 'rerun',
  arity: 3,
  action: (incidentId) => `update status of ${named('incident', incidentId)}`,
  prepare: (queries, incidentId, status, startedAt) => {
    const id = checkNonEmptyString('incidentId', incidentId);
    const checkedStatus = checkStatus('status', status);
    const start = startedAt === undefined || startedAt === null ? startedAt : new Date(checkDate('startedAt', startedAt).getTime());
    return { id, query: queries.updateIncidentStatus(id, checkedStatus, start) };
  },
  run: (scope, { id, query }) => runOne(scope, query, (result) => changedOrMissing(result, id)),
};

const completeIncident: OperationDefinition<'completeIncident', IdRequest> = {
  kind: 'write',
  // completedAt is taken at call time, so running it again writes the very same values.
  afterLostConnection: 'rerun',
  arity: 3,
  action: (incidentId) => `complete ${named('incident', incidentId)}`,
  prepare: (queries, incidentId, exitCode, failureReason) => {
    const id = checkNonEmptyString('incidentId', incidentId);
    const code = checkInteger('exitCode', exitCode);
    const reason = failureReason === undefined ? undefined : checkText('failureReason', failureReason);
    return { id, query: queries.completeIncident(id, code, reason, new Date()) };
  },
  run: (scope, { id, query }) => runOne(scope, query, (result) => changedOrMissing(result, id)),
};

const recordAgentExecution: OperationDefinition<'recordAgentExecution', CompiledQuery> = {
  kind: 'write',
  afterLostConnection: 'rerun', // an upsert of the same values is idempotent
  arity: 1,
  action: (execution) => `record ${named('agent execution', idOf(execution, 'executionId'))}`,
  prepare: (queries, execution) => queries.recordAgentExecution(readAgentExecution(execution)),
  run: (scope, query) => runOne(scope, query, nothing),
};

const recordTriageReport: OperationDefinition<'recordTriageReport', ReportRequest> = {
  kind: 'write',
  afterLostConnection: 'reconcile',
  arity: 1,
  action: (report) => `insert ${named('triage report', idOf(report, 'reportId'))}`,
  prepare: (queries, reportArgument) => {
    const report = readTriageReport(reportArgument);
    return { report, query: queries.recordTriageReport(report) };
  },
  run: (scope, { report, query }) => runOne(scope, query, (result) => writtenOrUnknownExecution(result, report)),
  reconcile: (scope, { report }) =>
    storedAs(scope, scope.queries.getTriageReport(report.reportId), (row) => scope.queries.rows.triageReport(row), report),
};

const getIncident: OperationDefinition<'getIncident', IdRequest> = {
  kind: 'read',
  afterLostConnection: 'rerun',
  arity: 1,
  action: (incidentId) => `get ${named('incident', incidentId)}`,
  prepare: (queries, incidentId) => {
    const id = checkNonEmptyString('incidentId', incidentId);
    return { id, query: queries.getIncident(id) };
  },
  run: (scope, { id, query }) =>
    runOne(scope, query, (result) => {
      const row = firstRow(result);
      if (row === undefined) throw new NotFoundError(`incident ${id} not found`);
      return scope.queries.rows.incident(row);
    }),
};

function incidentsOf(scope: OperationScope, result: QueryResult<Row>): Incident[] {
  const { rows } = scope.queries;
  return result.rows.map((row) => rows.incident(row));
}

const listIncidents: OperationDefinition<'listIncidents', CompiledQuery> = {
  kind: 'read',
  afterLostConnection: 'rerun',
  arity: 1,
  action: () => 'list incidents',
  prepare: (queries, filterArgument) => {
    const filters = readIncidentFilters(filterArgument);
    return queries.listIncidents({ filters, limit: filters.limit ?? 0, offset: filters.offset ?? 0 });
  },
  run: (scope, query) => runOne(scope, query, (result) => incidentsOf(scope, result)),
};

const pageIncidents: OperationDefinition<'pageIncidents', PageRequest> = {
  kind: 'read',
  afterLostConnection: 'rerun',
  arity: 1,
  action: () => 'page incidents',
  prepare: (queries, filterArgument) => {
    const filters = readPageFilters(filterArgument);
    const limit = filters.limit ?? 0;
    const cursor = filters.cursor === undefined ? undefined : decodeIncidentCursor(filters.cursor);
    // One row past the page tells whether another page follows, without a COUNT.
    const fetch = limit > 0 ? limit + 1 : 0;
    return { limit, query: queries.listIncidents({ filters, ...(cursor === undefined ? {} : { cursor }), limit: fetch, offset: 0 }) };
  },
  run: (scope, { limit, query }) =>
    runOne(scope, query, (result) => {
      const hasMore = limit > 0 && result.rows.length > limit;
      const incidents = incidentsOf(scope, hasMore ? { rows: result.rows.slice(0, limit) } : result);
      const last = incidents[incidents.length - 1];
      if (!hasMore || last === undefined) return { incidents };
      return { incidents, nextCursor: encodeIncidentCursor({ createdAtMs: last.createdAt.getTime(), incidentId: last.incidentId }) };
    }),
};

const listAgentExecutions: OperationDefinition<'listAgentExecutions', CompiledQuery> = {
  kind: 'read',
  afterLostConnection: 'rerun',
  arity: 1,
  action: (incidentId) => `list agent executions of ${named('incident', incidentId)}`,
  prepare: (queries, incidentId) => queries.listAgentExecutions(checkNonEmptyString('incidentId', incidentId)),
  run: (scope, query) => runOne(scope, query, (result) => result.rows.map((row) => scope.queries.rows.agentExecution(row))),
};

const listTriageReports: OperationDefinition<'listTriageReports', CompiledQuery> = {
  kind: 'read',
  afterLostConnection: 'rerun',
  arity: 1,
  action: (incidentId) => `list triage reports of ${named('incident', incidentId)}`,
  prepare: (queries, incidentId) => queries.listTriageReports(checkNonEmptyString('incidentId', incidentId)),
  run: (scope, query) => runOne(scope, query, (result) => result.rows.map((row) => scope.queries.rows.triageReport(row))),
};

/**
 * Every `StateStore` data operation, once. The store's methods, inside and outside transactions,
 * are bound from this table, and the conformance suite's per-method sections are typed against the
 * same names: an operation missing here fails to compile.
 */
export const STATE_OPERATIONS: OperationTable = {
  createIncident,
  getFaultEvent,
  updateIncidentStatus,
  completeIncident,
  recordAgentExecution,
  recordTriageReport,
  getIncident,
  listIncidents,
  pageIncidents,
  listAgentExecutions,
  listTriageReports,
};

// Object.keys types its result as string[]; the table's keys are exactly the operation names.
export const OPERATION_NAMES = Object.keys(STATE_OPERATIONS) as readonly OperationName[];
