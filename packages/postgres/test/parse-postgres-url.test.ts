import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { ValidationError } from '@nightcrier/storage-core';
import { Client } from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parsePostgresUrl } from '../src/parse-postgres-url.js';

// The parser only checks PEM markers; real certificates are exercised by the TLS matrix.
const folder = mkdtempSync(join(tmpdir(), 'nightcrier-pg-url-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const pemFile = (name: string, body: string): string => {
  const path = join(folder, name);
  writeFileSync(path, body);
  return path;
};
const CA = pemFile('ca.crt', '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n');
const CERT = pemFile('client.crt', '-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n');
const KEY = pemFile('client.key', '-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----\n');
const NOT_PEM = pemFile('secret.txt', 'TOP-SECRET-CONTENT\n');
const MISSING = join(folder, 'missing.crt');
const enc = encodeURIComponent;

function tlsOf(url: string): ConnectionOptions {
  const { ssl } = parsePostgresUrl(url).clientConfig;
  if (typeof ssl !== 'object') throw new Error(`expected TLS settings, got ${String(ssl)}`);
  return ssl;
}

function refusal(url: string): ValidationError {
  try {
    parsePostgresUrl(url);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('url');
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('parsePostgresUrl: where to connect', () => {
  it('reads host, port, user, password and database, percent-decoded', () => {
    const { clientConfig } = parsePostgresUrl('postgres://al%40ice:p%40ss%3Aw%2Fd@db.example.com:6543/my%20db');
    expect(clientConfig).toMatchObject({ host: 'db.example.com', port: 6543, user: 'al@ice', password: 'p@ss:w/d', database: 'my db' });
  });

  it('accepts postgresql:// and the scheme in any case', () => {
    expect(parsePostgresUrl('postgresql://u@h/d').clientConfig).toMatchObject({ host: 'h', user: 'u', database: 'd' });
    expect(parsePostgresUrl('POSTGRES://u@h/d').clientConfig.host).toBe('h');
  });

  it('defaults to localhost:5432, user postgres, database = user, no TLS', () => {
    const parsed = parsePostgresUrl('postgres://');
    expect(parsed.clientConfig).toMatchObject({ host: 'localhost', port: 5432, user: 'postgres', database: 'postgres', ssl: false });
    expect(parsed.sslMode).toBe('disable');
    expect(parsePostgresUrl('postgres://alice@db/').clientConfig.database).toBe('alice');
    expect(parsePostgresUrl('postgres:///inventory').clientConfig).toMatchObject({ host: 'localhost', database: 'inventory' });
  });

  it('strips the brackets of an IPv6 address', () => {
    expect(parsePostgresUrl('postgres://[::1]:5433/d').clientConfig).toMatchObject({ host: '::1', port: 5433 });
  });

  it('takes a Unix socket directory percent-encoded as the host or as ?host=', () => {
    expect(parsePostgresUrl('postgres://u:pw@%2Frun%2Fpostgresql/d').clientConfig.host).toBe('/run/postgresql');
    expect(parsePostgresUrl('postgres:///d?host=/run/postgresql').clientConfig.host).toBe('/run/postgresql');
    expect(refusal('postgres://h/d?host=/tmp').message).toMatch(/host twice/);
    expect(refusal('postgres:///d?host=').message).toMatch(/host is empty/);
  });

  it('never uses TLS on a Unix socket, as libpq ignores sslmode there, but still validates it', () => {
    const parsed = parsePostgresUrl(`postgres://%2Ftmp/d?sslmode=verify-full&sslrootcert=${enc(CA)}`);
    expect(parsed.clientConfig.ssl).toBe(false);
    expect(parsed.sslMode).toBe('verify-full');
    expect(refusal('postgres://%2Ftmp/d?sslmode=prefer').message).toMatch(/plaintext/);
  });

  it('refuses what is not a postgres URL, port 0, fragments and broken %-escapes', () => {
    expect(refusal('mysql://h/d').message).toMatch(/starts with postgres:\/\//);
    expect(refusal('postgres:h/d').message).toMatch(/starts with postgres:\/\//);
    expect(refusal('postgres://h:99999/d').message).toMatch(/cannot be parsed/);
    expect(refusal('postgres://h:0/d').message).toMatch(/port/);
    expect(refusal('postgres://u:pw@h/d#x').message).toMatch(/fragment/);
    expect(refusal('postgres://u@h/d%zz').message).toMatch(/database name has a malformed/);
  });

  it('without a password hands pg a function answering "", so pg asks neither PGPASSWORD nor ~/.pgpass', async () => {
    for (const url of ['postgres://u@h/d', 'postgres://u:@h/d']) {
      const { password } = parsePostgresUrl(url).clientConfig;
      expect(typeof password).toBe('function');
      expect(await (password as () => string)()).toBe('');
    }
  });

  it('sets explicitly what pg would otherwise take from PG* variables', () => {
    expect(parsePostgresUrl('postgres://u:p@h/d').clientConfig).toMatchObject({
      sslnegotiation: 'postgres',
      client_encoding: 'UTF8',
      connectionTimeoutMillis: 0,
    });
    expect(parsePostgresUrl('postgres://u:p@h/d').clientConfig).not.toHaveProperty('connectionString');
  });
});

describe('parsePostgresUrl: sslmode', () => {
  it('disable (and no sslmode at all) means plaintext', () => {
    expect(parsePostgresUrl('postgres://h/d?sslmode=disable').clientConfig.ssl).toBe(false);
    expect(parsePostgresUrl('postgres://h/d').clientConfig.ssl).toBe(false);
  });

  it('disable still reads the certificate files, so a broken URL fails before TLS is switched on', () => {
    expect(parsePostgresUrl(`postgres://h/d?sslmode=disable&sslrootcert=${enc(CA)}`).clientConfig.ssl).toBe(false);
    expect(refusal(`postgres://h/d?sslmode=disable&sslrootcert=${enc(MISSING)}`).message).toMatch(/sslrootcert/);
  });

  it('require encrypts without checking the certificate', () => {
    expect(tlsOf('postgres://h/d?sslmode=require')).toEqual({ rejectUnauthorized: false });
  });

  it('require with sslrootcert checks the chain but not the host name, as libpq does', () => {
    const tls = tlsOf(`postgres://h/d?sslmode=require&sslrootcert=${enc(CA)}`);
    expect(tls.rejectUnauthorized).toBe(true);
    expect(String(tls.ca)).toContain('BEGIN CERTIFICATE');
    expect(tls.checkServerIdentity?.('elsewhere', {} as never)).toBeUndefined();
  });

  it('verify-ca checks the chain against sslrootcert, not the host name', () => {
    const tls = tlsOf(`postgres://h/d?sslmode=verify-ca&sslrootcert=${enc(CA)}`);
    expect(tls.rejectUnauthorized).toBe(true);
    expect(String(tls.ca)).toContain('BEGIN CERTIFICATE');
    expect(tls.checkServerIdentity?.('elsewhere', {} as never)).toBeUndefined();
  });

  it('verify-ca without sslrootcert is refused, saying ~/.postgresql/root.crt is not read', () => {
    const error = refusal('postgres://h/d?sslmode=verify-ca');
    expect(error.message).toMatch(/sslrootcert/);
    expect(error.message).toContain('~/.postgresql/root.crt');
  });

  it('verify-full checks chain and host name, with sslrootcert or else the default CA store', () => {
    const withCa = tlsOf(`postgres://h/d?sslmode=verify-full&sslrootcert=${enc(CA)}`);
    expect(withCa.rejectUnauthorized).toBe(true);
    expect(String(withCa.ca)).toContain('BEGIN CERTIFICATE');
    expect(withCa.checkServerIdentity).toBeUndefined(); // Node's own host name check stays
    expect(tlsOf('postgres://h/d?sslmode=verify-full')).toEqual({ rejectUnauthorized: true });
  });

  it('sslrootcert=system means the default CA store, with verify-full only (as in libpq 16)', () => {
    expect(tlsOf('postgres://h/d?sslmode=verify-full&sslrootcert=system')).toEqual({ rejectUnauthorized: true });
    expect(refusal('postgres://h/d?sslmode=require&sslrootcert=system').message).toMatch(/only be used with sslmode=verify-full/);
    expect(refusal('postgres://h/d?sslmode=verify-ca&sslrootcert=system').message).toMatch(/verify-full/);
  });

  it.each(['prefer', 'allow'])('refuses %s, which would silently fall back to plaintext', (mode) => {
    const error = refusal(`postgres://h/d?sslmode=${mode}`);
    expect(error.message).toMatch(/plaintext/);
    expect(error.message).toMatch(/disable, require, verify-ca or verify-full/);
  });

  it.each(['', 'REQUIRE', 'verify_full', 'no-verify', 'true'])('refuses sslmode=%j', (mode) => {
    expect(refusal(`postgres://h/d?sslmode=${mode}`).message).toMatch(/sslmode must be disable, require, verify-ca or verify-full/);
  });

  it('refuses TLS file parameters without an sslmode rather than guess', () => {
    for (const query of [`sslrootcert=${enc(CA)}`, `sslcert=${enc(CERT)}&sslkey=${enc(KEY)}`]) {
      expect(refusal(`postgres://h/d?${query}`).message).toMatch(/without sslmode/);
    }
  });

  it('refuses sslmode given twice, so the last one cannot quietly win', () => {
    expect(refusal('postgres://h/d?sslmode=verify-full&sslmode=disable').message).toMatch(/sslmode is given twice/);
  });
});

describe('parsePostgresUrl: certificate files', () => {
  it('reads sslcert and sslkey into a client certificate, sslpassword into its passphrase', () => {
    const tls = tlsOf(`postgres://h/d?sslmode=verify-full&sslrootcert=${enc(CA)}&sslcert=${enc(CERT)}&sslkey=${enc(KEY)}&sslpassword=k%2By`);
    expect(String(tls.cert)).toContain('Q0VSVA==');
    expect(String(tls.key)).toContain('S0VZ');
    expect(tls.passphrase).toBe('k+y');
    expect(tlsOf(`postgres://h/d?sslmode=require&sslcert=${enc(CERT)}&sslkey=${enc(KEY)}`)).toMatchObject({ rejectUnauthorized: false });
  });

  it('wants sslcert and sslkey together, and sslpassword only with them', () => {
    expect(refusal(`postgres://h/d?sslmode=require&sslcert=${enc(CERT)}`).message).toMatch(/sslcert and sslkey go together/);
    expect(refusal(`postgres://h/d?sslmode=require&sslkey=${enc(KEY)}`).message).toMatch(/sslcert and sslkey go together/);
    expect(refusal('postgres://h/d?sslmode=require&sslpassword=x').message).toMatch(/sslpassword is given without/);
  });

  it.each(['sslrootcert', 'sslcert', 'sslkey'])('an unreadable %s file is refused, naming the parameter', (parameter) => {
    const files: Record<string, string> = { sslrootcert: CA, sslcert: CERT, sslkey: KEY, [parameter]: MISSING };
    const query = Object.entries(files).map(([key, path]) => `${key}=${enc(path)}`).join('&');
    const error = refusal(`postgres://h/d?sslmode=verify-full&${query}`);
    expect(error.message).toContain(`cannot read the ${parameter} file`);
    expect(error.message).toContain('ENOENT');
  });

  it('a file that is not PEM is refused without quoting its content', () => {
    const error = refusal(`postgres://h/d?sslmode=verify-ca&sslrootcert=${enc(NOT_PEM)}`);
    expect(error.message).toMatch(/sslrootcert file .* is not in PEM format/);
    expect(error.message).not.toContain('TOP-SECRET');
    expect(refusal(`postgres://h/d?sslmode=require&sslcert=${enc(CERT)}&sslkey=${enc(CERT)}`).message).toMatch(/sslkey file/);
    expect(refusal('postgres://h/d?sslmode=require&sslrootcert=').message).toMatch(/sslrootcert is empty/);
  });
});

describe('parsePostgresUrl: other parameters', () => {
  it('passes application_name and options through, keeping + as libpq does', () => {
    const { clientConfig } = parsePostgresUrl('postgres://h/d?application_name=triage+bot%201&options=-c%20search_path%3Dops');
    expect(clientConfig.application_name).toBe('triage+bot 1');
    expect(clientConfig.options).toBe('-c search_path=ops');
  });

  it.each([
    ['0', 0],
    ['1', 2000],
    ['2', 2000],
    ['30', 30_000],
  ])('connect_timeout=%s waits %i ms (0: indefinitely; at least 2 s, as in libpq)', (seconds, millis) => {
    expect(parsePostgresUrl(`postgres://h/d?connect_timeout=${seconds}`).clientConfig.connectionTimeoutMillis).toBe(millis);
  });

  it.each(['-1', '1.5', 'ten', ''])('refuses connect_timeout=%j', (value) => {
    expect(refusal(`postgres://h/d?connect_timeout=${value}`).message).toMatch(/connect_timeout must be a whole number/);
  });

  it('prepared_statements=true|false is read; anything else is refused', () => {
    expect(parsePostgresUrl('postgres://h/d?prepared_statements=false').preparedStatements).toBe(false);
    expect(parsePostgresUrl('postgres://h/d?prepared_statements=true').preparedStatements).toBe(true);
    expect(parsePostgresUrl('postgres://h/d').preparedStatements).toBeUndefined();
    for (const value of ['0', 'off', 'FALSE', '']) {
      expect(refusal(`postgres://h/d?prepared_statements=${value}`).message).toMatch(/prepared_statements must be true or false/);
    }
  });

  it('refuses unknown parameters, listing the known ones, so a typo cannot weaken TLS', () => {
    for (const query of ['sslmod=verify-full', 'ssl=true', 'SSLMODE=require', 'password=x', 'target_session_attr=any']) {
      const error = refusal(`postgres://h/d?${query}`);
      expect(error.message).toMatch(/unknown parameter/);
      expect(error.message).toContain('known: sslmode, sslrootcert, sslcert, sslkey, sslpassword, application_name, connect_timeout, prepared_statements, options, host');
    }
    expect(refusal('postgres://h/d?password=hunter2').message).not.toContain('hunter2');
  });
});

describe('parsePostgresUrl: secrets', () => {
  it('lists the password (decoded and as written), the sslpassword and the whole URL', () => {
    const url = `postgres://u:s%40cret@h/d?sslmode=require&sslcert=${enc(CERT)}&sslkey=${enc(KEY)}&sslpassword=k%2Fey`;
    expect(parsePostgresUrl(url).secrets).toEqual(expect.arrayContaining(['s@cret', 's%40cret', 'k/ey', 'k%2Fey', url]));
    expect(parsePostgresUrl('postgres://u@h/d').secrets).toEqual(['postgres://u@h/d']);
  });

  it('never puts the password or the URL into an error message or its cause', () => {
    const bad = [
      'postgres://u:hunter2@h:99999/d',
      'postgres://u:hunter2@h1:5432,h2:hunter2/d',
      'postgres://u:hunter2@h/d#frag',
      'postgres://u:hunter2@h/d?sslmode=prefer',
      'postgres://u:hunter2@h/d?sslmode=hunter',
      'postgres://u:hunter2@h/d?sslmode=verify-ca',
      `postgres://u:hunter2@h/d?sslmode=require&sslrootcert=${enc(MISSING)}`,
      'postgres://u:hunter2@h/d?bogus=1',
      'postgres://u:hunter2%zz@h/d',
    ];
    for (const url of bad) {
      const error = refusal(url);
      expect(error.message).not.toContain('hunter2');
      expect(error.message).not.toContain(url);
      expect(JSON.stringify(error.cause ?? null)).not.toContain('hunter2');
    }
  });
});

describe('parsePostgresUrl: PG* environment variables change nothing', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });
  const poison = (): void => {
    Object.assign(process.env, {
      PGSSLMODE: 'require',
      PGHOST: 'evil.example.com',
      PGPORT: '6666',
      PGUSER: 'mallory',
      PGPASSWORD: 'from-env',
      PGDATABASE: 'elsewhere',
      PGSSLROOTCERT: MISSING,
      PGCONNECT_TIMEOUT: '1',
      PGSSLNEGOTIATION: 'direct',
      PGCLIENT_ENCODING: 'LATIN1',
    });
  };
  const urls = ['postgres://', 'postgres://u@h/d?sslmode=disable', `postgres://u:pw@h:1234/d?sslmode=verify-ca&sslrootcert=${enc(CA)}`];

  it('in what the parser returns', () => {
    // Functions (the empty password, checkServerIdentity) are fresh closures each time: compare their kind.
    const comparable = (url: string): unknown =>
      JSON.parse(JSON.stringify(parsePostgresUrl(url), (_key, value: unknown) => (typeof value === 'function' ? 'function' : value)));
    const before = urls.map(comparable);
    poison();
    expect(urls.map(comparable)).toEqual(before);
  });

  it('in the settings pg derives from it', async () => {
    poison();
    for (const url of urls) {
      const { clientConfig } = parsePostgresUrl(url);
      const derived = (new Client(clientConfig) as unknown as { connectionParameters: Record<string, unknown> }).connectionParameters;
      expect(derived).toMatchObject({
        host: clientConfig.host,
        port: clientConfig.port,
        user: clientConfig.user,
        database: clientConfig.database,
        ssl: clientConfig.ssl,
        sslnegotiation: 'postgres',
        client_encoding: 'UTF8',
        connect_timeout: 0,
      });
      const password = derived['password'];
      expect(typeof password === 'function' ? await (password as () => string)() : password).toBe(url.includes(':pw@') ? 'pw' : '');
    }
  });
});
