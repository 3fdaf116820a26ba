import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ValidationError } from '@nightcrier/storage-core';
import mysql from 'mysql2/promise';
import { createMysqlStateStore } from '../../src/index.js';
import { parseMysqlUrl } from '../../src/parse-mysql-url.js';
import type { MysqlSslMode } from '../../src/parse-mysql-url.js';

const run = promisify(execFile);

/** How a connection attempt ended: encrypted, in plain text, or not at all. */
export type TlsOutcome = 'tls' | 'plain' | 'refused';

export interface ProbeResult {
  outcome: TlsOutcome;
  /** Why it was refused (first line of the error), for the printed table. */
  detail: string;
}

export interface OurProbeResult extends ProbeResult {
  /** Refused by the URL parser (a ValidationError) before any connection was tried. */
  validation: boolean;
  /** What a bare mysql2 connection made from parseMysqlUrl's settings saw; must equal `outcome`. */
  parsedOutcome: TlsOutcome;
  /** The error thrown by createMysqlStateStore or health(), for the secrets check. */
  error?: unknown;
}

export interface ProbeTarget {
  host: string;
  port: number;
  mode: MysqlSslMode;
  /** The CA file to pass; undefined passes none. */
  caFile: string | undefined;
  /** A client certificate and key to present. */
  client?: { certFile: string; keyFile: string };
  user: string;
  password: string;
}

const SSL_QUERY = "SHOW SESSION STATUS LIKE 'Ssl_cipher'";

/**
 * How each MySQL ssl-mode is said to MariaDB 10.11's `mariadb` client, which has no --ssl-mode:
 *
 * - DISABLED        → --skip-ssl
 * - REQUIRED        → --ssl (no --ssl-ca: MySQL's own client drops ssl-ca below VERIFY_CA, with a
 *                     warning, and Connector/C would check the chain if it got one)
 * - VERIFY_CA       → --ssl --ssl-ca=FILE (given a CA, Connector/C checks the chain but not the name)
 * - VERIFY_IDENTITY → --ssl --ssl-verify-server-cert [--ssl-ca=FILE] (chain and host name)
 *
 * Closest, not equal: in 10.11 only --ssl-verify-server-cert refuses a server without TLS, and
 * without --ssl-ca nothing is checked unless --ssl-verify-server-cert is set. The matrix lists
 * where this shows.
 */
export function mariadbTlsFlags(mode: MysqlSslMode, caFile: string | undefined): string[] {
  const ca = caFile === undefined ? [] : [`--ssl-ca=${caFile}`];
  switch (mode) {
    case 'DISABLED':
      return ['--skip-ssl'];
    case 'REQUIRED':
      return ['--ssl'];
    case 'VERIFY_CA':
      return ['--ssl', ...ca];
    case 'VERIFY_IDENTITY':
      return ['--ssl', '--ssl-verify-server-cert', ...ca];
  }
}

/** The environment without MYSQL_* / MARIADB_* variables (MYSQL_PWD, MYSQL_HOST, …) that the client would read. */
function environmentWithoutMysql(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(MYSQL|MARIADB)/i.test(name)));
}

/** The `mariadb` client's verdict: --no-defaults, so no option file takes part. */
export async function probeWithMariadbCli(mariadb: string, target: ProbeTarget): Promise<ProbeResult> {
  const args = [
    '--no-defaults',
    // Without it, -h localhost means the default Unix socket, which may be another server entirely.
    '--protocol=TCP',
    `--host=${target.host}`,
    `--port=${target.port}`,
    `--user=${target.user}`,
    '--connect-timeout=10',
    ...mariadbTlsFlags(target.mode, target.caFile),
    ...(target.client === undefined ? [] : [`--ssl-cert=${target.client.certFile}`, `--ssl-key=${target.client.keyFile}`]),
    '--batch',
    '--skip-column-names',
    `--execute=${SSL_QUERY}`,
  ];
  // The password travels in the environment, not in argv where `ps` shows it.
  const env = { ...environmentWithoutMysql(), ...(target.password === '' ? {} : { MYSQL_PWD: target.password }) };
  try {
    const { stdout } = await run(mariadb, args, { env, timeout: 60_000 });
    // A batch row is "Ssl_cipher<TAB>value"; the value is empty on a plain connection.
    const row = stdout.split('\n').find((line) => line.startsWith('Ssl_cipher'));
    return fromCipher(row === undefined ? undefined : (row.split('\t')[1] ?? ''));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    return { outcome: 'refused', detail: firstLine(stderr) };
  }
}

