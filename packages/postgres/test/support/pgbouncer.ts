import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../test-support/free-port.js';
import { environmentWithoutPg, locateExternalTools } from './external-tools.js';
import { handOverToDatabaseUser } from './temp-postgres-server.js';

/**
 * PgBouncer 1.24 as `bash /work/shared/pgbouncer/build-pgbouncer.sh` installs it (Debian's 1.18
 * has no prepared-statement support in transaction mode); `.ci/run` builds it when missing.
 */
export const PGBOUNCER_BINARY = process.env['NIGHTCRIER_TEST_PGBOUNCER'] ?? '/usr/local/bin/pgbouncer-1.24';

/** A PgBouncer of a test's own in front of the test server. */
export interface PgBouncer {
  port: number;
  /** `databaseUrl` (a database on the upstream server) reached through this PgBouncer instead. */
  through(databaseUrl: string): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** `max_prepared_statements`: 0 turns PgBouncer's prepared-statement tracking off. */
  maxPreparedStatements: number;
  /** `default_pool_size`: server connections per database and user; default 5. */
  poolSize?: number;
}

function waitForPort(port: number, child: ChildProcess, logFile: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        reject(new Error(`PgBouncer exited with ${child.exitCode}:\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`));
        return;
      }
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`PgBouncer did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts PgBouncer in transaction mode on a free 127.0.0.1 port, forwarding every database to the
 * server of `upstreamUrl` with its user and password. As root it runs as the `postgres` user
 * (PgBouncer refuses root). A missing binary is an error, never a skip.
 */
export async function startPgBouncer(upstreamUrl: string, options: PgBouncerOptions): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BINARY)) {
    throw new Error(`${PGBOUNCER_BINARY} is missing: build it with bash /work/shared/pgbouncer/build-pgbouncer.sh`);
  }
  const upstream = new URL(upstreamUrl);
  const user = decodeURIComponent(upstream.username || 'postgres');
  const password = decodeURIComponent(upstream.password);
  const folder = mkdtempSync(join(tmpdir(), 'nightcrier-pgbouncer-'));
  await handOverToDatabaseUser(folder);
  const port = await freePort();
  const logFile = join(folder, 'pgbouncer.log');
  const upstreamPassword = password === '' ? '' : ` password=${password}`;
  const ini = [
    '[databases]',
    `* = host=${upstream.hostname} port=${upstream.port || '5432'} user=${user}${upstreamPassword}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(folder, 'users.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${options.poolSize ?? 5}`,
    'max_client_conn = 1000',
    `max_prepared_statements = ${options.maxPreparedStatements}`,
    // Each test file's database gets its own pool: give idle server connections back quickly.
    'server_idle_timeout = 2',
    `logfile = ${logFile}`,
    'log_connections = 0',
    'log_disconnections = 0',
  ];
  writeFileSync(join(folder, 'pgbouncer.ini'), `${ini.join('\n')}\n`, { mode: 0o644 });
  writeFileSync(join(folder, 'users.txt'), `"${user}" ""\n`, { mode: 0o644 });
  const tools = locateExternalTools();
  const [command, args] = tools.asDatabaseUser(PGBOUNCER_BINARY, [join(folder, 'pgbouncer.ini')]);
  const child = spawn(command, args, { cwd: folder, env: environmentWithoutPg(), stdio: 'ignore' });
  await waitForPort(port, child, logFile);
  return {
    port,
    through: (databaseUrl) => {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      url.username = user;
      url.password = '';
      return url.toString();
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
