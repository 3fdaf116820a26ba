import { describe, expect, it } from 'vitest';
import { parsePostgresUrl } from '../src/parse-postgres-url.js';
import { postgresServerIdentity } from '../src/postgres-server-identity.js';

const identityOf = (url: string) => postgresServerIdentity(parsePostgresUrl(url).hostConfigs);

describe('PostgreSQL server identity (server.address, server.port of spans and metrics)', () => {
  it('names the one TCP host and its port (5432 when the URL gives none)', () => {
    expect(identityOf('postgres://app:secret@db.internal:6543/nightcrier')).toEqual({ system: 'postgresql', namespace: 'nightcrier', address: 'db.internal', port: 6543 });
    expect(identityOf('postgres://app@[::1]/nightcrier')).toEqual({ system: 'postgresql', namespace: 'nightcrier', address: '::1', port: 5432 });
    expect(identityOf('postgres:///nightcrier?host=10.1.2.80&port=5433')).toEqual({ system: 'postgresql', namespace: 'nightcrier', address: '10.1.2.80', port: 5433 });
  });

  it('names a Unix socket by its path, without server.port', () => {
    const expected = { system: 'postgresql', namespace: 'nightcrier', address: '/run/postgresql/.s.PGSQL.5432' };
    expect(identityOf('postgres://app@%2Frun%2Fpostgresql/nightcrier')).toEqual(expected);
    expect(identityOf('postgres:///nightcrier?host=/run/postgresql/')).toEqual(expected);
    expect(identityOf('postgres:///nightcrier?host=/tmp&port=6000')).toEqual({ ...expected, address: '/tmp/.s.PGSQL.6000' });
  });

  it('leaves server.address and server.port out for several hosts: after a failover another host serves the calls', () => {
    for (const url of ['postgres://app:secret@h1:5432,h2:5433/nightcrier', 'postgres:///nightcrier?host=h1,/run/postgresql&target_session_attrs=read-write', 'postgres://app@h1,h1/nightcrier']) {
      const identity = identityOf(url);
      console.log(`${url.replace(/:secret@/, ':***@')} → ${JSON.stringify(identity)}`);
      expect(identity).toEqual({ system: 'postgresql', namespace: 'nightcrier' });
    }
  });
});
