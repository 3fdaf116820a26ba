import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateExternalTools } from '../support/external-tools.js';
import { handOverToDatabaseUser, startTempPostgresServer } from '../support/temp-postgres-server.js';
import type { TempPostgresServer } from '../support/temp-postgres-server.js';
import { createTestCertificates } from '../../../../test-support/tls-certificates.js';
import type { TestCertificates } from '../../../../test-support/tls-certificates.js';
import { probeWithPg, probeWithPsql } from '../support/tls-probes.js';
import type { ProbeResult, TlsOutcome } from '../support/tls-probes.js';

const MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
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
  libpq: ProbeResult;
  ours: ProbeResult;
}

const tools = locateExternalTools();
const toolsMissing = tools.missing.length > 0;
// On CI a missing tool must fail the run, not quietly shrink it.
const skip = toolsMissing && !process.env.CI;
if (skip) {
  console.warn(`TLS matrix skipped: ${tools.missing.join(', ')} not found (with CI set this is a failure)`);
}

/**
 * What libpq's documentation says each cell should give; checked against psql so that a broken
 * setup (say, every connection refused) cannot pass as "ours agrees with psql".
 */
function documentedOutcome({ server, host, ca, mode }: Cell): TlsOutcome {
  if (mode === 'disable') return 'plain';
  if (server === 'plain') return 'refused';
  if (ca === 'wrong') return 'refused';
  if (mode === 'require') return 'tls';
  if (ca === 'none') return 'refused'; // verify-* without a root certificate
  if (mode === 'verify-ca') return 'tls';
  return host === 'localhost' ? 'tls' : 'refused'; // the certificate names localhost only
}

describe.skipIf(skip)('sslmode: parsePostgresUrl + pg agree with libpq (psql)', () => {
  let baseDirectory = '';
  let emptyHome = '';
  let certificates: TestCertificates;
  const servers: Partial<Record<Cell['server'], TempPostgresServer>> = {};

  beforeAll(async () => {
    if (toolsMissing) throw new Error(`the TLS matrix needs ${tools.missing.join(', ')}`);
    baseDirectory = mkdtempSync(join(tmpdir(), 'nightcrier-pg-tls-'));
    certificates = createTestCertificates(tools.openssl, join(baseDirectory, 'certs'));
    chmodSync(certificates.serverKey, 0o600); // PostgreSQL refuses a key others can read
    emptyHome = join(baseDirectory, 'empty-home');
    mkdirSync(emptyHome);
    await handOverToDatabaseUser(baseDirectory);
    const [tls, plain] = await Promise.all([
      startTempPostgresServer({
        tools,
        baseDirectory,
        name: 'tls',
        tls: { certFile: certificates.serverCert, keyFile: certificates.serverKey },
      }),
      startTempPostgresServer({ tools, baseDirectory, name: 'plain' }),
    ]);
    servers.tls = tls;
    servers.plain = plain;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    if (baseDirectory !== '') rmSync(baseDirectory, { recursive: true, force: true });
  }, 60_000);

  const rootCertFor = (ca: Cell['ca']): string | undefined =>
    ca === 'none' ? undefined : ca === 'right' ? certificates.caCert : certificates.wrongCaCert;

  it('gives the same outcome as psql in all 48 cells of mode × host × CA × server', async () => {
    const rows: Row[] = [];
    const previous = process.env.PGSSLMODE;
    // pg would read this if the parser left `ssl` unset; psql never sees it (its env is PG*-free).
    process.env.PGSSLMODE = 'verify-full';
    try {
      for (const server of SERVERS) {
        for (const host of HOSTS) {
          for (const ca of CAS) {
            for (const mode of MODES) {
              const target = { host, port: serverPort(server), sslMode: mode, rootCert: rootCertFor(ca) };
              const libpq = await probeWithPsql(tools.psql, target, emptyHome);
              const ours = await probeWithPg(target);
              rows.push({ server, host, ca, mode, libpq, ours });
            }
          }
        }
      }
    } finally {
      if (previous === undefined) delete process.env.PGSSLMODE;
      else process.env.PGSSLMODE = previous;
    }
    console.log(formatTable(rows));

    expect(rows).toHaveLength(48);
    const describeCell = (row: Row): string => `${row.server} server, ${row.host}, CA ${row.ca}, sslmode=${row.mode}`;
    expect(rows.filter((row) => row.libpq.outcome !== documentedOutcome(row)).map(describeCell)).toEqual([]);
    expect(rows.filter((row) => row.ours.outcome !== row.libpq.outcome).map(describeCell)).toEqual([]);
  }, 300_000);

  it('over a Unix socket neither side uses TLS, as libpq ignores sslmode there', async () => {
    const socket = servers.tls?.socketDirectory ?? '';
    for (const mode of ['disable', 'require', 'verify-full'] as const) {
      const target = { host: socket, port: serverPort('tls'), sslMode: mode, rootCert: certificates.caCert };
      const libpq = await probeWithPsql(tools.psql, target, emptyHome);
      const ours = await probeWithPg(target);
      expect({ mode, libpq: libpq.outcome, ours: ours.outcome }).toEqual({ mode, libpq: 'plain', ours: 'plain' });
    }
  }, 60_000);

  function serverPort(server: Cell['server']): number {
    const found = servers[server];
    if (found === undefined) throw new Error(`the ${server} server did not start`);
    return found.port;
  }
});

function formatTable(rows: Row[]): string {
  const header = ['server', 'host', 'CA', 'sslmode', 'psql', 'ours', 'why refused (psql | ours)'];
  const lines = rows.map((row) => [
    row.server,
    row.host,
    row.ca,
    row.mode,
    row.libpq.outcome,
    row.ours.outcome + (row.ours.outcome === row.libpq.outcome ? '' : '  <-- MISMATCH'),
    row.libpq.outcome === 'refused' || row.ours.outcome === 'refused' ? `${brief(row.libpq.detail)} | ${brief(row.ours.detail)}` : '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return ['TLS matrix (libpq via psql vs parsePostgresUrl + pg):', render(header), ...lines.map(render)].join('\n');
}

function brief(detail: string): string {
  return detail
    .replace(/^connection to server at .*?failed: /, '')
    .replace(/^(ValidationError: invalid url: [^:]*):.*$/, '$1')
    .slice(0, 60);
}
