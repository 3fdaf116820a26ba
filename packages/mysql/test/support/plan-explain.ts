// Reading MariaDB 10.11's `EXPLAIN FORMAT=JSON` for the query-plan test.
//
// MariaDB's shape: { query_block: { select_id, nested_loop: [{ table: {...} }] } }; a sort shows as
// a `filesort` object wrapping the table (under `read_sorted_file` when the sorted rows are read
// back). Each `table` has `table_name`, `access_type` (ALL = full scan, index = walk a whole index
// in order, range, ref, eq_ref, const), `key` (the index used), `rows` (estimated rows examined).
//
// MySQL 8 writes the same plan differently: { query_block: { cost_info, ordering_operation: {
// using_filesort: false|true, table: { table_name, access_type, key, rows_examined_per_scan,
// backward_index_scan? } } } } — a sort is `"using_filesort": true` rather than a `filesort`
// object, and the row estimate is `rows_examined_per_scan`. summarizePlan reads both spellings
// (only MariaDB's is exercised here); `access_type` and `key` mean the same on both.
import type mysql from 'mysql2/promise';
import type { BoundValue } from './plan-capture.js';

/** One table access of a plan. */
export interface TableAccess {
  table: string;
  accessType: string;
  key: string | undefined;
  rows: number | undefined;
}

/** What the test asserts about one statement's plan. */
export interface PlanSummary {
  tables: TableAccess[];
  /** A `filesort` (MariaDB) or `using_filesort: true` (MySQL 8) anywhere in the plan. */
  filesort: boolean;
  /** A temporary table (a sort or grouping the index order could not give). */
  temporaryTable: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every object in `value`, depth first, with the key it hangs under. */
function* objects(value: Json, key = ''): Generator<[string, { [key: string]: Json }]> {
  if (Array.isArray(value)) {
    for (const item of value) yield* objects(item, key);
  } else if (isObject(value)) {
    yield [key, value];
    for (const [childKey, child] of Object.entries(value)) yield* objects(child, childKey);
  }
}

/** The parts of an `EXPLAIN FORMAT=JSON` document the test asserts on. */
export function summarizePlan(plan: Json): PlanSummary {
  const summary: PlanSummary = { tables: [], filesort: false, temporaryTable: false };
  for (const [key, node] of objects(plan)) {
    if (key === 'filesort' || node['using_filesort'] === true) summary.filesort = true;
    if (key === 'temporary_table' || node['using_temporary_table'] === true) summary.temporaryTable = true;
    if (key === 'table' && typeof node['table_name'] === 'string') {
      const rows = node['rows'] ?? node['rows_examined_per_scan'];
      summary.tables.push({
        table: node['table_name'],
        accessType: String(node['access_type']),
        key: typeof node['key'] === 'string' ? node['key'] : undefined,
        rows: typeof rows === 'number' ? rows : undefined,
      });
    }
  }
  return summary;
}

/**
 * The plan of `sql` with `values` bound as the store binds them (a server-side prepared statement):
 * MariaDB plans each execution with its values, so this is the plan the store's execution gets.
 */
export async function explain(connection: mysql.Connection, sql: string, values: readonly BoundValue[]): Promise<PlanSummary> {
  const [rows] = await connection.execute<mysql.RowDataPacket[]>(`EXPLAIN FORMAT=JSON ${sql}`, [...values]);
  const text = rows[0]?.['EXPLAIN'];
  if (typeof text !== 'string') throw new Error(`no EXPLAIN output for ${sql}`);
  const plan: Json = JSON.parse(text);
  return summarizePlan(plan);
}

/** One line per table access, for failure messages and the report. */
export function describePlan(summary: PlanSummary): string {
  const tables = summary.tables.map((access) => `${access.table}: ${access.accessType}${access.key === undefined ? '' : ` on ${access.key}`}, rows≈${access.rows ?? '?'}`);
  return [...tables, ...(summary.filesort ? ['filesort'] : []), ...(summary.temporaryTable ? ['temporary table'] : [])].join('; ');
}
