import pg from 'pg';
import type { ConnectionFactory } from '@nightcrier/storage-core/adapter';
import { cancelBackend } from './cancel-backend.js';
import { destroyClient } from './destroy-client.js';
import { type OpenedSession, openOnHostList } from './open-on-host-list.js';
import { readSessionRole, type SessionRole, type TargetSessionAttrs } from './session-target.js';
import { type BackendIdentity, terminateSession } from './terminate-session.js';

/** One server session: its pg client and the cancel requests sent for it that are still on their way. */
export interface PostgresConnection {
  client: pg.Client;
  /**
   * The settings of the host this session really went to (of a multi-host URL, the one that
   * answered and suited `target_session_attrs`): cancel requests and probes go there.
   */
  hostConfig: pg.ClientConfig;
  cancels: Set<Promise<void>>;
  /**
   * The server process of the session, when the client talks to it directly. Undefined behind a
   * pooler (PgBouncer answers with keys of its own): the session cannot be looked up on the server.
   */
  backend: BackendIdentity | undefined;
  /** A statement is on its way or running: destroying the connection cancels it on the server first. */
  busy: boolean;
  /** The socket closed or failed, or the store already gave the session up: nothing left to end on the server. */
  socketGone: boolean;
}

/** How the factory opens sessions, beside the hosts' own settings. */
export interface PostgresConnectionSettings {
  /** Per host attempt, as libpq's connect_timeout. */
  connectTimeoutMs: number;
  keepAliveMs: number;
  /** Which host of the list a session may settle on. */
  targetSessionAttrs: TargetSessionAttrs;
}

const TIMESTAMPTZ_OID = 1184;
const keepText = (value: string): string => value;
// Raw timestamptz text: our codec parses it, whatever global pg type parsers the application
// installed (every session is set to UTC and ISO output below).
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID ? keepText : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

// Timestamps are parsed from ISO-style text in UTC: set both on every new session, whatever the
// server's or the database's defaults. Both are parameters the server reports, which PgBouncer
// re-applies whenever it hands the client another server connection.
// The session's pid and start time name it exactly, for ending it should the store abandon it.
const SESSION_SETUP =
  "set timezone to 'UTC'; set datestyle to 'ISO, YMD'; select pid, backend_start::text as started from pg_stat_activity where pid = pg_backend_pid()";

/** How long a polite `end()` may take before the socket is destroyed instead (a silent peer never answers). */
const END_TIMEOUT_MS = 1000;

/** A polite `end()`, bounded: after {@link END_TIMEOUT_MS} the socket is destroyed instead. */
async function closeClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      destroyClient(client);
      resolve();
    }, END_TIMEOUT_MS);
  });
  await Promise.race([client.end().catch(() => undefined), late]);
  clearTimeout(timer);
}

/** The backend the session reports, if it is the one the client's backend key names. */
function directBackend(client: pg.Client, setup: unknown): BackendIdentity | undefined {
  const results = Array.isArray(setup) ? (setup as pg.QueryResult[]) : [setup as pg.QueryResult];
  const row = results[results.length - 1]?.rows[0];
  const pid = Number(row?.['pid']);
  const startedAt = row?.['started'];
  // pg keeps the session's backend key on the client without typing it.
  const direct = pid === (client as pg.Client & { processID: number | null }).processID;
  return direct && typeof startedAt === 'string' ? { pid, startedAt } : undefined;
}

/**
 * Drops a connection the store gave up on (it broke, a statement on it never answered, its call
 * was abandoned). When its socket still looks open, as through a network that lost its state
 * silently, the server's session may live on, in a transaction and holding its row locks: stop its
 * statement, and end the session from another connection once the server can be reached.
 */
export function abandonConnection(connection: PostgresConnection): void {
  const { client, hostConfig, backend } = connection;
  if (!connection.socketGone) {
    connection.socketGone = true;
    // The server would go on running a statement whose client vanished (a lock wait never
    // notices the closed socket): stop it first. Best effort; never waited for.
    if (connection.busy) void cancelBackend(client, hostConfig);
    if (backend !== undefined) void terminateSession(hostConfig, backend);
  }
  destroyClient(client);
}

