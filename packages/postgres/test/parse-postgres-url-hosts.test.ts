import { ValidationError } from '@nightcrier/storage-core';
import { describe, expect, it } from 'vitest';
import { parsePostgresUrl } from '../src/parse-postgres-url.js';

const hostsOf = (url: string) => parsePostgresUrl(url).hostConfigs.map(({ host, port }) => `${String(host)}|${String(port)}`);

function refusal(url: string): ValidationError {
  const error = (() => {
    try {
      parsePostgresUrl(url);
    } catch (caught) {
      return caught;
    }
    throw new Error(`expected ${url} to be refused`);
  })();
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe('url');
  // The password of every URL below is hunter2: it must never be in a refusal.
  expect((error as ValidationError).message).not.toContain('hunter2');
  return error as ValidationError;
}

describe('parsePostgresUrl: several hosts, as libpq writes them', () => {
  it('reads host:port pairs from the authority, in order, with user, password and database', () => {
    const parsed = parsePostgresUrl('postgres://app:s%40cret@h1:5432,h2:5433/inventory?target_session_attrs=read-write');
    expect(hostsOf('postgres://app:s%40cret@h1:5432,h2:5433/inventory')).toEqual(['h1|5432', 'h2|5433']);
    for (const config of parsed.hostConfigs) expect(config).toMatchObject({ user: 'app', password: 's@cret', database: 'inventory', ssl: false });
    expect(parsed.clientConfig).toBe(parsed.hostConfigs[0]);
    expect(parsed.targetSessionAttrs).toBe('read-write');
    expect(parsed.secrets).toEqual(expect.arrayContaining(['s@cret', 's%40cret']));
  });

  it('gives an entry without a port the default port, an empty entry localhost, and strips IPv6 brackets', () => {
    expect(hostsOf('postgres://h1,h2:6000,[::1]:5433,[fe80::1]/d')).toEqual(['h1|5432', 'h2|6000', '::1|5433', 'fe80::1|5432']);
    expect(hostsOf('postgres://u@,h2/d')).toEqual(['localhost|5432', 'h2|5432']);
    expect(hostsOf('postgresql://u@%2Ftmp%2Fpg:5433,db.example.com/d')).toEqual(['/tmp/pg|5433', 'db.example.com|5432']);
  });

  it('a single host keeps its one-entry list', () => {
    expect(hostsOf('postgres://u:pw@db:6543/d')).toEqual(['db|6543']);
    expect(hostsOf('postgres:///d')).toEqual(['localhost|5432']);
  });

  it('reads ?host=h1,h2&port=p1,p2, and one port for all hosts, as libpq\'s host and port keywords', () => {
    expect(hostsOf('postgres:///d?host=h1,h2&port=5432,5433')).toEqual(['h1|5432', 'h2|5433']);
    expect(hostsOf('postgres:///d?host=h1,h2,/run/postgresql&port=6000')).toEqual(['h1|6000', 'h2|6000', '/run/postgresql|6000']);
    expect(hostsOf('postgres:///d?host=h1,h2&port=,5433')).toEqual(['h1|5432', 'h2|5433']);
    expect(hostsOf('postgres://h1,h2/d?port=7000')).toEqual(['h1|7000', 'h2|7000']);
    expect(hostsOf('postgres:///d?host=h1,h2')).toEqual(['h1|5432', 'h2|5432']);
  });

  it('uses TLS per host, but never on a Unix socket of the list', () => {
    const configs = parsePostgresUrl('postgres://h1,%2Ftmp/d?sslmode=require').hostConfigs;
    expect(configs.map(({ ssl }) => ssl)).toEqual([{ rejectUnauthorized: false }, false]);
  });

  it('refuses ports that do not match the hosts, ports given twice, and broken entries, without the password', () => {
    expect(refusal('postgres:///d?host=h1,h2,h3&port=1,2').message).toMatch(/gives 2 ports for 3 hosts/);
    expect(refusal('postgres://u:hunter2@h1:5432,h2/d?port=5433').message).toMatch(/port twice/);
    expect(refusal('postgres://u:hunter2@h:5432/d?port=5433').message).toMatch(/port twice/);
    expect(refusal('postgres://u:hunter2@h1,h2/d?host=h3').message).toMatch(/host twice/);
    expect(refusal('postgres:///d?host=h1,,h2').message).toMatch(/host is empty/);
    expect(refusal('postgres://u:hunter2@h1,h2:0/d').message).toMatch(/port must be 1 to 65535/);
    expect(refusal('postgres://u:hunter2@h1,h2:70000/d').message).toMatch(/host 2 of the list cannot be parsed/);
    expect(refusal('postgres://u:hunter2@h1,h2:x/d').message).toMatch(/host 2 of the list cannot be parsed/);
    expect(refusal('postgres://u:hunter2@h1,[::1/d').message).toMatch(/host 2 of the list cannot be parsed/);
    expect(refusal('postgres://u:hunter2@h1/d?port=http').message).toMatch(/port must be 1 to 65535/);
    expect(refusal('postgres://u:hunter2@h1,h2/d#x').message).toMatch(/fragment/);
    expect(refusal('postgres://u:hunter2%zz@h1,h2/d').message).toMatch(/password has a malformed/);
  });

  it('a percent-encoded comma stays in the password, out of the host list', () => {
    // Userinfo ends at the last '@' of the authority, as WHATWG URL reads a single-host URL.
    expect(hostsOf('postgres://u:p%2Cw@h1,h2/d')).toEqual(['h1|5432', 'h2|5432']);
    expect(parsePostgresUrl('postgres://u:p%2Cw@h1,h2/d').clientConfig.password).toBe('p,w');
  });
});

describe('parsePostgresUrl: target_session_attrs', () => {
  it.each(['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'])('accepts %s', (target) => {
    expect(parsePostgresUrl(`postgres://h1,h2/d?target_session_attrs=${target}`).targetSessionAttrs).toBe(target);
  });

  it('defaults to any', () => {
    expect(parsePostgresUrl('postgres://h1,h2/d').targetSessionAttrs).toBe('any');
  });

  it('reads an empty value as unset (any), as libpq does', () => {
    expect(parsePostgresUrl('postgres://h1,h2/d?target_session_attrs=').targetSessionAttrs).toBe('any');
    expect(parsePostgresUrl('postgres://h1/d?target_session_attrs=&sslmode=disable').targetSessionAttrs).toBe('any');
  });

  it.each(['READ-WRITE', 'read_write', 'master'])('refuses %j with a ValidationError listing the values', (target) => {
    const error = refusal(`postgres://u:hunter2@h1,h2/d?target_session_attrs=${target}`);
    expect(error.message).toMatch(/target_session_attrs must be any, read-write, read-only, primary, standby, prefer-standby/);
  });
});
