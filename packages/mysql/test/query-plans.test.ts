// Every list and page statement the MySQL store sends, explained on MariaDB 10.11 (mirrors the
// postgres and sqlite packages' query-plan tests). Two things differ from PostgreSQL's test:
// - MariaDB plans each execution with the bound values and by cost, with statistics; there is no
//   generic plan and no `enable_seqscan = off`. So the statements and their values are captured as
//   the store sends them (support/plan-capture.ts), on a database seeded with realistic data
//   (support/plan-data.ts), and explained with those values, as prepared statements like the store's.
// - A list with no LIMIT reads every matching row: on a large share of the table one sequential
//   read and a sort is the cheaper plan, and MariaDB picks it whatever the indexes (only a covering
//   index would change that). Those shapes are checked the way PostgreSQL's test checks all of them:
//   with the table scan priced out (FORCE INDEX), the plan must walk a list-order index without a
//   sort. Every bounded shape (a LIMIT, as every page has) must walk one as planned.
// The plan format is MariaDB's; support/plan-explain.ts says what MySQL 8 shows instead.
import { exerciseListQueryShapes } from '@nightcrier/storage-core/conformance';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlStateStore } from '../src/index.js';
import { type CapturedStatement, captureStoreStatements } from './support/plan-capture.js';
import { SEEDED_INCIDENTS, seedPlanData } from './support/plan-data.js';
import { describePlan, explain, type PlanSummary } from './support/plan-explain.js';
import { freshDatabase } from './support/store-fixtures.js';

const LIST_TABLES = /from `(incidents|agent_executions|triage_reports)`/;

let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
let connection: mysql.Connection | undefined;
/** Each distinct list statement the store sent, with the values it first bound to it. */
let listStatements: CapturedStatement[] = [];
let calls = 0;
/** SELECTs on the list tables as the store reported them through onQuery. */
const reported = new Set<string>();

beforeAll(async () => {
  database = await freshDatabase();
  const store = await createMysqlStateStore({ url: database.url, onQuery: (event) => reported.add(event.sql) });
  try {
    connection = await mysql.createConnection({ uri: database.url, dateStrings: true });
    await seedPlanData(connection);
    const captured = await captureStoreStatements(async () => {
      calls = await exerciseListQueryShapes(store);
    });
    const bySql = new Map<string, CapturedStatement>();
    for (const statement of captured) {
      if (/^select/i.test(statement.sql) && LIST_TABLES.test(statement.sql) && !bySql.has(statement.sql)) bySql.set(statement.sql, statement);
    }
    listStatements = [...bySql.values()];
  } finally {
    await store.close();
  }
}, 120_000);

afterAll(async () => {
  await connection?.end();
  await database?.drop();
});

function open(): mysql.Connection {
  if (connection === undefined) throw new Error('the plan database is not open');
  return connection;
}

interface IndexPart {
  column: string;
  descending: boolean;
}

