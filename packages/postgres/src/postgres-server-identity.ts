import type { ServerIdentity } from '@nightcrier/storage-core/adapter';
import type { ClientConfig } from 'pg';

/**
 * Where a PostgreSQL store's database lives, for telemetry, from the URL's hosts:
 * - one TCP host: `server.address` and `server.port` are that host and port;
 * - one Unix socket (a host that is a directory): `server.address` is the socket's path, as the
 *   conventions allow ("IP address or Unix domain socket name"; pg connects to
 *   `<directory>/.s.PGSQL.<port>`), and there is no `server.port`;
 * - several hosts: neither. The store's connections go to whichever host accepts them, and after
 *   a failover another one does: a fixed address would name a server that no longer serves the calls.
 */
export function postgresServerIdentity(hostConfigs: readonly ClientConfig[]): ServerIdentity {
  const [only, ...others] = hostConfigs;
  const identity: ServerIdentity = { system: 'postgresql', namespace: String(only?.database) };
  if (only?.host === undefined || others.length > 0) return identity;
  const port = Number(only.port);
  if (only.host.startsWith('/')) return { ...identity, address: `${only.host.replace(/\/+$/, '')}/.s.PGSQL.${port}` };
  return { ...identity, address: only.host, port };
}
