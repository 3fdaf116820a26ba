import type { CompiledQuery, DialectAdapter, QueryCompiler, QueryResult } from 'kysely';
import type { ConnectionStats } from '../domain/types.js';
import type { ValueCodecs } from '../query/value-codecs.js';

/** A row as a driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/**
 * One database session (a connection) lent to one store call, or to one transaction, at a time.
 * Core sends every statement through `execute`, and drives cancellation itself: it calls `cancel`
 * when the call's signal aborts while a statement runs, and `release(false)` when the server does not
 * answer within a short grace afterwards — the session is then destroyed, never reused.
 */
export interface Session {
  /**
   * Runs one statement with its parameters. A synchronous driver (see `synchronous` capability) may
   * return the result itself instead of a promise.
   */
  execute(query: CompiledQuery): Promise<QueryResult<Row>> | QueryResult<Row>;
  /** Runs SQL text that may hold several statements and no parameters (migration scripts). */
  executeScript(script: string): Promise<void> | void;
  /**
   * Asks the server to stop the statement this session is running now (PostgreSQL's cancel request,
   * MySQL's `KILL QUERY`), over another connection. Resolves once the request was delivered, or
   * after a bounded wait; never rejects. Absent: statements cannot be stopped (they are synchronous).
   */
  cancel?(): Promise<void>;
  /**
   * Gives the session back. `reusable: false` destroys it at once (it broke, its state is unknown,
   * or a statement on it never answered); a statement still waiting on it then rejects. Only the
   * first call counts: core may destroy a stuck session while the call that holds it still runs.
   */
  release(reusable: boolean): void;
}

/** The sessions of one store. */
export interface SessionPool {
  /**
   * A session for one call. Waits while every session is busy, as long as `signal` allows: an
   * aborted wait leaves the queue at once and rejects with the signal's reason.
   */
  acquire(signal?: AbortSignal): Promise<Session>;
  /** A session right now if one is free, without waiting (a speed-up for synchronous drivers). */
  tryAcquire?(): Session | undefined;
  /** Connection counts right now; what the store's `stats()` returns. */
  stats(): ConnectionStats;
  /** Closes every session; sessions still lent out are destroyed. Idempotent. */
  close(): Promise<void>;
}

/** Where a store's database lives, for telemetry (OpenTelemetry database conventions). */
export interface ServerIdentity {
  /** `db.system.name`: `sqlite`, `postgresql`, `mysql`, `mariadb`, … */
  system: string;
  /** `db.namespace`: the database name (or file). */
  namespace?: string;
  /**
   * `server.address`: the host name or IP address connected to, or the Unix socket's path; absent
   * for embedded engines and when the server is not one fixed host (several hosts to fail over
   * between: naming one would be wrong once another serves the calls).
   */
  address?: string;
  /** `server.port`: the port connected to; absent whenever `address` is, and for Unix sockets. */
  port?: number;
}

/** How Kysely compiles queries for this engine; core builds queries with it and never executes through Kysely. */
export interface SqlCompiler {
  /** Kysely's dialect adapter for the engine, e.g. `new PostgresAdapter()`. */
  createAdapter(): DialectAdapter;
  /** Kysely's query compiler for the engine, e.g. `new PostgresQueryCompiler()`. */
  createQueryCompiler(): QueryCompiler;
}

/** What an adapter's `connect` returns: everything core needs to run a store on one database. */
export interface AdapterConnection {
  /** How queries are compiled for the engine. */
  sql: SqlCompiler;
  /** How instants and JSON are stored and read back. */
  codecs: ValueCodecs;
  /** The store's sessions; core acquires one per call (or per transaction) and closes the pool on `close()`. */
  pool: SessionPool;
  /** Where the database lives, for telemetry. */
  server: ServerIdentity;
  /** Strings that must never appear in an error or a log (passwords); see `urlSecrets`. */
  secrets?: readonly string[];
  /**
   * How long a call keeps trying while a lock is held elsewhere (`busy` errors), in milliseconds;
   * default 5000. The call's own deadline and signal bound it too.
   */
  lockWaitMs?: number;
}
