import mysql from 'mysql2';

/** How long one KILL QUERY may take, connect included. */
const KILL_TIMEOUT_MS = 5000;

/**
 * Stops the statement that session `threadId` is running, with `KILL QUERY` over a connection of
 * its own (MySQL has no cancel request in its protocol). The session stays usable; its statement
 * fails with 1317. Resolves once the server answered, or after a bounded wait; never rejects.
 */
export function killQuery(options: mysql.ConnectionOptions, threadId: number): Promise<void> {
  return new Promise((resolve) => {
    const connection = mysql.createConnection({ ...options, connectTimeout: KILL_TIMEOUT_MS, enableKeepAlive: false });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      connection.destroy();
      resolve();
    };
    const timer = setTimeout(finish, KILL_TIMEOUT_MS);
    timer.unref();
    connection.on('error', finish);
    // threadId is the server's integer id of the session, never caller input.
    connection.query(`KILL QUERY ${Math.trunc(threadId)}`, () => finish());
  });
}
