import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@nightcrier/storage-core';
import type { SslOptions } from 'mysql2';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMysqlUrl } from '../src/parse-mysql-url.js';

// The parser only checks PEM markers; real certificates are exercised by the TLS matrix.
const folder = mkdtempSync(join(tmpdir(), 'nightcrier-mysql-url-'));
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

function tlsOf(url: string): SslOptions {
  const { ssl } = parseMysqlUrl(url).connection;
  if (ssl === undefined) throw new Error('expected TLS settings');
  return ssl;
}

function refusal(url: string): ValidationError {
  try {
    parseMysqlUrl(url);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('url');
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('parseMysqlUrl: where to connect', () => {
  it('reads host, port, user, password and database, percent-decoded', () => {
    const { connection } = parseMysqlUrl('mysql://al%40ice:p%40ss%3Aw%2Fd%25@db.example.com:3307/my%20db');
    expect(connection).toEqual({ host: 'db.example.com', port: 3307, user: 'al@ice', password: 'p@ss:w/d%', database: 'my db' });
  });

  it('accepts mariadb:// and the scheme in any case', () => {
    expect(parseMysqlUrl('mariadb://u@h/d').connection).toMatchObject({ host: 'h', user: 'u', database: 'd' });
    expect(parseMysqlUrl('MySQL://u@h/d').connection.host).toBe('h');
  });

  it('defaults to localhost:3306, user root, no password, no TLS', () => {
    const parsed = parseMysqlUrl('mysql:///inventory');
    expect(parsed.connection).toEqual({ host: 'localhost', port: 3306, user: 'root', password: '', database: 'inventory' });
    expect(parsed.sslMode).toBe('DISABLED');
    expect(parsed.connectTimeoutMs).toBeUndefined();
    expect(parseMysqlUrl('mysql://u:@h/d').connection.password).toBe('');
  });

  it('strips the brackets of an IPv6 address', () => {
    expect(parseMysqlUrl('mysql://[::1]:3307/d').connection).toMatchObject({ host: '::1', port: 3307 });
  });

  it('wants a database', () => {
    for (const url of ['mysql://h', 'mysql://h/', 'mysql://h/a/b', 'mysql://h/a%2Fb']) {
      expect(refusal(url).message).toMatch(/names no database/);
    }
  });

  it('refuses what is not a MySQL URL, bad ports, fragments and broken %-escapes', () => {
    expect(refusal('postgres://h/d').message).toMatch(/starts with mysql:\/\/ or mariadb:\/\//);
    expect(refusal('mysql:h/d').message).toMatch(/starts with mysql:\/\//);
    expect(refusal('mysql://h:99999/d').message).toMatch(/cannot be parsed/);
    expect(refusal('mysql://h:0/d').message).toMatch(/port must be 1 to 65535/);
    expect(refusal('mysql://u:pw@h/d#x').message).toMatch(/fragment/);
    expect(refusal('mysql://u@h/d%zz').message).toMatch(/database name has a malformed/);
    expect(refusal('mysql://u%zz@h/d').message).toMatch(/user name has a malformed/);
    expect(refusal('mysql://u:p%zz@h/d').message).toMatch(/password has a malformed/);
  });
});

describe('parseMysqlUrl: ssl-mode', () => {
  it('DISABLED (and no ssl-mode at all) means plain text, with no ssl option for mysql2', () => {
    expect(parseMysqlUrl('mysql://h/d?ssl-mode=DISABLED').connection).not.toHaveProperty('ssl');
    expect(parseMysqlUrl('mysql://h/d').connection).not.toHaveProperty('ssl');
  });

  it('takes the mode in any case, as mysql does', () => {
    expect(parseMysqlUrl('mysql://h/d?ssl-mode=required').sslMode).toBe('REQUIRED');
    expect(parseMysqlUrl(`mysql://h/d?ssl-mode=Verify_Ca&ssl-ca=${enc(CA)}`).sslMode).toBe('VERIFY_CA');
  });

  it('REQUIRED encrypts without checking the certificate', () => {
    expect(tlsOf('mysql://h/d?ssl-mode=REQUIRED')).toEqual({ rejectUnauthorized: false });
  });

  it('REQUIRED with ssl-ca is refused, pointing to VERIFY_CA (mysql would ignore the CA)', () => {
    expect(refusal(`mysql://h/d?ssl-mode=REQUIRED&ssl-ca=${enc(CA)}`).message).toMatch(/use ssl-mode=VERIFY_CA/);
  });

  it('VERIFY_CA checks the chain against ssl-ca, not the host name', () => {
    const tls = tlsOf(`mysql://127.0.0.1/d?ssl-mode=VERIFY_CA&ssl-ca=${enc(CA)}`);
    expect(tls).toMatchObject({ rejectUnauthorized: true, verifyIdentity: false });
    expect(String(tls.ca)).toContain('BEGIN CERTIFICATE');
  });

  it('VERIFY_IDENTITY checks chain and host name', () => {
    const tls = tlsOf(`mysql://db.example.com/d?ssl-mode=VERIFY_IDENTITY&ssl-ca=${enc(CA)}`);
    expect(tls).toMatchObject({ rejectUnauthorized: true, verifyIdentity: true });
    expect(String(tls.ca)).toContain('BEGIN CERTIFICATE');
  });

  it.each(['127.0.0.1', '[::1]', '[::ffff:10.0.0.1]'])('VERIFY_IDENTITY to the IP address %s is refused (mysql2 would check the name localhost)', (host) => {
    expect(refusal(`mysql://${host}/d?ssl-mode=VERIFY_IDENTITY&ssl-ca=${enc(CA)}`).message).toMatch(/not an IP address/);
  });

  it.each(['VERIFY_CA', 'VERIFY_IDENTITY'])('%s without ssl-ca is refused: no system trust store is read', (mode) => {
    expect(refusal(`mysql://h/d?ssl-mode=${mode}`).message).toMatch(new RegExp(`ssl-mode=${mode} needs ssl-ca`));
  });

  it.each(['PREFERRED', 'preferred'])('refuses %s, which would silently fall back to plain text', (mode) => {
    expect(refusal(`mysql://h/d?ssl-mode=${mode}`).message).toMatch(/falls back to plain text/);
  });

  it.each(['', 'VERIFY-CA', 'REQUIRE', 'true', 'disable'])('refuses ssl-mode=%j', (mode) => {
    expect(refusal(`mysql://h/d?ssl-mode=${mode}`).message).toMatch(/ssl-mode must be one of DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY/);
  });

  it('refuses TLS files without an ssl-mode rather than guess (mysql would assume VERIFY_CA)', () => {
    for (const query of [`ssl-ca=${enc(CA)}`, `ssl-cert=${enc(CERT)}&ssl-key=${enc(KEY)}`]) {
      expect(refusal(`mysql://h/d?${query}`).message).toMatch(/without ssl-mode .*add ssl-mode=VERIFY_CA or VERIFY_IDENTITY/);
    }
    expect(refusal(`mysql://h/d?ssl-mode=DISABLED&ssl-ca=${enc(CA)}`).message).toMatch(/need an ssl-mode other than DISABLED/);
  });

  it('refuses a parameter given twice, so the last one cannot quietly win', () => {
    expect(refusal('mysql://h/d?ssl-mode=REQUIRED&ssl-mode=DISABLED').message).toMatch(/ssl-mode is given twice/);
  });
});

describe('parseMysqlUrl: certificate files', () => {
  it('reads ssl-cert and ssl-key into a client certificate, with any mode but DISABLED', () => {
    const tls = tlsOf(`mysql://h/d?ssl-mode=VERIFY_IDENTITY&ssl-ca=${enc(CA)}&ssl-cert=${enc(CERT)}&ssl-key=${enc(KEY)}`);
    expect(String(tls.cert)).toContain('Q0VSVA==');
    expect(String(tls.key)).toContain('S0VZ');
    expect(tlsOf(`mysql://h/d?ssl-mode=REQUIRED&ssl-cert=${enc(CERT)}&ssl-key=${enc(KEY)}`)).toMatchObject({ rejectUnauthorized: false, cert: expect.any(Buffer), key: expect.any(Buffer) });
  });

  it('wants ssl-cert and ssl-key together', () => {
    expect(refusal(`mysql://h/d?ssl-mode=REQUIRED&ssl-cert=${enc(CERT)}`).message).toMatch(/ssl-cert and ssl-key go together/);
    expect(refusal(`mysql://h/d?ssl-mode=REQUIRED&ssl-key=${enc(KEY)}`).message).toMatch(/ssl-cert and ssl-key go together/);
  });

  it.each(['ssl-ca', 'ssl-cert', 'ssl-key'])('an unreadable %s file is refused, naming the parameter', (parameter) => {
    const files: Record<string, string> = { 'ssl-ca': CA, 'ssl-cert': CERT, 'ssl-key': KEY, [parameter]: MISSING };
    const query = Object.entries(files).map(([key, path]) => `${key}=${enc(path)}`).join('&');
    expect(refusal(`mysql://h/d?ssl-mode=VERIFY_CA&${query}`).message).toContain(`cannot read the ${parameter} file ${MISSING}`);
  });

  it('a file that is not PEM is refused without quoting its content', () => {
    const error = refusal(`mysql://h/d?ssl-mode=VERIFY_CA&ssl-ca=${enc(NOT_PEM)}`);
    expect(error.message).toMatch(/ssl-ca file .* is not in PEM format/);
    expect(error.message).not.toContain('TOP-SECRET');
    expect(refusal(`mysql://h/d?ssl-mode=REQUIRED&ssl-cert=${enc(CERT)}&ssl-key=${enc(NOT_PEM)}`).message).toMatch(/ssl-key file/);
    expect(refusal('mysql://h/d?ssl-mode=VERIFY_CA&ssl-ca=').message).toMatch(/ssl-ca is empty/);
  });
});

describe('parseMysqlUrl: other parameters', () => {
  it.each([
    ['1', 1000],
    ['30', 30_000],
  ])('connect-timeout=%s is %i ms', (seconds, millis) => {
    expect(parseMysqlUrl(`mysql://h/d?connect-timeout=${seconds}`).connectTimeoutMs).toBe(millis);
  });

  it.each(['0', '-1', '1.5', 'ten', '', '0x10', '1e3', '%205', '+5'])('refuses connect-timeout=%j', (value) => {
    expect(refusal(`mysql://h/d?connect-timeout=${value}`).message).toMatch(/connect-timeout must be a whole number/);
  });

  it('socket connects through a Unix socket instead of host and port', () => {
    for (const url of ['mysql:///d?socket=%2Frun%2Fmysqld%2Fmysqld.sock', 'mysql://u:pw@localhost/d?socket=/run/mysqld/mysqld.sock&ssl-mode=DISABLED']) {
      const { connection } = parseMysqlUrl(url);
      expect(connection.socketPath).toBe('/run/mysqld/mysqld.sock');
      expect(connection).not.toHaveProperty('host');
      expect(connection).not.toHaveProperty('ssl');
    }
  });

  it('refuses an empty socket, a socket with another host, and a socket with TLS', () => {
    expect(refusal('mysql:///d?socket=').message).toMatch(/socket is empty/);
    expect(refusal('mysql://db.example.com/d?socket=/run/mysqld/mysqld.sock').message).toMatch(/socket goes with host localhost/);
    for (const query of ['ssl-mode=REQUIRED', `ssl-mode=DISABLED&ssl-ca=${enc(CA)}`, `ssl-cert=${enc(CERT)}&ssl-key=${enc(KEY)}`]) {
      expect(refusal(`mysql:///d?socket=/s.sock&${query}`).message).toMatch(/Unix socket connection uses no TLS/);
    }
  });

  it('refuses unknown parameters, listing the known ones, so a typo cannot weaken TLS', () => {
    for (const query of ['sslmode=VERIFY_CA', 'ssl_mode=REQUIRED', 'SSL-MODE=REQUIRED', 'ssl=true', 'password=x', 'sslca=/x']) {
      const error = refusal(`mysql://h/d?${query}`);
      expect(error.message).toMatch(/unknown parameter/);
      expect(error.message).toContain('known: ssl-mode, ssl-ca, ssl-cert, ssl-key, connect-timeout, socket');
    }
    expect(refusal('mysql://h/d?password=hunter2').message).not.toContain('hunter2');
    // A name with characters no parameter name has is not repeated: it may be a misplaced secret.
    expect(refusal('mysql://h/d?hunter2%3Dx=1').message).not.toContain('hunter2');
  });
});

describe('parseMysqlUrl: secrets', () => {
  it('lists the password, decoded and as written, and the whole URL', () => {
    const url = 'mysql://u:s%40cret@h/d';
    expect(parseMysqlUrl(url).secrets).toEqual(expect.arrayContaining(['s@cret', 's%40cret', url]));
    expect(parseMysqlUrl('mysql://u@h/d').secrets).toEqual(['mysql://u@h/d']);
  });

  it('never puts the password or the URL into an error message or its cause', () => {
    const bad = [
      'mysql://u:hunter2@h:99999/d',
      'mysql://u:hunter2@h:0/d',
      'mysql://u:hunter2@h/d#frag',
      'mysql://u:hunter2@h/',
      'mysql://u:hunter2@h/d?ssl-mode=PREFERRED',
      'mysql://u:hunter2@h/d?ssl-mode=hunter',
      'mysql://u:hunter2@h/d?ssl-mode=VERIFY_CA',
      'mysql://u:hunter2@127.0.0.1/d?ssl-mode=VERIFY_IDENTITY&ssl-ca=' + enc(CA),
      `mysql://u:hunter2@h/d?ssl-mode=VERIFY_CA&ssl-ca=${enc(MISSING)}`,
      'mysql://u:hunter2@h/d?bogus=1',
      'mysql://u:hunter2@h/d?connect-timeout=hunter2',
      'mysql://u:hunter2%zz@h/d',
    ];
    for (const url of bad) {
      const error = refusal(url);
      expect(`${error.message}\n${error.stack ?? ''}`).not.toContain('hunter2');
      expect(JSON.stringify(error.cause ?? null)).not.toContain('hunter2');
    }
  });
});
