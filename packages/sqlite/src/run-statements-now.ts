import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, QueryResult, SqliteDatabase } from 'kysely';
import type { SqliteConnectionUsage } from './sqlite-dialect.js';

function runOne(statements: SqliteDatabase, query: CompiledQuery, singleRow = false): QueryResult<unknown> {
  const statement = statements.prepare(query.sql);
  if (statement.reader) {
    if (!singleRow) return { rows: statement.all(query.parameters) };
    const row = (statement as unknown as { get(parameters: ReadonlyArray<unknown>): unknown }).get(query.parameters);
    return { rows: row === undefined ? [] : [row] };
  }
  const { changes } = statement.run(query.parameters);
  return { rows: [], numAffectedRows: BigInt(changes) };
}

/**
 * Runs compiled statements synchronously on the store's one connection when nothing else holds it,
 * skipping Kysely's connection mutex and promise chain (most of a primary-key lookup's cost).
 * Safe because better-sqlite3 is synchronous: no other call can take the connection meanwhile.
 * Several statements run inside one BEGIN IMMEDIATE … COMMIT. Returns undefined when the
 * connection is busy (a Kysely transaction or a waiting call), so the caller queues through Kysely.
 */
export function runStatementsNow(
  database: BetterSqlite3.Database,
  statements: SqliteDatabase,
  usage: SqliteConnectionUsage,
  queries: readonly CompiledQuery[],
  singleRow = false,
): QueryResult<unknown>[] | undefined {
  if (usage.active > 0 || usage.waiting > 0 || database.inTransaction) return undefined;
  if (queries.length === 1 && queries[0] !== undefined) return [runOne(statements, queries[0], singleRow)];
  statements.prepare('begin immediate').run([]);
  try {
    const results = queries.map((query) => runOne(statements, query));
    statements.prepare('commit').run([]);
    return results;
  } catch (error) {
    if (database.inTransaction) statements.prepare('rollback').run([]);
    throw error;
  }
}
