import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlStateStore } from '../../src/index.js';
import { locateMariadbServer, startTempMariadb } from '../support/temp-mariadb-server.js';
import type { TempMariadb } from '../support/temp-mariadb-server.js';
import { probeOurs, probeParsed, probeWithMariadbCli, ourUrl } from '../support/tls-probes.js';
import type { OurProbeResult, ProbeResult, ProbeTarget, TlsOutcome } from '../support/tls-probes.js';
import { createTestCertificates } from '../../../../test-support/tls-certificates.js';
import type { TestCertificates } from '../../../../test-support/tls-certificates.js';

const MODES = ['DISABLED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'] as const;
const HOSTS = ['localhost', '127.0.0.1'] as const;
const CAS = ['none', 'right', 'wrong'] as const;
const SERVERS = ['tls', 'plain'] as const;

interface Cell {
  server: (typeof SERVERS)[number];
  host: (typeof HOSTS)[number];
  ca: (typeof CAS)[number];
  mode: (typeof MODES)[number];
}

interface Row extends Cell {
  cli: ProbeResult;
  ours: OurProbeResult;
}

/** Where a client is expected to part from the documented outcome, and why. */
interface Expectation {
  outcome: TlsOutcome;
  /** Ours only: refused by the URL parser (ValidationError), before connecting. */
  validation?: boolean;
  /** Ours only: what the ValidationError says, so that the intended rule refused the cell. */
  message?: RegExp;
  reason?: string;
}

// Ours connects with a password (with characters that need percent-encoding) so that every refused
// cell also checks that the password stays out of the error; the CLI connects as root.
const OUR_USER = 'nc_tls';
const PASSWORD = 'Tls-m@trix:p/ss%w0rd';
const X509_USER = 'nc_x509';

function which(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function osUserExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const openssl = which('openssl');
const mariadb = which('mariadb');
const missing = [
  ...(openssl === undefined ? ['openssl'] : []),
  ...(mariadb === undefined ? ['mariadb'] : []),
  ...(which('mariadb-install-db') === undefined ? ['mariadb-install-db'] : []),
  ...(locateMariadbServer() === undefined ? ['mariadbd'] : []),
  // As root, temp-mariadb-server runs mariadbd as `mysql`: the server refuses to run as root.
  ...(process.getuid?.() === 0 && !osUserExists('mysql') ? ['a mysql OS user'] : []),
];
// On CI a missing tool must fail the run, not quietly shrink it.
const skip = missing.length > 0 && !process.env.CI;
if (skip) console.warn(`MySQL TLS matrix skipped: ${missing.join(', ')} not found (with CI set this is a failure)`);

/**
 * What MySQL's manual ("Command Options for Encrypted Connections", --ssl-mode) says each cell
 * gives. Checked against the `mariadb` client too, so that a broken setup (every connection
 * refused, say) cannot pass as "ours agrees with the documentation".
 */
function documentedOutcome({ server, host, ca, mode }: Cell): TlsOutcome {
  if (mode === 'DISABLED') return 'plain'; // ssl-ca is ignored
  if (server === 'plain') return 'refused'; // REQUIRED and stronger never fall back to plain text
  // REQUIRED checks no certificate: mysql drops ssl-ca below VERIFY_CA, warning "no verification
  // of server certificate will be done".
  if (mode === 'REQUIRED') return 'tls';
  // VERIFY_*: "fails if no valid matching CA certificates are found"; no system store holds the test CA.
  if (ca !== 'right') return 'refused';
  if (mode === 'VERIFY_CA') return 'tls';
  return host === 'localhost' ? 'tls' : 'refused'; // the certificate names localhost only
}

/** The mariadb 10.11 client, through the flag mapping of `mariadbTlsFlags`. */
function cliExpectation(cell: Cell): Expectation {
  const { server, ca, mode } = cell;
  if (server === 'plain' && (mode === 'REQUIRED' || mode === 'VERIFY_CA')) {
    return { outcome: 'plain', reason: '--ssl is only a preference; only --ssl-verify-server-cert refuses plain text' };
  }
  if (server === 'tls' && mode === 'VERIFY_CA' && ca === 'none') {
    return { outcome: 'tls', reason: 'without --ssl-ca it checks no chain short of --ssl-verify-server-cert (which adds the name)' };
  }
  return { outcome: documentedOutcome(cell) };
}

/** Ours: the documented outcome, except where the adapter deliberately refuses the URL itself. */
function ourExpectation(cell: Cell): Expectation {
  const { host, ca, mode } = cell;
  const refusedByUs = (message: RegExp, reason: string): Expectation => ({ outcome: 'refused', validation: true, message, reason });
  if (mode === 'DISABLED' && ca !== 'none') {
    return refusedByUs(/need an ssl-mode other than DISABLED/, 'ssl-ca that DISABLED would ignore is refused, not dropped');
  }
  if (mode === 'REQUIRED' && ca !== 'none') {
    return refusedByUs(/use ssl-mode=VERIFY_CA/, 'REQUIRED would ignore ssl-ca with a warning a URL cannot show; we point to VERIFY_CA');
  }
  if (ca === 'none' && (mode === 'VERIFY_CA' || mode === 'VERIFY_IDENTITY')) {
    return refusedByUs(/needs ssl-ca/, 'VERIFY_* needs ssl-ca: refused before connecting, no system trust store consulted');
  }
  if (mode === 'VERIFY_IDENTITY' && host === '127.0.0.1') {
    return refusedByUs(/not an IP address/, 'mysql2 checks an IP host against the name "localhost": this certificate would pass (see below)');
  }
  return { outcome: documentedOutcome(cell), validation: false };
}

/** Whether `secret` (or its percent-encoding) shows in the error, its stack, or any cause's. */
function leaks(error: unknown, secret: string): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const text = `${current.message}\n${current.stack ?? ''}`;
    if (text.includes(secret) || text.includes(encodeURIComponent(secret))) return true;
  }
  return false;
}