/**
 * Ends a session the host walk passed over (a standby when a primary is wanted). Its listeners go
 * first: its end would otherwise report the death of the pool entry of the session chosen instead.
 */
function passOver({ client }: PostgresConnection): void {
  detach(client);
  void closeClient(client);
}

/** Stops a client that will not join the pool from reporting deaths; its late errors are dropped. */
function detach(client: pg.Client): void {
  client.removeAllListeners('end');
  client.removeAllListeners('error');
  client.on('error', () => undefined);
}

/** The per-host deadline: what the walk's reason and the store's ConnectionError say. */
function deadlineError(hostConfig: pg.ClientConfig, timeoutMs: number): Error {
  // "timeout expired", as libpq words it (and postgresErrorKind reads it as a connect failure).
  return new Error(`timeout expired: ${String(hostConfig.host)}:${String(hostConfig.port)} did not connect, set up the session and answer within ${timeoutMs} ms (connect_timeout)`);
}

/**
 * One connection attempt to one host: connected, set up and (for a `target` other than `any`)
 * asked what it is, or destroyed and rejected. As libpq's connect_timeout, one deadline covers the
 * whole attempt, so a host that goes silent after authentication cannot hold the walk (and a pool
 * slot) for as long as TCP keepalive takes; the caller's signal ends it at any point as well.
 */
async function openOnHost(
  hostConfig: pg.ClientConfig,
  config: pg.ClientConfig,
  settings: PostgresConnectionSettings,
  onDeath: () => void,
  signal: AbortSignal | undefined,
): Promise<OpenedSession<PostgresConnection>> {
  const client = new pg.Client(config);
  let connection: PostgresConnection | undefined;
  const died = () => {
    if (connection !== undefined) connection.socketGone = true;
    onDeath();
  };
  // Without a listener, a connection the server or the network kills would crash the process.
  client.on('error', died);
  client.on('end', died);
  // The caller gave up, or the deadline passed: drop the attempt, so a host that accepts TCP and
  // never answers holds no pool slot. Its 'end' must not report another host's session dead.
  const drop = () => {
    detach(client);
    destroyClient(client);
  };
  signal?.addEventListener('abort', drop, { once: true });
  let timedOut = false;
  const timer =
    settings.connectTimeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          drop();
        }, settings.connectTimeoutMs)
      : undefined;
  try {
    await client.connect();
    const setup: unknown = await client.query(SESSION_SETUP);
    const role: SessionRole | undefined = settings.targetSessionAttrs === 'any' ? undefined : await readSessionRole(client);
    if (timedOut) throw deadlineError(hostConfig, settings.connectTimeoutMs);
    connection = { client, hostConfig, cancels: new Set(), backend: directBackend(client, setup), busy: false, socketGone: false };
    return { session: connection, role };
  } catch (error) {
    drop();
    if (signal?.aborted === true) throw signal.reason;
    throw timedOut ? deadlineError(hostConfig, settings.connectTimeoutMs) : error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', drop);
  }
}

/**
 * Opens, ends and destroys the pg clients of one store's pool. Every new connection walks the host
 * list from the start, so after a failover new connections find the new primary by themselves.
 */
export function postgresConnectionFactory(hostConfigs: readonly pg.ClientConfig[], settings: PostgresConnectionSettings): ConnectionFactory<PostgresConnection> {
  const configs = hostConfigs.map((hostConfig) => ({
    hostConfig,
    config: {
      ...hostConfig,
      // The deadline in openOnHost covers the whole attempt; this one is pg's own for the connect.
      connectionTimeoutMillis: settings.connectTimeoutMs,
      keepAlive: settings.keepAliveMs > 0,
      keepAliveInitialDelayMillis: settings.keepAliveMs,
      types: TYPES,
    },
  }));
  return {
    open: (onDeath, signal) =>
      openOnHostList(
        configs.map(({ hostConfig, config }) => ({ hostConfig, open: () => openOnHost(hostConfig, config, settings, onDeath, signal) })),
        settings.targetSessionAttrs,
        signal,
        passOver,
      ),
    close: ({ client }) => closeClient(client),
    destroy: abandonConnection,
  };
}
