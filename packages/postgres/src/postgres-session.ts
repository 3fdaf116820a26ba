import type { CompiledQuery, QueryResult } from 'kysely';
import type { Lease, Row, Session, StatementWatchdog } from '@nightcrier/storage-core/adapter';
import { cancelBackend } from './cancel-backend.js';
import type { PostgresConnection } from './postgres-connections.js';
import type { StatementNames } from './statement-names.js';

const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/**
 * One pooled pg client lent to one call: statements named by their SQL text (prepared once per
 * session), server-side cancellation with PostgreSQL's cancel request, and no statement — nor the
 * next user of the session — ever hit by a cancel request still on its way.
 */
export class PostgresSession implements Session {
  constructor(
    private readonly lease: Lease<PostgresConnection>,
    private readonly names: StatementNames,
    private readonly watchdog: StatementWatchdog<PostgresConnection>,
  ) {}

  async execute(query: CompiledQuery): Promise<QueryResult<Row>> {
    const { connection } = this.lease;
    if (connection.cancels.size > 0) await Promise.all(connection.cancels);
    const values = [...query.parameters];
    // Without parameters pg uses the simple protocol: no statement to name (BEGIN, COMMIT, SET).
    const name = values.length > 0 ? this.names.nameFor(query.sql) : undefined;
    this.watchdog.begin(connection);
    connection.busy = true;
    try {
      const result = await connection.client.query<Row>(name === undefined ? { text: query.sql, values } : { name, text: query.sql, values });
      return COUNTED_COMMANDS.has(result.command) ? { rows: result.rows, numAffectedRows: BigInt(result.rowCount ?? 0) } : { rows: result.rows };
    } finally {
      connection.busy = false;
      this.watchdog.end(connection);
    }
  }

  async executeScript(script: string): Promise<void> {
    const { connection } = this.lease;
    connection.busy = true;
    try {
      // No parameters: the simple protocol, which runs several statements.
      await connection.client.query(script);
    } finally {
      connection.busy = false;
    }
  }

  cancel(): Promise<void> {
    // To the host this session really went to (of a multi-host URL, not necessarily the first).
    const { client, hostConfig, cancels } = this.lease.connection;
    const request = cancelBackend(client, hostConfig);
    cancels.add(request);
    void request.then(() => cancels.delete(request));
    return request;
  }

  release(reusable: boolean): void {
    const { cancels } = this.lease.connection;
    // A cancel request still on its way could stop the next user's statement: give the session
    // back once it was delivered (it never takes long: cancelBackend gives up after a few seconds).
    if (!reusable || cancels.size === 0) this.lease.release(reusable);
    else void Promise.all(cancels).then(() => this.lease.release(true));
  }
}
