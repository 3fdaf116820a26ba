import { isIP } from 'node:net';
import { decodeUrlPart as decode, invalidUrl as invalid, openServerUrl, PEM_MARKERS, readPemFile, urlHost, urlSecrets } from '@nightcrier/storage-core/adapter';
import type { ConnectionOptions, SslOptions } from 'mysql2';

/** The `ssl-mode` values the SDK accepts, with MySQL's names; `PREFERRED` is refused. */
export type MysqlSslMode = 'DISABLED' | 'REQUIRED' | 'VERIFY_CA' | 'VERIFY_IDENTITY';

/** What {@link parseMysqlUrl} hands the adapter. */
export interface ParsedMysqlUrl {
  /** Explicit mysql2 connection settings: where to connect, who as, and an explicit TLS choice. */
  connection: Pick<ConnectionOptions, 'host' | 'port' | 'user' | 'password' | 'database' | 'socketPath'> & {
    /** mysql2's TLS options for `sslMode`; absent for `DISABLED`. */
    ssl?: SslOptions;
  };
  /** The URL's `ssl-mode` (default `DISABLED`). */
  sslMode: MysqlSslMode;
  /** `connect-timeout` in milliseconds, when the URL gives one. */
  connectTimeoutMs?: number;
  /** The whole URL and its passwords, to scrub from anything shown or logged. */
  secrets: string[];
}

const SSL_MODES: readonly string[] = ['DISABLED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'];
const KNOWN_PARAMETERS = ['ssl-mode', 'ssl-ca', 'ssl-cert', 'ssl-key', 'connect-timeout', 'socket'] as const;
type KnownParameter = (typeof KNOWN_PARAMETERS)[number];

function readQuery(search: URLSearchParams): Map<KnownParameter, string> {
  const parameters = new Map<KnownParameter, string>();
  for (const [key, value] of search) {
    if (!(KNOWN_PARAMETERS as readonly string[]).includes(key)) {
      const name = /^[a-z_-]{1,40}$/i.test(key) ? ` ${key}` : '';
      throw invalid(`unknown parameter${name}; known: ${KNOWN_PARAMETERS.join(', ')}`);
    }
    if (parameters.has(key as KnownParameter)) throw invalid(`parameter ${key} is given twice`);
    parameters.set(key as KnownParameter, value);
  }
  return parameters;
}

/**
 * The mysql2 `ssl` option of each mode, as the `mysql` client means it (MySQL manual, "Command
 * Options for Encrypted Connections"). Written by hand because mysql2 has no notion of modes, and
 * measured cell by cell against a TLS server (see the TLS matrix test):
 *
 * - `DISABLED`: no TLS, even when the server offers it;
 * - `REQUIRED`: TLS, no certificate check; refused together with `ssl-ca`, which the `mysql` client
 *   would then ignore (use `VERIFY_CA`, which checks it);
 * - `VERIFY_CA`: TLS, chain checked against `ssl-ca` (required), host name not;
 * - `VERIFY_IDENTITY`: TLS, chain against `ssl-ca` (required) and host name. A host given as an IP
 *   address is refused: mysql2 3.x checks an IP host's certificate against the name `localhost`.
 */
function tlsFor(mode: MysqlSslMode, parameters: Map<KnownParameter, string>, host: string): SslOptions | undefined {
  const caPath = parameters.get('ssl-ca');
  const certPath = parameters.get('ssl-cert');
  const keyPath = parameters.get('ssl-key');
  for (const name of ['ssl-ca', 'ssl-cert', 'ssl-key'] as const) if (parameters.get(name) === '') throw invalid(`${name} is empty`);
  if ((certPath === undefined) !== (keyPath === undefined)) throw invalid('ssl-cert and ssl-key go together');
  if (mode === 'DISABLED') {
    if (caPath !== undefined || certPath !== undefined) {
      // mysql would take ssl-ca without ssl-mode as VERIFY_CA, and drop it under an explicit DISABLED: say which is meant.
      throw invalid(
        parameters.has('ssl-mode')
          ? 'ssl-ca, ssl-cert and ssl-key need an ssl-mode other than DISABLED'
          : 'ssl-ca, ssl-cert and ssl-key are given without ssl-mode (default DISABLED); add ssl-mode=VERIFY_CA or VERIFY_IDENTITY',
      );
    }
    return undefined;
  }
  const client = certPath === undefined ? {} : { cert: readPemFile('ssl-cert', certPath, PEM_MARKERS.certificate), key: readPemFile('ssl-key', keyPath as string, PEM_MARKERS.privateKey) };
  if (mode === 'REQUIRED') {
    if (caPath !== undefined) throw invalid('ssl-mode=REQUIRED does not check the certificate; to check it against ssl-ca use ssl-mode=VERIFY_CA');
    return { rejectUnauthorized: false, ...client };
  }
  if (caPath === undefined) throw invalid(`ssl-mode=${mode} needs ssl-ca, the CA certificate(s) to check the server against`);
  const ca = readPemFile('ssl-ca', caPath, PEM_MARKERS.certificate);
  if (mode === 'VERIFY_CA') return { rejectUnauthorized: true, verifyIdentity: false, ca, ...client };
  if (isIP(host) !== 0) throw invalid('ssl-mode=VERIFY_IDENTITY needs a host name the certificate names, not an IP address');
  return { rejectUnauthorized: true, verifyIdentity: true, ca, ...client };
}

