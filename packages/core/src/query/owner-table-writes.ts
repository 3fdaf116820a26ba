import { type Kysely, sql } from 'kysely';
import { slot } from './query-template.js';
import type { AgentExecutionsTable, OwnerTables, StorageSchema, StoredTimestamp, TriageReportsTable } from './storage-schema.js';

type Compiler = Kysely<StorageSchema>;
type ExecutionColumn = keyof AgentExecutionsTable & string;
type ReportColumn = keyof TriageReportsTable & string;

/** What an execution upsert overwrites of an existing execution (everything but its ids and startedAt), as ON CONFLICT … DO UPDATE writes it. */
export function fromExcluded() {
  return {
    completed_at: sql.ref<StoredTimestamp | null>('excluded.completed_at'),
    exit_code: sql.ref<number | null>('excluded.exit_code'),
    error_message: sql.ref<string | null>('excluded.error_message'),
    log_paths: sql.ref<string | null>('excluded.log_paths'),
  };
}

/**
 * recordAgentExecution where executions are keyed by `(incident_id, execution_id)` on their
 * incident's shard (capability `idUniqueness: 'owner-table'`), as one statement:
 *
 * 1. claim the executionId in `agent_execution_owners` for the call's incident, or — when it is
 *    already there — lock its row and read the incident that owns it (the row lock makes racing
 *    upserts of one executionId take turns, as the primary key does on one server);
 * 2. upsert the execution under the owning incident.
 *
 * So an executionId recorded again under another incident updates the first incident's execution,
 * as the single-table primary key does; an unknown incident fails step 2's foreign key and the
 * whole statement, claim included, is undone.
 */
export function executionUpsertThroughOwner(db: Compiler, columns: readonly ExecutionColumn[]) {
  return db
    .withTables<OwnerTables>()
    .with('owner', (qb) =>
      qb
        .insertInto('agent_execution_owners')
        .values({ execution_id: slot('execution_id'), incident_id: slot('incident_id') })
        .onConflict((oc) => oc.column('execution_id').doUpdateSet((eb) => ({ incident_id: eb.ref('agent_execution_owners.incident_id') })))
        .returning('incident_id'),
    )
    .insertInto('agent_executions')
    .columns(columns)
    .expression((eb) =>
      eb
        .selectFrom('owner')
        .select((sb) => columns.map((column) => (column === 'incident_id' ? sb.ref('owner.incident_id').as(column) : sb.val(slot(column)).as(column)))),
    )
    .onConflict((oc) => oc.columns(['incident_id', 'execution_id']).doUpdateSet(fromExcluded()));
}

/**
 * recordTriageReport where reports are keyed by `(incident_id, report_id)` on their incident's
 * shard (capability `idUniqueness: 'owner-table'`), as one statement:
 *
 * 1. insert the report only if `agent_execution_owners` knows its executionId — no row is written
 *    otherwise, which the store reports as the `ForeignKeyError` a foreign key would raise
 *    (executions are never deleted but with their incident, so a check that saw one stays true);
 * 2. claim the reportId in `triage_report_owners`: a reportId stored under any incident fails its
 *    primary key (`ConflictError`) and undoes step 1.
 *
 * The report's own foreign key to its incident is real: reports and incidents are co-located.
 */
export function reportInsertThroughOwner(db: Compiler, columns: readonly ReportColumn[]) {
  return db
    .withTables<OwnerTables>()
    .with('stored', (qb) =>
      qb
        .insertInto('triage_reports')
        .columns(columns)
        .expression((eb) =>
          eb
            .selectFrom('agent_execution_owners as o')
            .select((sb) => columns.map((column) => (column === 'execution_id' ? sb.ref('o.execution_id').as(column) : sb.val(slot(column)).as(column))))
            .where('o.execution_id', '=', slot('execution_id')),
        )
        .returning(['report_id', 'incident_id']),
    )
    .insertInto('triage_report_owners')
    .columns(['report_id', 'incident_id'])
    .expression((eb) => eb.selectFrom('stored').select(['stored.report_id', 'stored.incident_id']))
    // Not for the row: without RETURNING, Citus writes an INSERT … SELECT through COPY, and COPY
    // reports a duplicate reportId as XX000 (internal_error) instead of 23505 (unique_violation).
    .returning('report_id');
}
