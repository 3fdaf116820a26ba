import type { Session, SessionPool } from '../adapter/adapter-connection.js';
import type { ConnectionStats } from '../domain/types.js';
import { StoreClosedError } from '../errors/state-store-error.js';
import type { PoolSettings } from './pool-settings.js';

/** How a pool opens and ends the connections of one driver. */
export interface ConnectionFactory<C> {
  /**
   * Opens one connection; `onDeath` is to be called if it dies later (server closed it, socket
   * error). When `signal` aborts first (the caller that needed it gave up), the attempt is dropped:
   * a connect that hangs (a host that accepts TCP and never answers) must not hold a pool slot.
   */
  open(onDeath: () => void, signal: AbortSignal | undefined): Promise<C>;
  /** Ends a healthy connection politely. Never rejects. */
  close(connection: C): Promise<void>;
  /** Destroys a connection at once (a statement waiting on it rejects). */
  destroy(connection: C): void;
}

/** A connection lent out by the pool. */
export interface Lease<C> {
  /** The driver connection, the caller's until `release`. */
  readonly connection: C;
  /** Back to the pool; `reusable: false` destroys it. Only the first call counts. */
  release(reusable: boolean): void;
}

interface Entry<C> {
  connection: C;
  createdAt: number;
  idleSince: number;
  dead: boolean;
  leased: boolean;
}

interface Waiter<C> {
  signal: AbortSignal | undefined;
  resolve(lease: Lease<C>): void;
  reject(error: unknown): void;
  detach(): void;
}

/**
 * A connection pool with the four settings of Go's `database/sql`, each honoured as named, shared by
 * the network adapters:
 *
 * - at most `maxOpen` connections (opening ones included); further callers wait in FIFO order, and
 *   a caller whose signal aborts leaves the queue at once;
 * - `maxIdle` is the steady-state cap of idle connections: a surplus idle connection is retired
 *   once it stayed idle for `idleGraceMs` (not when it is released), so a burst after a short lull
 *   reuses its sessions instead of opening new ones;
 * - a connection idle for `maxIdleTimeMs`, or older than `maxLifetimeMs`, is closed (a busy one when
 *   it is next released);
 * - a connection that died, or that was released as not reusable, is destroyed, never lent again.
 *
 * Idle connections are reused most-recently-used first, so the surplus is what ages out.
 */
export class ConnectionPool<C> {
  private readonly idle: Entry<C>[] = [];
  private readonly waiters: Waiter<C>[] = [];
  private readonly entries = new Map<C, Entry<C>>();
  private opening = 0;
  private closed = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweepAt = Infinity;

  constructor(
    private readonly factory: ConnectionFactory<C>,
    private readonly settings: PoolSettings,
  ) {}

  /**
   * This pool as the `SessionPool` an adapter hands core, each lease wrapped in the adapter's
   * session.
   *
   * @example
   * pool: connections.asSessionPool((lease) => new MysqlSession(lease, options, watchdog)),
   */
  asSessionPool(toSession: (lease: Lease<C>) => Session): SessionPool {
    return {
      acquire: async (signal) => toSession(await this.acquire(signal)),
      tryAcquire: () => {
        const lease = this.tryAcquire();
        return lease === undefined ? undefined : toSession(lease);
      },
      stats: () => this.stats(),
      close: () => this.close(),
    };
  }

  /** Connections open, idle and lent out, and callers waiting for one, right now. */
  stats(): ConnectionStats {
    const total = this.entries.size + this.opening;
    return {
      totalConnections: total,
      idleConnections: this.idle.length,
      activeConnections: total - this.idle.length,
      waitingRequests: this.waiters.length,
    };
  }

  /** An idle connection right now, if there is one. */
  tryAcquire(): Lease<C> | undefined {
    if (this.closed) return undefined;
    const now = Date.now();
    for (let entry = this.idle.pop(); entry !== undefined; entry = this.idle.pop()) {
      if (!this.expired(entry, now)) return this.lend(entry);
      this.retire(entry);
    }
    return undefined;
  }