describe.skipIf(skip)('ssl-mode: parseMysqlUrl + mysql2 against the MySQL manual and the mariadb client', () => {
  let baseDirectory = '';
  let certificates: TestCertificates;
  const servers: Partial<Record<Cell['server'], TempMariadb>> = {};
  const admins: Partial<Record<Cell['server'], mysql.Connection>> = {};

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`the MySQL TLS matrix needs ${missing.join(', ')}`);
    baseDirectory = mkdtempSync(join(tmpdir(), 'nightcrier-mysql-tls-'));
    certificates = createTestCertificates(openssl as string, join(baseDirectory, 'certs'));
    const [tls, plain] = await Promise.allSettled([
      startTempMariadb({ tls: { caFile: certificates.caCert, certFile: certificates.serverCert, keyFile: certificates.serverKey } }),
      startTempMariadb(),
    ]);
    // Keep whichever started, so that afterAll stops it even when the other did not.
    if (tls.status === 'fulfilled') servers.tls = tls.value;
    if (plain.status === 'fulfilled') servers.plain = plain.value;
    for (const result of [tls, plain]) if (result.status === 'rejected') throw result.reason;
    for (const server of SERVERS) {
      // A plain connection that stays open: it reads the server's counters between attempts.
      const admin = await mysql.createConnection({ host: '127.0.0.1', port: serverOf(server).port, user: 'root', database: 'nc_test' });
      admins[server] = admin;
      const password = admin.escape(PASSWORD);
      await admin.query(`CREATE USER '${OUR_USER}'@'127.0.0.1' IDENTIFIED BY ${password}`);
      await admin.query(`GRANT ALL ON nc_test.* TO '${OUR_USER}'@'127.0.0.1'`);
    }
    // The test client certificate is signed by the CA the server checks client certificates against (its --ssl-ca).
    await adminOf('tls').query(`CREATE USER '${X509_USER}'@'127.0.0.1' IDENTIFIED BY ${adminOf('tls').escape(PASSWORD)} REQUIRE X509`);
    await adminOf('tls').query(`GRANT ALL ON nc_test.* TO '${X509_USER}'@'127.0.0.1'`);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(Object.values(admins).map((admin) => admin.end().catch(() => undefined)));
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    if (baseDirectory !== '') rmSync(baseDirectory, { recursive: true, force: true });
  }, 60_000);

  const caFileFor = (ca: Cell['ca']): string | undefined =>
    ca === 'none' ? undefined : ca === 'right' ? certificates.caCert : certificates.wrongCaCert;

  it('gives the documented outcome, or a listed difference, in all 48 cells of mode × host × CA × server', async () => {
    const rows: Row[] = [];
    for (const server of SERVERS) {
      for (const host of HOSTS) {
        for (const ca of CAS) {
          for (const mode of MODES) {
            const target: ProbeTarget = { host, port: serverOf(server).port, mode, caFile: caFileFor(ca), user: 'root', password: '' };
            const cli = await probeWithMariadbCli(mariadb as string, target);
            const ours = await probeOurs({ ...target, user: OUR_USER, password: PASSWORD }, adminOf(server));
            rows.push({ server, host, ca, mode, cli, ours });
          }
        }
      }
    }
    console.log(formatTable(rows));

    expect(rows).toHaveLength(48);
    const describeCell = (row: Row): string => `${row.server} server, ${row.host}, CA ${row.ca}, ssl-mode=${row.mode}`;
    expect(rows.filter((row) => row.cli.outcome !== cliExpectation(row).outcome).map(describeCell)).toEqual([]);
    expect(
      rows
        .filter((row) => row.ours.outcome !== ourExpectation(row).outcome || row.ours.validation !== ourExpectation(row).validation)
        .map(describeCell),
    ).toEqual([]);
    const wrongRule = (row: Row): boolean => {
      const expected = ourExpectation(row).message;
      return expected !== undefined && !expected.test(row.ours.error instanceof Error ? row.ours.error.message : '');
    };
    expect(rows.filter(wrongRule).map(describeCell)).toEqual([]);
    // The store's own sessions (server's view) and a bare mysql2 connection with the parsed settings agree.
    expect(rows.filter((row) => row.ours.parsedOutcome !== row.ours.outcome).map(describeCell)).toEqual([]);
    // Refusals are about TLS, not an account the setup got wrong.
    expect(rows.filter((row) => /access denied/i.test(`${row.cli.detail} ${row.ours.detail}`)).map(describeCell)).toEqual([]);
    expect(rows.filter((row) => leaks(row.ours.error, PASSWORD)).map(describeCell)).toEqual([]);
    expect(rows.filter((row) => row.ours.error !== undefined).length).toBeGreaterThan(0);
  }, 300_000);

  it('presents the client certificate: a REQUIRE X509 account gets in with ssl-cert and ssl-key, not without', async () => {
    const base: ProbeTarget = { host: 'localhost', port: serverOf('tls').port, mode: 'VERIFY_IDENTITY', caFile: certificates.caCert, user: X509_USER, password: PASSWORD };
    const client = { certFile: certificates.clientCert, keyFile: certificates.clientKey };

    // The mariadb client first, so that a server that does not demand the certificate fails here.
    expect((await probeWithMariadbCli(mariadb as string, { ...base, client })).outcome).toBe('tls');
    const cliWithout = await probeWithMariadbCli(mariadb as string, base);
    expect(cliWithout).toMatchObject({ outcome: 'refused', detail: expect.stringMatching(/access denied/i) });

    for (const mode of ['VERIFY_IDENTITY', 'REQUIRED'] as const) {
      const withCert = { ...base, mode, caFile: mode === 'REQUIRED' ? undefined : base.caFile, client };
      expect(await probeOurs(withCert, adminOf('tls'))).toMatchObject({ outcome: 'tls', validation: false, parsedOutcome: 'tls' });
    }
    const without = await probeOurs(base, adminOf('tls'));
    expect(without).toMatchObject({ outcome: 'refused', validation: false, parsedOutcome: 'refused' });
    expect(without.detail).toMatch(/access denied/i);
    expect(leaks(without.error, PASSWORD)).toBe(false);
  }, 60_000);

  it('a wrong password is refused without the password or the URL in the error', async () => {
    const wrong = 'Wr0ng:p@ss/word';
    const url = ourUrl({ host: 'localhost', port: serverOf('tls').port, mode: 'VERIFY_CA', caFile: certificates.caCert, user: OUR_USER, password: wrong });
    const error: unknown = await createMysqlStateStore({ url, migrate: false }).then(
      async (store) => {
        await store.close();
        return undefined;
      },
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/access denied/i);
    expect(leaks(error, wrong)).toBe(false);
    expect(leaks(error, url)).toBe(false);
    expect(await probeParsed(url)).toBe('refused');
  }, 60_000);

  it('the reason ours refuses VERIFY_IDENTITY to an IP address: mysql2 lets this localhost-only certificate through at 127.0.0.1', async () => {
    // Measured, not assumed: mysql2 sends no SNI for an IP host and Node then checks the name
    // "localhost". When this starts failing, mysql2 checks IP hosts properly and the refusal can go.
    const ca = readFileSync(certificates.caCert, 'utf8');
    const ssl = { ca, rejectUnauthorized: true, verifyIdentity: true };
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: serverOf('tls').port, user: 'root', ssl, connectTimeout: 10_000 });
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      expect(rows[0]?.['Value']).not.toBe('');
    } finally {
      await connection.end();
    }
  }, 60_000);

  function serverOf(server: Cell['server']): TempMariadb {
    const found = servers[server];
    if (found === undefined) throw new Error(`the ${server} server did not start`);
    return found;
  }

  function adminOf(server: Cell['server']): mysql.Connection {
    const found = admins[server];
    if (found === undefined) throw new Error(`no admin connection to the ${server} server`);
    return found;
  }
});

