import type BetterSqlite3 from 'better-sqlite3';

const MAX_CACHED_STATEMENTS = 256;

/** Prepared statements of one connection, by SQL text. */
export interface StatementCache {
  prepare(sql: string): BetterSqlite3.Statement;
  clear(): void;
}

/**
 * Prepares each SQL text once per connection (preparing costs ~10 µs, as much as a primary-key
 * lookup), bounded so that variable SQL cannot grow it without limit.
 */
export function createStatementCache(database: BetterSqlite3.Database): StatementCache {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): BetterSqlite3.Statement {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (statements.size >= MAX_CACHED_STATEMENTS) {
          // Variable SQL (e.g. a status list of a new length) must not grow the cache without bound.
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
    clear(): void {
      statements.clear();
    },
  };
}