  /**
   * An idle connection, a new one while fewer than `maxOpen` are open, or the next one released;
   * rejects with `OperationCancelledError` when `signal` aborts first and `StoreClosedError` on close.
   */
  acquire(signal?: AbortSignal): Promise<Lease<C>> {
    if (this.closed) return Promise.reject(new StoreClosedError('failed to get a connection: the pool is closed'));
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const ready = this.tryAcquire();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.entries.size + this.opening < this.settings.maxOpen) return this.openFor(signal);
    return new Promise<Lease<C>>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter<C> = {
        signal,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Rejects every waiter, closes idle connections and destroys lent ones. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.sweepTimer);
    for (const waiter of this.waiters.splice(0)) {
      waiter.detach();
      waiter.reject(new StoreClosedError('failed to get a connection: the store was closed'));
    }
    const idle = this.idle.splice(0);
    for (const entry of this.entries.values()) {
      if (entry.leased) this.remove(entry, true);
    }
    await Promise.all(idle.map((entry) => this.retire(entry)));
  }

  private async openFor(signal: AbortSignal | undefined): Promise<Lease<C>> {
    this.opening += 1;
    let entry: Entry<C> | undefined;
    try {
      const holder: { entry?: Entry<C> } = {};
      const connection = await this.factory.open(() => {
        if (holder.entry !== undefined) this.died(holder.entry);
      }, signal);
      const now = Date.now();
      entry = { connection, createdAt: now, idleSince: now, dead: false, leased: false };
      holder.entry = entry;
    } finally {
      this.opening -= 1;
    }
    this.entries.set(entry.connection, entry);
    if (this.closed) {
      // Opened fine but no longer wanted: ended politely, not destroyed like a broken one.
      void this.remove(entry, false);
      throw new StoreClosedError('failed to get a connection: the store was closed');
    }
    return this.lend(entry);
  }

  private lend(entry: Entry<C>): Lease<C> {
    entry.leased = true;
    let released = false;
    return {
      connection: entry.connection,
      release: (reusable) => {
        if (released) return;
        released = true;
        this.giveBack(entry, reusable);
      },
    };
  }

  private giveBack(entry: Entry<C>, reusable: boolean): void {
    entry.leased = false;
    const now = Date.now();
    if (!reusable || entry.dead || this.closed || now - entry.createdAt >= this.settings.maxLifetimeMs) {
      this.remove(entry, !reusable || entry.dead);
      this.serveWaiters();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter.detach();
      waiter.resolve(this.lend(entry));
      return;
    }
    entry.idleSince = now;
    this.idle.push(entry);
    this.scheduleSweep();
  }

  /** After a connection left, open one for the first waiter if there is room. */
  private serveWaiters(): void {
    while (this.waiters.length > 0 && this.entries.size + this.opening < this.settings.maxOpen) {
      const waiter = this.waiters.shift() as Waiter<C>;
      waiter.detach();
      this.openFor(waiter.signal).then(waiter.resolve, waiter.reject);
    }
  }

  private died(entry: Entry<C>): void {
    entry.dead = true;
    if (entry.leased) return; // its call will fail and release it
    const index = this.idle.indexOf(entry);
    if (index !== -1) this.idle.splice(index, 1);
    this.remove(entry, true);
    this.serveWaiters();
  }

  private expired(entry: Entry<C>, now: number): boolean {
    return entry.dead || now - entry.createdAt >= this.settings.maxLifetimeMs || now - entry.idleSince >= this.settings.maxIdleTimeMs;
  }

  private remove(entry: Entry<C>, destroy: boolean): Promise<void> {
    if (!this.entries.delete(entry.connection)) return Promise.resolve();
    if (destroy) {
      this.factory.destroy(entry.connection);
      return Promise.resolve();
    }
    return this.factory.close(entry.connection);
  }

  private retire(entry: Entry<C>): Promise<void> {
    return this.remove(entry, entry.dead);
  }

  /** Closes idle connections that expired, and the surplus over maxIdle idle longer than the grace. */
  private sweep(): void {
    this.sweepTimer = undefined;
    this.sweepAt = Infinity;
    const now = Date.now();
    // Oldest idle first: the front of the list has been idle the longest.
    for (let i = 0; i < this.idle.length; ) {
      const entry = this.idle[i] as Entry<C>;
      const surplus = this.idle.length > this.settings.maxIdle && now - entry.idleSince >= this.settings.idleGraceMs;
      if (surplus || this.expired(entry, now)) {
        this.idle.splice(i, 1);
        void this.retire(entry);
      } else {
        i += 1;
      }
    }
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (this.closed || this.idle.length === 0) return;
    const { maxIdle, idleGraceMs, maxIdleTimeMs, maxLifetimeMs } = this.settings;
    let next = Infinity;
    this.idle.forEach((entry, index) => {
      next = Math.min(next, entry.idleSince + maxIdleTimeMs, entry.createdAt + maxLifetimeMs);
      if (index < this.idle.length - maxIdle) next = Math.min(next, entry.idleSince + idleGraceMs);
    });
    if (next >= this.sweepAt) return;
    clearTimeout(this.sweepTimer);
    this.sweepAt = next;
    this.sweepTimer = setTimeout(() => this.sweep(), Math.max(0, next - Date.now()));
    // The pool's housekeeping never keeps a process alive.
    this.sweepTimer.unref();
  }
}
