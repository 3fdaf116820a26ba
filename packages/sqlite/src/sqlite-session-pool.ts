import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, QueryResult } from 'kysely';
import { type ConnectionStats, type Row, type Session, type SessionPool, StoreClosedError } from '@nightcrier/storage-core/adapter';
import type { StatementCache } from './statement-cache.js';

interface Waiter {
  resolve(session: Session): void;
  reject(error: unknown): void;
  detach(): void;
}

/**
 * The one connection of a SQLite store, lent to one call (or one transaction) at a time; the others
 * wait in call order, and a waiter whose signal aborts leaves the queue. Statements run
 * synchronously through the statement cache, so a call on a free connection completes at once.
 */
export class SqliteSessionPool implements SessionPool {
  private held = false;
  private closed = false;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly statements: StatementCache,
  ) {}

  tryAcquire(): Session | undefined {
    if (this.held || this.closed || this.waiters.length > 0) return undefined;
    this.held = true;
    return this.lend();
  }

  acquire(signal?: AbortSignal): Promise<Session> {
    if (this.closed) return Promise.reject(new StoreClosedError('failed to get the SQLite connection: the store was closed'));
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const now = this.tryAcquire();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  stats(): ConnectionStats {
    const total = this.closed ? 0 : 1;
    const active = this.held ? 1 : 0;
    return { totalConnections: total, idleConnections: total - active, activeConnections: active, waitingRequests: this.waiters.length };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.detach();
      waiter.reject(new StoreClosedError('failed to get the SQLite connection: the store was closed'));
    }
    this.statements.clear();
    // Closing rolls back a transaction a stopped call left open.
    this.database.close();
  }

  private lend(): Session {
    return new SqliteLease(this, this.database, this.statements);
  }

  /**
   * Takes the connection back from a lease. It is the store's only one, so it is never destroyed,
   * whatever the call reports; a transaction a failed call left open is rolled back before the next
   * call gets it.
   */
  giveBack(): void {
    if (this.closed) return;
    if (this.database.inTransaction) this.database.exec('rollback');
    const waiter = this.waiters.shift();
    if (waiter === undefined) {
      this.held = false;
      return;
    }
    waiter.detach();
    waiter.resolve(this.lend());
  }
}

/** One lending of the connection: statements run through the cache, synchronously; only the first release counts. */
class SqliteLease implements Session {
  private released = false;

  constructor(
    private readonly pool: SqliteSessionPool,
    private readonly database: BetterSqlite3.Database,
    private readonly statements: StatementCache,
  ) {}

  execute(query: CompiledQuery): QueryResult<Row> {
    const statement = this.statements.prepare(query.sql);
    if (statement.reader) return { rows: statement.all(query.parameters) as Row[] };
    const { changes } = statement.run(query.parameters);
    return { rows: [], numAffectedRows: BigInt(changes) };
  }

  executeScript(script: string): void {
    this.database.exec(script);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.pool.giveBack();
  }
}
