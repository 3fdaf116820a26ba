import type { ConnectionOptions } from 'node:tls';
import { decodeUrlPart as decode, invalidUrl as invalid, openServerUrl, PEM_MARKERS, readPemFile, urlHost, urlSecrets } from '@nightcrier/storage-core/adapter';
import type { ClientConfig } from 'pg';
import { checkedPort, hostList, POSTGRES_SCHEME, readHostList } from './host-list.js';
import { readTargetSessionAttrs, type TargetSessionAttrs } from './session-target.js';

/** The `sslmode` values the SDK accepts; `prefer` and `allow` are refused. */
export type PostgresSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** What {@link parsePostgresUrl} hands the adapter. */
export interface ParsedPostgresUrl {
  /**
   * Explicit settings for `new pg.Client()` / `new pg.Pool()`: never a `connectionString`, always
   * an explicit `ssl`, so neither pg's own URL parser nor `PGSSLMODE` can change the outcome.
   */
  clientConfig: ClientConfig;
  /**
   * The settings for each host of the URL's host list, in the order they are tried (one entry for
   * a single-host URL); the first is `clientConfig`. They differ only in host, port and `ssl`.
   */
  hostConfigs: ClientConfig[];
  /** `target_session_attrs`: which host a connection may settle on (default `any`). */
  targetSessionAttrs: TargetSessionAttrs;
  /** The `sslmode` in force (`disable` when the URL has none). */
  sslMode: PostgresSslMode;
  /** Strings to scrub from anything shown or logged: the passwords (raw and decoded) and the whole URL. */
  secrets: string[];
  /** `prepared_statements=true|false`, when the URL gives it (see `PostgresStoreConfig.preparedStatements`). */
  preparedStatements?: boolean;
}

const SSL_MODES: readonly string[] = ['disable', 'require', 'verify-ca', 'verify-full'];
const FILE_PARAMETERS = ['sslrootcert', 'sslcert', 'sslkey'] as const;
const KNOWN_PARAMETERS = [
  'sslmode',
  ...FILE_PARAMETERS,
  'sslpassword',
  'application_name',
  'connect_timeout',
  'prepared_statements',
  'options',
  'host',
  'port',
  'target_session_attrs',
] as const;
type KnownParameter = (typeof KNOWN_PARAMETERS)[number];

/**
 * Turns a `postgres://` or `postgresql://` URL into explicit pg settings, with libpq's meaning of
 * `sslmode` and without reading any `PG*` environment variable or `~/.postgresql` file.
 *
 * - `postgres://user:password@host:port/database?param=value…`; user, password and database are
 *   percent-decoded. Defaults: host `localhost` (TCP, not libpq's Unix socket), port 5432, user
 *   `postgres`, database = the user name. A Unix socket directory may be given percent-encoded as
 *   the host (`postgres://user:pw@%2Frun%2Fpostgresql/db`) or, in a URL without user name, as
 *   `postgres:///db?host=/run/postgresql` (WHATWG URL refuses a user name with an empty host).
 * - Several hosts, as libpq writes them: `postgres://u:pw@h1:5432,h2:5433,[::1]/db` (an entry without
 *   a port gets 5432), or `?host=h1,h2&port=5432,5433` (one port per host, or one for all); tried in
 *   order, each new connection afresh. `target_session_attrs` (`any`, `read-write`, `read-only`,
 *   `primary`, `standby`, `prefer-standby`) says which host a connection may settle on.
 * - A URL without a password connects without one: `PGPASSWORD` and `~/.pgpass` are not consulted.
 * - `sslmode`: `disable` → plaintext; `require` → TLS without certificate checks, but when
 *   `sslrootcert` is given the chain is checked against it (not the host name), as libpq does;
 *   `verify-ca` → chain checked against `sslrootcert` (required here: libpq's implicit
 *   `~/.postgresql/root.crt` is not read), host name not checked; `verify-full` → chain and host
 *   name checked, against `sslrootcert` or else Node's default CA store (`sslrootcert=system` says
 *   so explicitly and, as in libpq 16, is allowed with `verify-full` only).
 * - No `sslmode` means `disable`, not libpq's `prefer`; a URL naming `sslrootcert`, `sslcert`,
 *   `sslkey` or `sslpassword` must then say which `sslmode` it wants.
 * - `prefer` and `allow` are refused: they fall back to plaintext without telling anyone.
 * - Unix socket connections never use TLS (libpq ignores `sslmode` there); the URL is still validated.
 * - `sslcert` + `sslkey` (both or neither, PEM files) give a client certificate; `sslpassword`
 *   decrypts the key. The files are read now, so a missing file fails here, not at connect time.
 * - Also known: `application_name`, `connect_timeout` (seconds; 0 or absent waits indefinitely,
 *   1 counts as 2, as in libpq), `options`, and ours: `prepared_statements=false` for poolers
 *   without prepared-statement support. Any other parameter is refused, so a typo in a security
 *   setting cannot silently weaken it.
 *
 * @throws ValidationError with `field: 'url'`; its message never contains the password or the URL.
 */