function formatTable(rows: Row[]): string {
  const header = ['server', 'host', 'CA', 'ssl-mode', 'documented', 'mariadb', 'ours', 'expected differences, refusals'];
  const lines = rows.map((row) => {
    const documented = documentedOutcome(row);
    const cli = cliExpectation(row);
    const ours = ourExpectation(row);
    const mark = (result: ProbeResult, expected: Expectation, validation = false): string =>
      `${result.outcome}${validation ? '*' : ''}${result.outcome === expected.outcome ? '' : ' <-- UNEXPECTED'}`;
    const why = [cli.reason && `mariadb 10.11: ${cli.reason}`, ours.reason && `ours: ${ours.reason}`].filter((reason) => reason !== undefined);
    const refusal = (name: string, result: ProbeResult) => (result.outcome === 'refused' ? [`${name}: ${brief(result.detail)}`] : []);
    const notes = [...why, ...refusal('mariadb said', row.cli), ...(row.ours.validation ? [] : refusal('ours said', row.ours))];
    return [row.server, row.host, row.ca, row.mode, documented, mark(row.cli, cli), mark(row.ours, ours, row.ours.validation), notes.join(' | ')];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return ['MySQL TLS matrix (* = ValidationError from the URL parser):', render(header), ...lines.map(render)].join('\n');
}

function brief(detail: string): string {
  return detail
    .replace(/^ERROR \d+ \(\w+\)( at line \d+)?: /, '')
    .replace(/^failed to open the mysql store: /, '')
    .replace(/^(ValidationError: invalid url: [^;:]*)[;:].*$/, '$1')
    .slice(0, 70);
}
