/** What the server says of a session whose statement has not answered for a while. */
export type StatementProbe = 'running' | 'lost' | 'unknown';

/** How a `StatementWatchdog` checks and gives up connections of type `C`. */
export interface StatementWatchdogOptions<C> {
  /** A statement unanswered this long is checked on the server; 0 turns the watchdog off. */
  silenceMs: number;
  /**
   * Asks the server, over another connection, whether `connection`'s session is still running a
   * statement: `lost` when it is idle or gone (our answer will never come), `unknown` when it
   * cannot tell (the network is still down, a pooler hides the session).
   */
  probe(connection: C): Promise<StatementProbe>;
  /** Destroys `connection`: the statement waiting on it rejects as a lost connection. */
  destroy(connection: C): void;
}

interface Watched {
  since: number;
  lostAt: number | undefined;
  probing: boolean;
}

/** Two `lost` answers this far apart before a session is given up: a result may just be on its way. */
const CONFIRM_LOST_MS = 1000;

/**
 * Frees calls stuck on a connection that went silent. A network that drops a connection's state
 * (a NAT, a firewall, a load balancer) leaves both ends open: a statement sent on it never gets
 * its answer, and TCP keepalive cannot tell, since whatever sits in between answers the probes. A
 * call with a deadline gets out by its timeout; one without would wait forever. So a statement
 * unanswered for `silenceMs` is checked on the server; once the server twice says the session is
 * not running it, the connection is destroyed, the call fails as a lost connection, and the store's
 * retry rules decide from there (reads run again, writes check what was stored).
 * No cost while statements answer: one timer runs only while some statement is in flight.
 */
export class StatementWatchdog<C> {
  private readonly running = new Map<C, Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StatementWatchdogOptions<C>) {}

  /** Call when a statement is sent on `connection`: from now on it is watched. */
  begin(connection: C): void {
    if (this.options.silenceMs <= 0) return;
    this.running.set(connection, { since: Date.now(), lostAt: undefined, probing: false });
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.check(), Math.max(100, this.options.silenceMs / 2));
      this.timer.unref();
    }
  }

  /** Call when `connection`'s statement answered (or failed): it is no longer watched. */
  end(connection: C): void {
    this.running.delete(connection);
    if (this.running.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private check(): void {
    const now = Date.now();
    for (const [connection, watched] of this.running) {
      if (watched.probing || now - watched.since < this.options.silenceMs) continue;
      watched.probing = true;
      void this.options.probe(connection).then(
        (answer) => this.judge(connection, watched, answer),
        () => this.judge(connection, watched, 'unknown'),
      );
    }
  }

  private judge(connection: C, watched: Watched, answer: StatementProbe): void {
    watched.probing = false;
    if (this.running.get(connection) !== watched) return; // the statement answered meanwhile
    if (answer !== 'lost') {
      watched.lostAt = undefined;
      return;
    }
    const now = Date.now();
    if (watched.lostAt === undefined) {
      watched.lostAt = now;
      setTimeout(() => this.check(), CONFIRM_LOST_MS).unref();
    } else if (now - watched.lostAt >= CONFIRM_LOST_MS) {
      this.end(connection);
      this.options.destroy(connection);
    }
  }
}