/**
 * Turns a `mysql://` or `mariadb://` URL into explicit mysql2 settings:
 * `mysql://user:password@host:port/database?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ssl/db-ca.pem`.
 * User, password and database are percent-decoded; defaults: host `localhost`, port 3306, user
 * `root`; the database is required. Parameters: `ssl-mode` (default `DISABLED`; `PREFERRED`, which
 * falls back to plain text silently, is refused), `ssl-ca`, `ssl-cert`, `ssl-key` (PEM files, read
 * now), `connect-timeout` (whole seconds), `socket` (a Unix socket path instead of TCP; host
 * `localhost` or none, no TLS). Any other parameter is refused, so that a typo cannot weaken a
 * security setting.
 *
 * @throws ValidationError with `field: 'url'`; its message never holds the password or the URL.
 */
export function parseMysqlUrl(url: string): ParsedMysqlUrl {
  const parsed = openServerUrl(url, /^(mysql|mariadb):\/\//i, 'a MySQL URL starts with mysql:// or mariadb://');
  const parameters = readQuery(parsed.searchParams);
  const host = urlHost(parsed) || 'localhost';
  const port = parsed.port === '' ? 3306 : Number(parsed.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid('the port must be 1 to 65535');
  const database = decode(parsed.pathname.replace(/^\//, ''), 'the database name');
  if (database === '' || database.includes('/')) throw invalid('it names no database: mysql://user@host:3306/database');

  const modeText = parameters.get('ssl-mode') ?? 'DISABLED';
  const mode = modeText.toUpperCase();
  if (mode === 'PREFERRED') throw invalid('ssl-mode=PREFERRED falls back to plain text without saying so; use REQUIRED, VERIFY_CA or VERIFY_IDENTITY (or DISABLED)');
  if (!SSL_MODES.includes(mode)) throw invalid(`ssl-mode must be one of ${SSL_MODES.join(', ')}`);
  const sslMode = mode as MysqlSslMode;
  const socketPath = parameters.get('socket');
  if (socketPath !== undefined) {
    if (socketPath === '') throw invalid('socket is empty'); // mysql2 would quietly use TCP to localhost:3306
    // mysql uses the socket only for host localhost, and TCP to any other host: refuse rather than pick one.
    if (host.toLowerCase() !== 'localhost') throw invalid('socket goes with host localhost (or none), not another host');
    if (sslMode !== 'DISABLED' || ['ssl-ca', 'ssl-cert', 'ssl-key'].some((name) => parameters.has(name as KnownParameter))) {
      throw invalid('a Unix socket connection uses no TLS: it takes no ssl-mode, ssl-ca, ssl-cert or ssl-key');
    }
  }

  const connection: ParsedMysqlUrl['connection'] = {
    user: decode(parsed.username, 'the user name') || 'root',
    password: decode(parsed.password, 'the password'),
    database,
    ...(socketPath === undefined ? { host, port } : { socketPath }),
  };
  const ssl = tlsFor(sslMode, parameters, host);
  if (ssl !== undefined) connection.ssl = ssl;

  const result: ParsedMysqlUrl = { connection, sslMode, secrets: [url, ...urlSecrets(url)] };
  const timeout = parameters.get('connect-timeout');
  if (timeout !== undefined) {
    // Digits only: Number() would also read '0x10', '1e3' and ' 5'.
    if (!/^\d{1,9}$/.test(timeout) || Number(timeout) < 1) throw invalid('connect-timeout must be a whole number of seconds ≥ 1');
    result.connectTimeoutMs = Number(timeout) * 1000;
  }
  return result;
}
