import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ValidationError } from '@nightcrier/storage-core';
import { Client } from 'pg';
import { parsePostgresUrl } from '../../src/parse-postgres-url.js';
import { environmentWithoutPg } from './external-tools.js';

const run = promisify(execFile);

/** How a connection attempt ended: encrypted, in plaintext, or not at all. */
export type TlsOutcome = 'tls' | 'plain' | 'refused';

export interface ProbeResult {
  outcome: TlsOutcome;
  /** Why it was refused (first line of the error), for the printed table. */
  detail: string;
}

export interface ProbeTarget {
  /** A host name, an IP address, or a Unix socket directory (starts with /). */
  host: string;
  port: number;
  sslMode: string;
  /** The sslrootcert file; undefined passes no sslrootcert at all. */
  rootCert: string | undefined;
}

const SSL_QUERY = 'select ssl from pg_stat_ssl where pid = pg_backend_pid()';

/**
 * libpq's verdict, through psql, with no PG* variable and HOME an empty folder, so that neither
 * PGSSLMODE nor ~/.postgresql/root.crt can take part.
 */
export async function probeWithPsql(psql: string, target: ProbeTarget, emptyHome: string): Promise<ProbeResult> {
  const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const conninfo = [
    `host=${quote(target.host)}`,
    `port=${target.port}`,
    'user=postgres',
    'dbname=postgres',
    `sslmode=${target.sslMode}`,
    ...(target.rootCert === undefined ? [] : [`sslrootcert=${quote(target.rootCert)}`]),
    'connect_timeout=5',
  ].join(' ');
  try {
    const { stdout } = await run(psql, ['-X', '-At', '-c', SSL_QUERY, conninfo], {
      env: environmentWithoutPg({ HOME: emptyHome }),
      timeout: 20_000,
    });
    return fromSslColumn(stdout.trim());
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    return { outcome: 'refused', detail: firstLine(stderr.replace(/^psql: (error: )?/, '')) };
  }
}

/** Our verdict: parsePostgresUrl, then a plain pg.Client with exactly the settings it returned. */
export async function probeWithPg(target: ProbeTarget): Promise<ProbeResult> {
  const host = target.host.startsWith('/') ? encodeURIComponent(target.host) : target.host;
  const query = [`sslmode=${target.sslMode}`, 'connect_timeout=5'];
  if (target.rootCert !== undefined) query.push(`sslrootcert=${encodeURIComponent(target.rootCert)}`);
  let client: Client;
  try {
    client = new Client(parsePostgresUrl(`postgres://postgres@${host}:${target.port}/postgres?${query.join('&')}`).clientConfig);
  } catch (error) {
    if (error instanceof ValidationError) return { outcome: 'refused', detail: `ValidationError: ${error.message}` };
    throw error;
  }
  // A failed TLS handshake may also surface as an 'error' event; without a listener it would crash the worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ ssl: boolean }>(SSL_QUERY);
    const ssl = result.rows[0]?.ssl;
    return fromSslColumn(ssl === true ? 't' : ssl === false ? 'f' : String(ssl));
  } catch (error) {
    return { outcome: 'refused', detail: firstLine(error instanceof Error ? error.message : String(error)) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function fromSslColumn(value: string): ProbeResult {
  if (value === 't') return { outcome: 'tls', detail: '' };
  if (value === 'f') return { outcome: 'plain', detail: '' };
  return { outcome: 'refused', detail: `unexpected answer ${JSON.stringify(value)}` };
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 110);
}
