import pg from 'pg';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { currentOperationSignal, refuseIfAbandoned, trackStatement } from '@nightcrier/storage-core';
import { cancelBackend } from './cancel-backend.js';
import { postgresErrorKind } from './postgres-error-kind.js';
import { StatementNames } from './statement-names.js';

export interface PoolSettings {
  maxOpenConns: number;
  maxIdleConns: number;
  connMaxLifetimeMs: number;
  connMaxIdleTimeMs: number;
  connectTimeoutMs: number;
}

interface CheckoutState {
  /** The connection died during this checkout: destroy it on release. */
  broken: boolean;
  /** Cancel requests sent for this checkout's statements and not yet delivered. */
  cancels: Set<Promise<void>>;
}

/**
 * pg's Pool behind the small interface Kysely's PostgresDialect expects, adding what the store
 * needs on every checkout: named statements, server-side cancellation when the call's signal
 * aborts, an 'error' listener so a server-side kill never crashes the process, dead connections
 * dropped instead of returned, and `maxIdleConns` enforced on release.
 */
export class NightcrierPostgresPool implements PostgresPool {
  readonly pool: pg.Pool;
  private readonly statementNames = new StatementNames();
  private readonly checkouts = new WeakMap<pg.PoolClient, { state: CheckoutState; wrapper: PostgresPoolClient }>();

  constructor(
    private readonly clientConfig: pg.ClientConfig,
    private readonly settings: PoolSettings,
  ) {
    // pg-pool reads connectionTimeoutMillis as the limit on waiting for a free connection too; that
    // wait belongs to the call's own timeout, so only opening a connection gets connectTimeoutMs.
    const connectTimeoutMs = settings.connectTimeoutMs;
    class TimedConnectClient extends pg.Client {
      constructor(config?: pg.ClientConfig) {
        // pg-pool keeps `password` non-enumerable (so it never prints): a spread would drop it.
        super({ ...config, password: config?.password, connectionTimeoutMillis: connectTimeoutMs });
      }
    }
    this.pool = new pg.Pool({
      ...clientConfig,
      Client: TimedConnectClient,
      max: settings.maxOpenConns,
      idleTimeoutMillis: settings.connMaxIdleTimeMs,
      maxLifetimeSeconds: settings.connMaxLifetimeMs / 1000,
      connectionTimeoutMillis: 0,
      // Timestamps are parsed from ISO-style text in UTC: set both on every new session, whatever
      // the server's or the database's defaults (a startup `options` would upset PgBouncer).
      // pg-pool awaits the promise this returns before handing the connection out.
      onConnect: (client: pg.ClientBase) => client.query("set timezone to 'UTC'; set datestyle to 'ISO, YMD'"),
    });
    // An idle client killed by the server emits 'error' on the pool; pg-pool already drops it.
    this.pool.on('error', () => undefined);
  }

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    let checkout = this.checkouts.get(client);
    if (checkout === undefined) {
      // A checked-out client has no pool listener; without one a server-side kill throws.
      client.on('error', () => undefined);
      const state: CheckoutState = { broken: false, cancels: new Set() };
      checkout = {
        state,
        // One wrapper per pg client, so Kysely keeps one connection object per session too.
        wrapper: {
          query: ((sqlOrCursor: unknown, parameters?: ReadonlyArray<unknown>) =>
            this.query(client, state, sqlOrCursor as string, parameters ?? [])) as PostgresPoolClient['query'],
          // Kysely passes true when a failed ROLLBACK left the connection in an unknown state.
          release: (discard?: boolean) => this.release(client, state, discard === true),
        },
      };
      this.checkouts.set(client, checkout);
    }
    checkout.state.broken = false;
    return checkout.wrapper;
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  private async query<R>(client: pg.PoolClient, state: CheckoutState, sql: string, parameters: ReadonlyArray<unknown>) {
    // A cancel request still on its way must not hit the next statement of this checkout.
    if (state.cancels.size > 0) await Promise.all(state.cancels);
    refuseIfAbandoned(sql);
    const signal = currentOperationSignal();
    const onAbort = () => {
      const cancel = cancelBackend(client, this.clientConfig);
      state.cancels.add(cancel);
      void cancel.then(() => state.cancels.delete(cancel));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settled = trackStatement();
    try {
      // Without parameters pg uses the simple protocol, which also runs multi-statement scripts.
      const name = parameters.length > 0 ? this.statementNames.nameFor(sql) : undefined;
      const result = await client.query<R & pg.QueryResultRow>(
        name === undefined ? { text: sql, values: [...parameters] } : { name, text: sql, values: [...parameters] },
      );
      return result as unknown as PostgresQueryResult<R>;
    } catch (error) {
      const kind = postgresErrorKind(error);
      if (kind === 'connection_lost' || kind === 'server_terminated') state.broken = true;
      throw error;
    } finally {
      settled();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private release(client: pg.PoolClient, state: CheckoutState, discard: boolean): void {
    const giveBack = () => {
      const idleFull = this.pool.waitingCount === 0 && this.pool.idleCount >= this.settings.maxIdleConns;
      // true destroys the client: a broken one must not be reused, and maxIdleConns caps the rest.
      client.release(discard || state.broken || idleFull);
    };
    // A cancel request still on its way could hit the next user of this connection: wait for it.
    if (state.cancels.size === 0) giveBack();
    else void Promise.all(state.cancels).then(giveBack);
  }

  stats() {
    const total = this.pool.totalCount;
    const idle = this.pool.idleCount;
    return { totalConnections: total, idleConnections: idle, activeConnections: total - idle, waitingRequests: this.pool.waitingCount };
  }
}
