/**
 * Keeps a synchronous driver from starving the event loop. better-sqlite3 answers within the
 * caller's own tick, so a loop of awaited calls would settle through microtasks only: no timer, no
 * I/O, no signal handler would run until it ended. Each call asks `needsTurn()`; once the loop has
 * not turned for `TURN_INTERVAL_MS`, the call first awaits `giveTurn()` (one macrotask).
 */
const TURN_INTERVAL_MS = 4;

let lastTurn = performance.now();
let probeQueued = false;

function turned(): void {
  lastTurn = performance.now();
  probeQueued = false;
}

/** Whether the event loop has been held for too long; also notices when it turns by itself. */
export function needsTurn(): boolean {
  if (!probeQueued) {
    // Fires on the loop's next turn, whoever causes it: a caller doing I/O never pays for a yield.
    probeQueued = true;
    setImmediate(turned);
  }
  return performance.now() - lastTurn > TURN_INTERVAL_MS;
}

/** Lets the event loop run its timers, I/O and signal handlers once. */
export function giveTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
