import mysql from 'mysql2';
import type { StatementProbe } from '@nightcrier/storage-core/adapter';
import type { MysqlConnection } from './mysql-connections.js';

const PROBE_TIMEOUT_MS = 5000;

/**
 * Looks up a session in the server's process list over a connection of its own: is it still
 * running our statement? For the StatementWatchdog; `unknown` whenever the server cannot be asked.
 */
export function processlistProbe(options: mysql.ConnectionOptions): (connection: MysqlConnection) => Promise<StatementProbe> {
  return ({ threadId }) =>
    new Promise((resolve) => {
      const probe = mysql.createConnection({ ...options, connectTimeout: PROBE_TIMEOUT_MS, enableKeepAlive: false });
      let done = false;
      const finish = (answer: StatementProbe) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        probe.destroy();
        resolve(answer);
      };
      const timer = setTimeout(() => finish('unknown'), PROBE_TIMEOUT_MS);
      probe.on('error', () => finish('unknown'));
      probe.query('SELECT COMMAND AS command FROM information_schema.PROCESSLIST WHERE ID = ?', [threadId], (error, rows) => {
        if (error !== null) return finish('unknown');
        const [row] = rows as Array<{ command?: unknown }>;
        // Sleeping while our statement waits for its answer: the answer was lost on the way.
        if (row === undefined || row.command === 'Sleep') return finish('lost');
        finish(row.command === 'Query' || row.command === 'Execute' ? 'running' : 'unknown');
      });
    });
}