export function parsePostgresUrl(url: string): ParsedPostgresUrl {
  const authority = readHostList(url);
  const parsed = openServerUrl(authority.url, POSTGRES_SCHEME, 'a PostgreSQL URL starts with postgres:// or postgresql://');

  const parameters = readQuery(parsed.search);
  const password = decode(parsed.password, 'the password');
  const secrets = [url, ...urlSecrets(url)];

  const hosts = hostList(
    authority.hosts ?? [{ host: urlHost(parsed), port: parsed.port === '' ? undefined : checkedPort(parsed.port) }],
    parameters.get('host')?.value,
    parameters.get('port')?.value,
  );
  const targetSessionAttrs = readTargetSessionAttrs(parameters.get('target_session_attrs')?.value);
  const user = decode(parsed.username, 'the user name') || 'postgres';
  const database = decode(parsed.pathname.replace(/^\//, ''), 'the database name') || user;

  const sslMode = readSslMode(parameters);
  const tls = tlsSettings(sslMode, parameters);

  const shared: ClientConfig = {
    user,
    // pg treats a missing or empty password as "ask PGPASSWORD, then ~/.pgpass"; a function that
    // answers the empty string is the only way to say "no password" that pg takes literally.
    password: password === '' ? () => '' : password,
    database,
    // Explicit, because pg falls back to PGSSLMODE, PGSSLNEGOTIATION, PGCLIENT_ENCODING and
    // PGCONNECT_TIMEOUT for any of these left unset (pg decodes text as UTF-8 whatever it asks for).
    sslnegotiation: 'postgres',
    client_encoding: 'UTF8',
    connectionTimeoutMillis: readConnectTimeout(parameters),
  };
  const applicationName = parameters.get('application_name')?.value;
  if (applicationName !== undefined) shared.application_name = applicationName;
  const options = parameters.get('options')?.value;
  if (options !== undefined) shared.options = options;
  // Each host its own settings: pg checks a verify-full certificate against the host it connects
  // to, so every host of the list is checked against its own name. Unix sockets never use TLS.
  const hostConfigs = hosts.map(({ host, port }): ClientConfig => ({ host, port, ...shared, ssl: host.startsWith('/') ? false : tls }));
  const clientConfig = hostConfigs[0] as ClientConfig;
  const preparedStatements = readBoolean(parameters, 'prepared_statements');
  return { clientConfig, hostConfigs, targetSessionAttrs, sslMode, secrets, ...(preparedStatements === undefined ? {} : { preparedStatements }) };
}

interface QueryValue {
  raw: string;
  value: string;
}

function readQuery(search: string): Map<KnownParameter, QueryValue> {
  const parameters = new Map<KnownParameter, QueryValue>();
  const unknown: string[] = [];
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawKey = equals === -1 ? pair : pair.slice(0, equals);
    const raw = equals === -1 ? '' : pair.slice(equals + 1);
    // libpq percent-decodes query values but, unlike URLSearchParams, leaves + alone.
    const key = decode(rawKey, 'a parameter name');
    if (!isKnown(key)) {
      unknown.push(key);
      continue;
    }
    if (parameters.has(key)) throw invalid(`parameter ${key} is given twice`);
    parameters.set(key, { raw, value: decode(raw, `parameter ${key}`) });
  }
  if (unknown.length > 0) {
    // Echo a name only when it looks like one: a password holding an unencoded '?' ends up here too.
    const names = unknown.every((name) => /^[a-z_]{1,40}$/.test(name)) ? ` ${unknown.join(', ')}` : '';
    throw invalid(
      `unknown parameter${names}; known: ${KNOWN_PARAMETERS.join(', ')} (percent-encode '?', '@', '/' and '#' in a password)`,
    );
  }
  return parameters;
}

function readSslMode(parameters: Map<KnownParameter, QueryValue>): PostgresSslMode {
  const given = parameters.get('sslmode')?.value;
  if (given === undefined) {
    const tlsParameter = [...FILE_PARAMETERS, 'sslpassword' as const].find((name) => parameters.has(name));
    if (tlsParameter !== undefined) {
      // libpq would try TLS here (its default is prefer); guessing either way could surprise.
      throw invalid(`${tlsParameter} is given without sslmode; add sslmode=require, verify-ca or verify-full`);
    }
    return 'disable';
  }
  if (given === 'prefer' || given === 'allow') {
    throw invalid(
      `sslmode=${given} is refused: it silently falls back to plaintext when TLS fails; ` +
        'choose sslmode=disable, require, verify-ca or verify-full',
    );
  }
  if (!SSL_MODES.includes(given)) {
    throw invalid(`sslmode must be disable, require, verify-ca or verify-full, got ${JSON.stringify(given.slice(0, 40))}`);
  }
  return given as PostgresSslMode;
}

function tlsSettings(mode: PostgresSslMode, parameters: Map<KnownParameter, QueryValue>): false | ConnectionOptions {
  const rootCertPath = parameters.get('sslrootcert')?.value;
  const useSystemStore = rootCertPath === 'system';
  if (useSystemStore && mode !== 'verify-full') {
    throw invalid(`sslrootcert=system may only be used with sslmode=verify-full, not ${mode}`);
  }
  if (mode === 'verify-ca' && rootCertPath === undefined) {
    throw invalid(
      'sslmode=verify-ca needs sslrootcert=<CA file>: the SDK does not read ~/.postgresql/root.crt as libpq would, ' +
        'and the public CA store cannot vouch for a server without its host name being checked',
    );
  }
  // Files are read even for disable, so a broken URL is found before someone switches TLS on.
  const ca = rootCertPath === undefined || useSystemStore ? undefined : readPemFile('sslrootcert', rootCertPath, PEM_MARKERS.certificate);
  const clientCert = readClientCertificate(parameters);
  if (mode === 'disable') return false;

  // rejectUnauthorized is always explicit: left unset, NODE_TLS_REJECT_UNAUTHORIZED=0 would turn checks off.
  const settings: ConnectionOptions =
    mode === 'require' && ca === undefined
      ? { rejectUnauthorized: false }
      : mode === 'verify-full'
        ? { rejectUnauthorized: true }
        : // verify-ca, and require with a CA file (libpq then checks the chain but not the name)
          { rejectUnauthorized: true, checkServerIdentity: () => undefined };
  if (ca !== undefined) settings.ca = ca;
  return { ...settings, ...clientCert };
}

function readClientCertificate(parameters: Map<KnownParameter, QueryValue>): Pick<ConnectionOptions, 'cert' | 'key' | 'passphrase'> {
  const certPath = parameters.get('sslcert')?.value;
  const keyPath = parameters.get('sslkey')?.value;
  const passphrase = parameters.get('sslpassword')?.value;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw invalid('sslcert and sslkey go together: give both files or neither');
  }
  if (certPath === undefined || keyPath === undefined) {
    if (passphrase !== undefined) throw invalid('sslpassword is given without sslcert and sslkey');
    return {};
  }
  const cert = readPemFile('sslcert', certPath, PEM_MARKERS.certificate);
  const key = readPemFile('sslkey', keyPath, PEM_MARKERS.privateKey);
  return passphrase === undefined ? { cert, key } : { cert, key, passphrase };
}

function readConnectTimeout(parameters: Map<KnownParameter, QueryValue>): number {
  const given = parameters.get('connect_timeout')?.value;
  if (given === undefined) return 0;
  if (!/^\d{1,9}$/.test(given)) throw invalid('connect_timeout must be a whole number of seconds');
  const seconds = Number(given);
  return seconds === 0 ? 0 : Math.max(seconds, 2) * 1000;
}

function readBoolean(parameters: Map<KnownParameter, QueryValue>, key: KnownParameter): boolean | undefined {
  const given = parameters.get(key)?.value;
  if (given === undefined) return undefined;
  if (given !== 'true' && given !== 'false') throw invalid(`${key} must be true or false`);
  return given === 'true';
}

function isKnown(key: string): key is KnownParameter {
  return (KNOWN_PARAMETERS as readonly string[]).includes(key);
}

