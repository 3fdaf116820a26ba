import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../../test-support/free-port.js';
import { environmentWithoutPg, type ExternalTools } from './external-tools.js';
import { adminQuery as query } from './store-fixtures.js';
import { startTempPostgresServer, type TempPostgresServer } from './temp-postgres-server.js';

const run = promisify(execFile);

/** A primary and its synchronous streaming standby, both throwaway clusters on 127.0.0.1. */
export interface ReplicaPair {
  primary: TempPostgresServer;
  standby: {
    port: number;
    /** `pg_ctl promote -w`: returns once the standby left recovery and takes writes. */
    promote(): Promise<void>;
    stop(): Promise<void>;
  };
  /** A superuser URL to the `postgres` database of the server on `port`. */
  urlOf(port: number): string;
  /** Stops both servers (immediately; either may be down already). */
  stop(): Promise<void>;
}

export interface ReplicaPairOptions {
  tools: ExternalTools;
  /** A folder the database OS user owns (see `handOverToDatabaseUser`). */
  baseDirectory: string;
  maxConnections?: number;
}

const STREAMING_TIMEOUT_MS = 60_000;

/** Polls until the primary streams to a standby whose commits it waits for. */
async function waitForSyncStandby(primaryUrl: string): Promise<void> {
  const deadline = Date.now() + STREAMING_TIMEOUT_MS;
  let seen: Array<{ state: string; sync_state: string }> = [];
  while (Date.now() < deadline) {
    seen = await query<{ state: string; sync_state: string }>('select state, sync_state from pg_stat_replication', [], primaryUrl);
    if (seen.some((row) => row.state === 'streaming' && row.sync_state === 'sync')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the standby did not stream synchronously within ${STREAMING_TIMEOUT_MS} ms: ${JSON.stringify(seen)}`);
}

/**
 * Starts a primary (initdb; wal_level replica by default, synchronous_commit on, synchronous_standby_names
 * '*') and a standby made with `pg_basebackup -R` on a free port of its own, and waits until the
 * standby streams as the synchronous one: from then on a commit is acknowledged only once the
 * standby has it, so a promoted standby holds every acknowledged write.
 */
export async function startReplicaPair({ tools, baseDirectory, maxConnections = 60 }: ReplicaPairOptions): Promise<ReplicaPair> {
  const asUser = async (program: string, args: string[]): Promise<void> => {
    const [command, commandArgs] = tools.asDatabaseUser(program, args);
    await run(command, commandArgs, { cwd: baseDirectory, env: environmentWithoutPg(), timeout: 120_000 });
  };
  const urlOf = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  const primary = await startTempPostgresServer({ tools, baseDirectory, name: 'primary', maxConnections });
  // startTempPostgresServer keeps the cluster in <baseDirectory>/<name>.
  const primaryDirectory = join(baseDirectory, 'primary');
  appendFileSync(join(primaryDirectory, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
  // wal_level is not set: it only changes at a restart (pg_reload_conf would not apply it), and its
  // default, replica, is what streaming needs. synchronous_commit takes effect on reload.
  appendFileSync(join(primaryDirectory, 'postgresql.conf'), 'synchronous_commit = on\n');
  await query('select pg_reload_conf()', [], urlOf(primary.port));
  const [walLevel] = await query<{ wal_level: string }>('show wal_level', [], urlOf(primary.port));
  if (walLevel?.wal_level !== 'replica' && walLevel?.wal_level !== 'logical') throw new Error(`the primary runs with wal_level ${String(walLevel?.wal_level)}: no streaming`);

  const standbyDirectory = join(baseDirectory, 'standby');
  const socketDirectory = join(baseDirectory, 'standby-socket');
  const logFile = join(baseDirectory, 'standby.log');
  const pgCtl = (args: string[]) => asUser(tools.pgCtl, ['-D', standbyDirectory, ...args]);
  await asUser('mkdir', ['-m', '0700', socketDirectory]);
  const basebackup = join(dirname(tools.pgCtl), 'pg_basebackup');
  await asUser(basebackup, ['-D', standbyDirectory, '-R', '-X', 'stream', '-c', 'fast', '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres']);
  // Once promoted, the standby has no standby of its own: it must not wait for one at commit.
  appendFileSync(
    join(standbyDirectory, 'postgresql.conf'),
    `\n# nightcrier standby\nunix_socket_directories = '${socketDirectory}'\nsynchronous_standby_names = ''\n`,
  );

  let standbyPort = 0;
  let lastError: unknown;
  // A free port can be taken between probing and binding: a few tries make that harmless.
  for (let attempt = 0; attempt < 3 && standbyPort === 0; attempt += 1) {
    const port = await freePort();
    try {
      await pgCtl(['-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`, 'start']);
      standbyPort = port;
    } catch (error) {
      lastError = error;
    }
  }
  if (standbyPort === 0) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
    await primary.stop();
    throw new Error(`the standby did not start: ${String(lastError)}\n${log}`);
  }
  // Only now: with a synchronous standby named before it streams, every commit would wait for it.
  appendFileSync(join(primaryDirectory, 'postgresql.conf'), "synchronous_standby_names = '*'\n");
  await query('select pg_reload_conf()', [], urlOf(primary.port));
  await waitForSyncStandby(urlOf(primary.port));

  const stopStandby = () => pgCtl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  return {
    primary,
    standby: { port: standbyPort, promote: () => pgCtl(['-w', '-t', '60', 'promote']), stop: stopStandby },
    urlOf,
    stop: async () => {
      await Promise.all([primary.stop(), stopStandby()]);
    },
  };
}