/** The URL our adapter gets for `target`. */
export function ourUrl(target: ProbeTarget, database = 'nc_test'): string {
  const enc = encodeURIComponent;
  const query = [`ssl-mode=${target.mode}`, 'connect-timeout=10'];
  if (target.caFile !== undefined) query.push(`ssl-ca=${enc(target.caFile)}`);
  if (target.client !== undefined) query.push(`ssl-cert=${enc(target.client.certFile)}`, `ssl-key=${enc(target.client.keyFile)}`);
  const password = target.password === '' ? '' : `:${enc(target.password)}`;
  return `mysql://${enc(target.user)}${password}@${target.host}:${target.port}/${database}?${query.join('&')}`;
}

/** The server's counters of connections and completed TLS handshakes, read over `admin`. */
async function handshakeCounters(admin: mysql.Connection): Promise<{ connections: number; tls: number }> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS WHERE Variable_name IN ('Connections', 'Ssl_finished_accepts')");
  const value = (name: string) => Number(rows.find((row) => row['Variable_name'] === name)?.['Value']);
  return { connections: value('Connections'), tls: value('Ssl_finished_accepts') };
}

/**
 * Our verdict. The store is opened and asked `health()`; whether its own sessions used TLS is the
 * server's view: its counters of connections and completed TLS handshakes, read over `admin`
 * before and after (nothing else connects to the server meanwhile). Then a bare mysql2 connection
 * with exactly parseMysqlUrl's settings asks its session's Ssl_cipher, which must agree.
 */
export async function probeOurs(target: ProbeTarget, admin: mysql.Connection): Promise<OurProbeResult> {
  const url = ourUrl(target);
  const before = await handshakeCounters(admin);
  let result: Omit<OurProbeResult, 'parsedOutcome'>;
  try {
    const store = await createMysqlStateStore({ url, migrate: false });
    try {
      await store.health();
    } finally {
      await store.close();
    }
    const after = await handshakeCounters(admin);
    const connections = after.connections - before.connections;
    const handshakes = after.tls - before.tls;
    const outcome: TlsOutcome = connections > 0 && handshakes === connections ? 'tls' : connections > 0 && handshakes === 0 ? 'plain' : 'refused';
    result = { outcome, validation: false, detail: outcome === 'refused' ? `${connections} connection(s), ${handshakes} TLS handshake(s)` : '' };
  } catch (error) {
    const validation = error instanceof ValidationError && error.field === 'url';
    const message = error instanceof Error ? error.message : String(error);
    result = { outcome: 'refused', validation, detail: firstLine(validation ? `ValidationError: ${message}` : message), error };
  }
  return { ...result, parsedOutcome: await probeParsed(url) };
}

/** A bare mysql2 connection with the settings parseMysqlUrl returned, asking its own session. */
export async function probeParsed(url: string): Promise<TlsOutcome> {
  let connection: mysql.Connection | undefined;
  try {
    const { connection: settings, connectTimeoutMs } = parseMysqlUrl(url);
    connection = await mysql.createConnection({ ...settings, connectTimeout: connectTimeoutMs ?? 10_000 });
    const [rows] = await connection.query<mysql.RowDataPacket[]>(SSL_QUERY);
    return fromCipher(rows[0]?.['Value'] as string | undefined).outcome;
  } catch {
    return 'refused';
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

function fromCipher(cipher: string | undefined): ProbeResult {
  if (cipher === undefined) return { outcome: 'refused', detail: 'no Ssl_cipher row' };
  return { outcome: cipher === '' ? 'plain' : 'tls', detail: '' };
}

export function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 110);
}
