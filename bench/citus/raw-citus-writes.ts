import type { RawPostgresStatement } from '../postgres/raw-postgres.js';
import { EXECUTION_COLUMNS, REPORT_COLUMNS } from '../raw/raw-sql.js';

/**
 * The raw baseline's two writes on the Citus layout (migrations/citus), in place of the single-node
 * statements of raw-postgres.ts, binding the same parameters in the same order (raw-params.ts).
 * executionId and reportId cannot be keys of tables distributed by incident, so a raw user who wants
 * them unique must go through the owner tables as the store does (packages/core/src/query/
 * owner-table-writes.ts): one statement each, the same shape as the store's.
 */
export const CITUS_OWNER_TABLE_WRITES = {
  // Claim the executionId for its incident (or read the incident already owning it, its row locked),
  // then upsert the execution under that incident. $1 execution_id, $2 incident_id, $3… the rest.
  upsertExecution: `with owner as (insert into agent_execution_owners (execution_id, incident_id) values ($1, $2)
    on conflict (execution_id) do update set incident_id = agent_execution_owners.incident_id returning incident_id)
    insert into agent_executions (${EXECUTION_COLUMNS})
    select $1, owner.incident_id, $3, $4, $5, $6, $7 from owner
    on conflict (incident_id, execution_id) do update set completed_at = excluded.completed_at,
    exit_code = excluded.exit_code, error_message = excluded.error_message, log_paths = excluded.log_paths`,
  // Insert the report only if its execution is known (no row otherwise), then claim the reportId:
  // a reportId stored before fails the owner table's primary key and undoes the insert.
  // $1 report_id, $2 incident_id, $3 execution_id, $4… the rest.
  insertReport: `with stored as (insert into triage_reports (${REPORT_COLUMNS})
    select $1, $2, o.execution_id, $4, $5, $6 from agent_execution_owners o where o.execution_id = $3
    returning report_id, incident_id)
    insert into triage_report_owners (report_id, incident_id) select report_id, incident_id from stored`,
} as const satisfies Partial<Record<RawPostgresStatement, string>>;
