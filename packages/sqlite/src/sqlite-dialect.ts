import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDatabase, SqliteDriver } from 'kysely';
import { createStatementCache } from './statement-cache.js';

/** Connection counts of the single SQLite connection, for `stats()`. */
export interface SqliteConnectionUsage {
  active: number;
  waiting: number;
}

/**
 * Kysely's SQLite driver with two changes: transactions begin with BEGIN IMMEDIATE, so a
 * read-then-write transaction never fails with SQLITE_BUSY_SNAPSHOT under other processes (it
 * waits for the write lock up front, within busy_timeout), and the connection's use is counted.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly usage: SqliteConnectionUsage,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    this.usage.waiting += 1;
    try {
      return await super.acquireConnection();
    } finally {
      this.usage.waiting -= 1;
      this.usage.active = 1;
    }
  }

  override async releaseConnection(): Promise<void> {
    this.usage.active = 0;
    await super.releaseConnection();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** A Kysely dialect over one better-sqlite3 handle with cached statements and BEGIN IMMEDIATE. */
export class NightcrierSqliteDialect extends SqliteDialect {
  readonly usage: SqliteConnectionUsage = { active: 0, waiting: 0 };
  readonly statements: SqliteDatabase;

  constructor(database: BetterSqlite3.Database) {
    const statements = createStatementCache(database);
    super({ database: statements });
    this.statements = statements;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver({ database: this.statements }, this.usage);
  }
}