/** The indexes of `table`, key parts in order, from the migrated schema. */
async function indexesOf(table: string): Promise<Map<string, IndexPart[]>> {
  const [rows] = await open().query<mysql.RowDataPacket[]>(
    `SELECT INDEX_NAME AS name, COLUMN_NAME AS \`column\`, COLLATION AS collation FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [table],
  );
  const indexes = new Map<string, IndexPart[]>();
  for (const row of rows) {
    const parts = indexes.get(row['name']) ?? [];
    parts.push({ column: String(row['column']), descending: row['collation'] === 'D' });
    indexes.set(row['name'], parts);
  }
  return indexes;
}

/** `sql`'s ORDER BY, from the statement itself. */
function orderOf(sql: string): IndexPart[] {
  const clause = /order by (.+?)(?: limit \?| offset \?|$)/.exec(sql)?.[1];
  if (clause === undefined) throw new Error(`no ORDER BY in ${sql}`);
  return clause.split(', ').map((term) => {
    const match = /^`(\w+)` (asc|desc)$/.exec(term);
    if (match === null) throw new Error(`unexpected ORDER BY term ${term}`);
    return { column: match[1] ?? '', descending: match[2] === 'desc' };
  });
}

/**
 * The indexes that can hand `sql`'s rows over in its ORDER BY: the order's columns are the index's
 * last key parts, all in the order's direction or all reversed (InnoDB walks an index backwards
 * as well). Earlier key parts must be fixed by equality for that; the no-filesort check sees to it.
 */
/** Columns the statement pins to one value (`= ?` or a one-value `in (?)`): an index led by them still yields the list order. */
function pinnedColumns(sql: string): Set<string> {
  const pinned = new Set<string>();
  for (const match of sql.matchAll(/`(\w+)` (?:= \?|in \(\?\))/g)) pinned.add(match[1] as string);
  return pinned;
}

async function listOrderIndexes(table: string, sql: string): Promise<string[]> {
  const order = orderOf(sql);
  const pinned = pinnedColumns(sql);
  const serves = (parts: IndexPart[]) => {
    // An index led by a column matched against several values yields one ordered run per value, not one order.
    if (parts.slice(0, -order.length).some((part) => !pinned.has(part.column))) return false;
    const tail = parts.slice(-order.length);
    if (tail.length < order.length || tail.some((part, i) => part.column !== order[i]?.column)) return false;
    const flipped = tail.map((part, i) => part.descending !== order[i]?.descending);
    return flipped.every(Boolean) || flipped.every((flip) => !flip);
  };
  return [...(await indexesOf(table))].filter(([, parts]) => serves(parts)).map(([name]) => name);
}

const tableOf = (sql: string): string => LIST_TABLES.exec(sql)?.[1] ?? '';
const isUnboundedIncidentList = (sql: string): boolean => tableOf(sql) === 'incidents' && !/ limit \?/.test(sql);

/** Why `summary` is not a walk of one of `orderIndexes` in order with no sort; undefined when it is. */
function problemWith(summary: PlanSummary, table: string, orderIndexes: string[]): string | undefined {
  const main = summary.tables.find((access) => access.table === table);
  if (summary.tables.length !== 1 || main === undefined) return `expected one access of ${table}`;
  if (main.accessType === 'ALL') return 'full table scan';
  if (summary.filesort || summary.temporaryTable) return 'sorts the rows';
  if (main.key === undefined || !orderIndexes.includes(main.key)) return `index ${main.key ?? '(none)'} is not a list-order index (${orderIndexes.join(', ')})`;
  return undefined;
}

const shown = (statement: CapturedStatement) => `${statement.sql.replace(/^select .+? from/, 'select … from')}  ${JSON.stringify(statement.values)}`;

describe(`MySQL query plans (MariaDB, ${SEEDED_INCIDENTS} incidents)`, () => {
  it('captures every list and page statement the store sent, with its values', () => {
    expect(calls).toBeGreaterThan(60);
    expect(listStatements.length).toBeGreaterThan(50); // one distinct SQL text per shape
    // The capture saw exactly the list statements the store itself reported running.
    const reportedLists = [...reported].filter((sql) => /^select/i.test(sql) && LIST_TABLES.test(sql));
    expect(new Set(listStatements.map((statement) => statement.sql))).toEqual(new Set(reportedLists));
    for (const statement of listStatements) expect(statement.values).toHaveLength((statement.sql.match(/\?/g) ?? []).length);
  });

  // A page must stop after its rows: a filesort reads every match first. An equality filter the
  // planner prefers to serve from an index needs that index to end in the list order, as
  // idx_incidents_cluster_created_at (cluster, created_at DESC, incident_id DESC) does for cluster.
  it('every bounded list and page shape walks a list-order index: no table scan, no filesort', async () => {
    const bounded = listStatements.filter((statement) => !isUnboundedIncidentList(statement.sql));
    expect(bounded.length).toBeGreaterThan(40);
    const offenders: string[] = [];
    for (const statement of bounded) {
      const table = tableOf(statement.sql);
      const summary = await explain(open(), statement.sql, statement.values);
      const problem = problemWith(summary, table, await listOrderIndexes(table, statement.sql));
      if (problem !== undefined) offenders.push(`${shown(statement)}\n  → ${problem}: ${describePlan(summary)}`);
    }
    expect(offenders).toEqual([]);
  });

  it('every unbounded list shape can walk a list-order index once the table scan is priced out', async () => {
    const unbounded = listStatements.filter((statement) => isUnboundedIncidentList(statement.sql));
    expect(unbounded.length).toBe(14); // one per LIST_FILTER_SHAPES entry
    const offenders: string[] = [];
    for (const statement of unbounded) {
      const orderIndexes = await listOrderIndexes('incidents', statement.sql);
      // FORCE INDEX: the table scan counts as very expensive and only these indexes may be used;
      // the statement is otherwise exactly the store's.
      const forced = statement.sql.replace('from `incidents`', `from \`incidents\` FORCE INDEX (${orderIndexes.map((name) => `\`${name}\``).join(', ')})`);
      expect(forced).not.toBe(statement.sql);
      const summary = await explain(open(), forced, statement.values);
      const problem = problemWith(summary, 'incidents', orderIndexes);
      if (problem !== undefined) offenders.push(`${shown(statement)}\n  → ${problem}: ${describePlan(summary)}`);
      // As planned (no hint), whatever it picks reads the table once and needs no temporary table.
      const planned = await explain(open(), statement.sql, statement.values);
      if (planned.tables.length !== 1 || planned.temporaryTable) offenders.push(`${shown(statement)}\n  → as planned: ${describePlan(planned)}`);
    }
    expect(offenders).toEqual([]);
  });
});
