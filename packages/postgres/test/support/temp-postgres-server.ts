import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { environmentWithoutPg } from './external-tools.js';
import type { ExternalTools } from './external-tools.js';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster listening on 127.0.0.1 and a private Unix socket directory. */
export interface TempPostgresServer {
  name: string;
  port: number;
  socketDirectory: string;
  /** Restarts the server in place (same port): `immediate` kills every backend without a checkpoint, as a crash would. */
  restart(mode: 'immediate' | 'fast'): Promise<void>;
  stop(): Promise<void>;
}

export interface TempPostgresServerOptions {
  tools: ExternalTools;
  /** A folder the database OS user owns; the cluster, its socket and its log go below it. */
  baseDirectory: string;
  name: string;
  /** Serve TLS with this certificate and key (files the database user can read, key mode 0600). */
  tls?: { certFile: string; keyFile: string };
  /** `max_connections`; default 20. */
  maxConnections?: number;
  /** The `postgres` user's password: TCP connections then need it (scram-sha-256); default: trust. */
  password?: string;
  /** More `postgresql.conf` lines, in effect from the first start (e.g. `shared_preload_libraries`). */
  settings?: readonly string[];
}

/**
 * initdb + pg_ctl start; trust authentication for local and 127.0.0.1 connections, or a password
 * over TCP. The caller makes `baseDirectory` owned by the database user first (as root the programs
 * run as `postgres`); it should lie where that user can reach it (below the system temp folder,
 * not inside a checkout that may sit in a folder only root can enter).
 */
export async function startTempPostgresServer(options: TempPostgresServerOptions): Promise<TempPostgresServer> {
  const { tools, baseDirectory, name, tls, maxConnections = 20, password, settings: extraSettings = [] } = options;
  const dataDirectory = join(baseDirectory, name);
  const socketDirectory = join(baseDirectory, `${name}-socket`);
  const logFile = join(baseDirectory, `${name}.log`);
  const asUser = async (program: string, args: string[]): Promise<void> => {
    const [command, commandArgs] = tools.asDatabaseUser(program, args);
    // cwd: the database user may not be able to enter the test runner's working directory.
    await run(command, commandArgs, { cwd: baseDirectory, env: environmentWithoutPg(), timeout: 120_000 });
  };

  if (!existsSync(socketDirectory)) await asUser('mkdir', ['-m', '0700', socketDirectory]);
  const hostAuth = password === undefined ? 'trust' : 'scram-sha-256';
  const authArgs = ['--auth-local=trust', `--auth-host=${hostAuth}`];
  if (password !== undefined) {
    const passwordFile = join(baseDirectory, `${name}.pw`);
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o644 });
    authArgs.push(`--pwfile=${passwordFile}`);
  }
  await asUser(tools.initdb, ['-D', dataDirectory, '-U', 'postgres', ...authArgs, '-E', 'UTF8', '--no-sync', '--no-instructions']);

  const settings = [
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDirectory}'`,
    'fsync = off',
    `max_connections = ${maxConnections}`,
    tls === undefined ? 'ssl = off' : `ssl = on\nssl_cert_file = '${tls.certFile}'\nssl_key_file = '${tls.keyFile}'`,
    ...extraSettings,
  ];
  appendFileSync(join(dataDirectory, 'postgresql.conf'), `\n# nightcrier test server\n${settings.join('\n')}\n`);
  // A hostssl line is an error on a server without TLS, so the plain server gets host lines only.
  const hba = ['local all all trust', ...(tls === undefined ? [] : [`hostssl all all 127.0.0.1/32 ${hostAuth}`]), `host all all 127.0.0.1/32 ${hostAuth}`];
  writeFileSync(join(dataDirectory, 'pg_hba.conf'), hba.join('\n') + '\n');

  let lastError: unknown;
  // The free port can be taken between probing and binding; a few tries make that harmless.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await unusedPort();
    try {
      await asUser(tools.pgCtl, ['-D', dataDirectory, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`, 'start']);
      return {
        name,
        port,
        socketDirectory,
        // pg_ctl restart starts the server with the options it was started with (postmaster.opts): the same port.
        restart: (mode) => asUser(tools.pgCtl, ['-D', dataDirectory, '-l', logFile, '-m', mode, '-w', '-t', '60', 'restart']),
        stop: async () => {
          await asUser(tools.pgCtl, ['-D', dataDirectory, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
  throw new Error(`PostgreSQL server ${name} did not start: ${String(lastError)}\n${log}`);
}

/** Creates `directory` for the database user (chown when running as root). */
export async function handOverToDatabaseUser(directory: string): Promise<void> {
  mkdirSync(directory, { recursive: true });
  if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres:', directory]);
}

// Listen on port 0, read the port the kernel chose, close: free a moment ago, hence the retries above.
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
