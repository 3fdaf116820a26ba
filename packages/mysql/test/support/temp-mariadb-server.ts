import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../../test-support/free-port.js';

const run = promisify(execFile);

/** A throwaway MariaDB server on 127.0.0.1: accounts `root` and `nc_test` without password, database `nc_test`. */
export interface TempMariadb {
  port: number;
  /** mysql://root@127.0.0.1:port/<database> */
  url(database?: string): string;
  /** Restarts the server on the same port and data (SIGKILL first when `crash`). */
  restart(crash?: boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface TempMariadbOptions {
  /** Serve TLS with these PEM files (copied where the server's OS user can read them). */
  tls?: { caFile: string; certFile: string; keyFile: string };
  serverArgs?: string[];
}

function osIds(user: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  return line === undefined ? undefined : { uid: Number(uid), gid: Number(gid) };
}

/**
 * The `mariadbd` program: Debian keeps it in /usr/sbin, off a normal user's PATH; elsewhere it may
 * be anywhere on PATH. Undefined when there is none, for tests that must fail (on CI) or skip.
 */
export function locateMariadbServer(): string | undefined {
  for (const candidate of ['/usr/sbin/mariadbd', '/usr/local/sbin/mariadbd']) if (existsSync(candidate)) return candidate;
  try {
    const found = execFileSync('sh', ['-c', 'command -v mariadbd'], { encoding: 'utf8' }).trim();
    return found === '' ? undefined : found;
  } catch {
    return undefined;
  }
}

/** True once the server sends its handshake packet (protocol version 10). */
function handshakeSeen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (bytes) => done(bytes.length > 4 && bytes[4] === 10));
  });
}

/**
 * `mariadb-install-db` into a fresh folder below the system temp folder, world-traversable and owned
 * by the `mysql` OS user (the server refuses to run as root), so this works wherever the checkout
 * lives; then `mariadbd` on a free port. Accounts are made by `--init-file` at each start: the
 * bootstrap runs with --skip-grant-tables, where CREATE USER fails. Ready in ~1–2 s here.
 */
export async function startTempMariadb(options: TempMariadbOptions = {}): Promise<TempMariadb> {
  const server = locateMariadbServer();
  if (server === undefined) throw new Error('no mariadbd program (looked in /usr/sbin, /usr/local/sbin and on PATH)');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? osIds('mysql') : undefined;
  if (asRoot && ids === undefined) throw new Error('no `mysql` OS user to run mariadbd as');
  const own = (path: string) => {
    if (ids !== undefined) chownSync(path, ids.uid, ids.gid);
  };
  const dir = mkdtempSync(join(tmpdir(), 'nightcrier-mariadb-'));
  chmodSync(dir, 0o755);
  own(dir);
  const datadir = join(dir, 'data');
  // A temp folder of its own: bootstraps sharing /tmp were seen to clash on their
  // '#sql-temptable-…' files and abort ("Unknown table 'mysql.tmp_user_sys'") when two servers start at once.
  const serverTmp = join(dir, 'tmp');
  mkdirSync(serverTmp, { mode: 0o700 });
  own(serverTmp);
  const tlsArgs: string[] = [];
  if (options.tls !== undefined) {
    const tlsDir = join(dir, 'tls');
    mkdirSync(tlsDir, { mode: 0o700 });
    own(tlsDir);
    for (const [flag, source, name] of [
      ['--ssl-ca', options.tls.caFile, 'ca.pem'],
      ['--ssl-cert', options.tls.certFile, 'cert.pem'],
      ['--ssl-key', options.tls.keyFile, 'key.pem'],
    ] as const) {
      const target = join(tlsDir, name);
      copyFileSync(source, target);
      chmodSync(target, 0o600);
      own(target);
      tlsArgs.push(`${flag}=${target}`);
    }
  }
  const accounts = join(dir, 'accounts.sql');
  writeFileSync(
    accounts,
    [
      "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';",
      "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
      "CREATE USER IF NOT EXISTS 'nc_test'@'127.0.0.1' IDENTIFIED BY '';",
      "GRANT ALL PRIVILEGES ON *.* TO 'nc_test'@'127.0.0.1';",
      'CREATE DATABASE IF NOT EXISTS nc_test;',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const userArgs = asRoot ? ['--user=mysql'] : [];
  try {
    await run('mariadb-install-db', ['--no-defaults', ...userArgs, `--datadir=${datadir}`, `--tmpdir=${serverTmp}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'], {
      cwd: dir,
      timeout: 120_000,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let child: ChildProcess | undefined;
  let port = 0;
  const launch = async (fixedPort?: number): Promise<void> => {
    for (let attempt = 0; ; attempt += 1) {
      port = fixedPort ?? (await freePort());
      const started = performance.now();
      child = spawn(
        server,
        [
          '--no-defaults',
          ...userArgs,
          `--datadir=${datadir}`,
          `--tmpdir=${serverTmp}`,
          `--socket=${join(dir, 'mysqld.sock')}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--pid-file=${join(dir, 'mysqld.pid')}`,
          '--skip-name-resolve',
          '--skip-log-bin',
          '--performance-schema=OFF',
          '--innodb-buffer-pool-size=64M',
          '--innodb-log-file-size=16M',
          '--innodb-flush-log-at-trx-commit=2',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_bin',
          `--log-error=${join(dir, 'error.log')}`,
          `--init-file=${accounts}`,
          ...tlsArgs,
          ...(options.serverArgs ?? []),
        ],
        // The server takes its time zone from the environment; the store never reads it, but keep it fixed.
        { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' }, cwd: dir },
      );
      let exited = false;
      child.once('exit', () => (exited = true));
      while (!exited && performance.now() - started < 30_000) {
        if (await handshakeSeen(port)) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const log = (() => {
        try {
          return readFileSync(join(dir, 'error.log'), 'utf8').slice(-3000);
        } catch {
          return '(no error log)';
        }
      })();
      if (!exited) child.kill('SIGKILL');
      // A free port can be taken between probing and binding: try another, a few times.
      if (fixedPort !== undefined || attempt >= 2 || !/Address already in use|Can't start server/.test(log)) {
        throw new Error(`mariadbd did not start on port ${port}:\n${log}`);
      }
    }
  };
  const stopChild = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill(signal);
    const timer = setTimeout(() => current.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const cleanUp = () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  process.once('exit', cleanUp);
  return {
    port,
    url: (database = 'nc_test') => `mysql://root@127.0.0.1:${port}/${database}`,
    restart: async (crash = false) => {
      await stopChild(crash ? 'SIGKILL' : 'SIGTERM');
      await launch(port);
    },
    stop: async () => {
      await stopChild('SIGTERM');
      process.removeListener('exit', cleanUp);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
