import type { CompiledQuery, QueryResult } from 'kysely';
import type mysql from 'mysql2';
import type { Lease, Row, Session, StatementWatchdog } from '@nightcrier/storage-core/adapter';
import { killQuery } from './kill-on-server.js';
import { type MysqlConnection, run } from './mysql-connections.js';
import { splitStatements } from './split-statements.js';

/**
 * VARBINARY columns (ids and keys, see the schema) arrive as Buffers: the store wrote UTF-8 there.
 * Decoded in place, on the Buffer mysql2 hands over (no view copied per value: this runs for every
 * id column of every listed row).
 */
function decodeBinary(rows: Row[]): Row[] {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (Buffer.isBuffer(value)) row[key] = value.toString('utf8');
    }
  }
  return rows;
}

/** A statement parameter as mysql2 takes it; the query layer binds only strings, numbers, booleans and nulls. */
function toParameter(value: unknown): mysql.ExecuteValues {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  throw new TypeError(`cannot bind a ${typeof value} parameter`);
}

function executePrepared(raw: mysql.Connection, sql: string, values: mysql.ExecuteValues[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    raw.execute(sql, values, (error, result) => (error === null ? resolve(result) : reject(error)));
  });
}

/**
 * One pooled mysql2 connection lent to one call: parameterised statements run as server-side
 * prepared statements (mysql2 caches them per connection), statements without parameters through
 * the text protocol (transaction control, savepoints); cancellation with KILL QUERY.
 */
export class MysqlSession implements Session {
  constructor(
    private readonly lease: Lease<MysqlConnection>,
    private readonly options: mysql.ConnectionOptions,
    private readonly watchdog: StatementWatchdog<MysqlConnection>,
  ) {}

  async execute(query: CompiledQuery): Promise<QueryResult<Row>> {
    const { connection } = this.lease;
    if (connection.cancels.size > 0) await Promise.all(connection.cancels);
    const result = await this.watched(() =>
      query.parameters.length > 0 ? executePrepared(connection.raw, query.sql, query.parameters.map(toParameter)) : run(connection.raw, query.sql),
    );
    if (Array.isArray(result)) return { rows: decodeBinary(result as Row[]) };
    return { rows: [], numAffectedRows: BigInt((result as mysql.ResultSetHeader).affectedRows) };
  }

  async executeScript(script: string): Promise<void> {
    // DDL is not transactional here: one statement at a time, so a failure stops at the statement that failed.
    for (const statement of splitStatements(script)) await this.watched(() => run(this.lease.connection.raw, statement));
  }

  cancel(): Promise<void> {
    const { connection } = this.lease;
    const request = killQuery(this.options, connection.threadId);
    connection.cancels.add(request);
    void request.then(() => connection.cancels.delete(request));
    return request;
  }

  release(reusable: boolean): void {
    const { cancels } = this.lease.connection;
    // A KILL QUERY still on its way could stop the next user's statement: wait for it first.
    if (!reusable || cancels.size === 0) this.lease.release(reusable);
    else void Promise.all(cancels).then(() => this.lease.release(true));
  }

  private async watched<T>(work: () => Promise<T>): Promise<T> {
    const { connection } = this.lease;
    this.watchdog.begin(connection);
    try {
      return await work();
    } finally {
      this.watchdog.end(connection);
    }
  }
}
