import { invalidUrl as invalid, urlHost } from '@nightcrier/storage-core/adapter';

/** One server of a PostgreSQL URL's host list. */
export interface PostgresHost {
  /** A host name, an IP address (IPv6 without brackets) or a Unix socket directory. */
  host: string;
  port: number;
}

/** What {@link readHostList} found in the authority of a URL. */
export interface AuthorityHosts {
  /**
   * The URL with a host list replaced by one placeholder host, for WHATWG URL to check everything
   * else (user, password, path, query, fragment) with the rules a single-host URL meets.
   */
  url: string;
  /**
   * The hosts of a list (two or more entries), each with the port written beside it (undefined:
   * none); an empty host is the default one, which {@link hostList} fills in.
   */
  hosts?: Array<{ host: string; port: number | undefined }>;
}

/** How a PostgreSQL URL starts: `postgres://` or `postgresql://`, any case. */
export const POSTGRES_SCHEME = /^postgres(ql)?:\/\//i;
const DEFAULT_PORT = 5432;
const PLACEHOLDER_HOST = 'localhost';

/**
 * Splits `postgres://user:pw@h1:5432,h2,[::1]:5433/db` into its hosts, as libpq reads a URI's
 * authority: comma-separated `host[:port]` entries, IPv6 literals in brackets, an empty host meaning
 * the default (here localhost over TCP), an entry without a port getting the default port.
 *
 * Done by hand because WHATWG URL, which parses everything else, takes the authority as one host
 * and at most one port: `h1:5432,h2:5433` is "cannot be parsed" to it. Each entry is still checked
 * by WHATWG URL on its own, so a host of a list meets the same rules (and errors) as a lone host.
 * A URL whose authority has no comma is handed back untouched.
 */
export function readHostList(url: string): AuthorityHosts {
  const scheme = POSTGRES_SCHEME.exec(url)?.[0];
  if (scheme === undefined) return { url };
  const rest = url.slice(scheme.length);
  // The authority ends where WHATWG URL ends it for a non-special scheme; userinfo at its last '@'.
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  const hostPart = authority.slice(at + 1);
  if (!hostPart.includes(',')) return { url };
  const hosts = hostPart.split(',').map((entry, index) => readEntry(entry, index + 1));
  const userinfo = at === -1 ? '' : authority.slice(0, at + 1);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  return { url: `${scheme}${userinfo}${PLACEHOLDER_HOST}${tail}`, hosts };
}

function readEntry(entry: string, position: number): { host: string; port: number | undefined } {
  // An empty entry is the default host: hostList maps it, for a lone host and a list alike.
  if (entry === '') return { host: '', port: undefined };
  let parsed: URL;
  try {
    parsed = new URL(`postgres://${entry}`);
  } catch {
    // Only the entry's position: the URL around it holds the password, and Node's error the input.
    throw invalid(`host ${position} of the list cannot be parsed; write host:port or [IPv6]:port`);
  }
  const host = urlHost(parsed);
  return { host, port: parsed.port === '' ? undefined : checkedPort(parsed.port) };
}

/** A port as the URL writes it; 1 to 65535. */
export function checkedPort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid('the port must be 1 to 65535');
  return port;
}

/**
 * The host list of a URL in the order libpq tries it. `authority` is what {@link readHostList}
 * found (or the single host WHATWG URL read), `queryHosts` / `queryPorts` the `?host=` and `?port=`
 * values. As in libpq's `port` keyword, `?port=` gives one port per host or one port for all, and
 * an empty element means the default port.
 */
export function hostList(
  authority: Array<{ host: string; port: number | undefined }>,
  queryHosts: string | undefined,
  queryPorts: string | undefined,
): PostgresHost[] {
  // A list names hosts even where its entries are empty (each is the default host).
  const fromAuthority = authority.length > 1 || authority.some(({ host }) => host !== '');
  if (fromAuthority && queryHosts !== undefined) throw invalid('it names the host twice (in the authority and in ?host=)');
  const entries =
    queryHosts === undefined
      ? authority.map(({ host, port }) => ({ host: host === '' ? PLACEHOLDER_HOST : host, port }))
      : queryHosts.split(',').map((host) => {
          if (host === '') throw invalid('host is empty');
          return { host, port: authority[0]?.port };
        });
  if (queryPorts === undefined) return entries.map(({ host, port }) => ({ host, port: port ?? DEFAULT_PORT }));
  if (entries.some(({ port }) => port !== undefined)) throw invalid('it names the port twice (in the authority and in ?port=)');
  const ports = queryPorts.split(',').map((text) => (text === '' ? DEFAULT_PORT : checkedPort(text)));
  if (ports.length !== 1 && ports.length !== entries.length) {
    throw invalid(`?port= gives ${ports.length} ports for ${entries.length} hosts; give one port per host or one for all`);
  }
  return entries.map(({ host }, index) => ({ host, port: ports.length === 1 ? (ports[0] as number) : (ports[index] as number) }));
}
