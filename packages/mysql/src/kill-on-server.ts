import mysql from 'mysql2';

/** How long one KILL may take, connect included. */
const KILL_ATTEMPT_MS = 5000;
/** How long the store keeps trying to end a session it gave up on (see {@link killSession}). */
const KILL_SESSION_GIVE_UP_MS = 60_000;
const KILL_SESSION_BACKOFF_MS = [250, 500, 1000, 2000] as const;
// ER_NO_SUCH_THREAD: the session is gone already, which is what we wanted.
const NO_SUCH_THREAD = 1094;

type KillAnswer = 'done' | 'unreachable';

/** One `KILL [QUERY] <id>` over a connection of its own; never rejects. */
function kill(options: mysql.ConnectionOptions, statement: 'KILL QUERY' | 'KILL CONNECTION', threadId: number): Promise<KillAnswer> {
  return new Promise((resolve) => {
    const connection = mysql.createConnection({ ...options, connectTimeout: KILL_ATTEMPT_MS, enableKeepAlive: false });
    let done = false;
    const finish = (answer: KillAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      connection.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish('unreachable'), KILL_ATTEMPT_MS);
    timer.unref();
    connection.on('error', () => finish('unreachable'));
    // threadId is the server's integer id of the session, never caller input.
    connection.query(`${statement} ${Math.trunc(threadId)}`, (error) =>
      finish(error === null || (error as { errno?: number }).errno === NO_SUCH_THREAD ? 'done' : 'unreachable'),
    );
  });
}

/**
 * Stops the statement that session `threadId` is running, with `KILL QUERY` (MySQL has no cancel
 * request in its protocol). The session stays usable; its statement fails with 1317. Resolves once
 * the server answered, or after a bounded wait; never rejects.
 */
export async function killQuery(options: mysql.ConnectionOptions, threadId: number): Promise<void> {
  await kill(options, 'KILL QUERY', threadId);
}

/**
 * Ends server session `threadId` for good, for a connection the store dropped while it may have
 * held a statement or a transaction. Without this, a session cut off by a silent network failure
 * lives on at the server (it sees no closed socket) and keeps its row locks, so writes near its
 * rows wait `innodb_lock_wait_timeout` (50 s) and fail. The server may be unreachable for a while
 * (that is why the connection was dropped): tries again with backoff for up to a minute. Never rejects.
 */
export async function killSession(options: mysql.ConnectionOptions, threadId: number): Promise<void> {
  const giveUpAt = Date.now() + KILL_SESSION_GIVE_UP_MS;
  for (let attempt = 0; Date.now() < giveUpAt; attempt += 1) {
    if ((await kill(options, 'KILL CONNECTION', threadId)) === 'done') return;
    const pause = KILL_SESSION_BACKOFF_MS[Math.min(attempt, KILL_SESSION_BACKOFF_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, pause).unref());
  }
}
