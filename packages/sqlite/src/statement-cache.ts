import type BetterSqlite3 from 'better-sqlite3';
import { refuseIfAbandoned } from '@nightcrier/storage-core';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const MAX_CACHED_STATEMENTS = 256;

/**
 * Presents a better-sqlite3 handle to Kysely with prepared statements cached by SQL text
 * (Kysely prepares on every query, BEGIN and COMMIT included) and with the current call's
 * abort signal checked before each statement: better-sqlite3 runs a statement synchronously,
 * so between statements is where a cancelled call can stop.
 */
export function createStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      refuseIfAbandoned(sql);
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
      return statement as unknown as SqliteStatement;
    },
    close(): void {
      statements.clear();
      database.close();
    },
  };
}
