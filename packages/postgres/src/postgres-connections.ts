import pg from 'pg';
import type { ConnectionFactory } from '@nightcrier/storage-core/adapter';
import { cancelBackend } from './cancel-backend.js';
import { openOnHostList } from './open-on-host-list.js';
import type { TargetSessionAttrs } from './session-target.js';
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

export function destroyClient(client: pg.Client): void {
  // pg has no destroy(); its socket does. Ending it rejects whatever waits on the client.
  client.connection.stream.destroy();
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
  void client.end().catch(() => undefined);
}

/** Stops a client that will not join the pool from reporting deaths; its late errors are dropped. */
function detach(client: pg.Client): void {
  client.removeAllListeners('end');
  client.removeAllListeners('error');
  client.on('error', () => undefined);
}

/** One connection attempt to one host: connected and set up, or destroyed and rejected. */
async function openOnHost(hostConfig: pg.ClientConfig, config: pg.ClientConfig, onDeath: () => void, signal: AbortSignal | undefined): Promise<PostgresConnection> {
  const client = new pg.Client(config);
  let connection: PostgresConnection | undefined;
  const died = () => {
    if (connection !== undefined) connection.socketGone = true;
    onDeath();
  };
  // Without a listener, a connection the server or the network kills would crash the process.
  client.on('error', died);
  client.on('end', died);
  // The caller gave up: drop the attempt, so a host that accepts TCP and never answers holds no pool slot.
  const onAbort = () => destroyClient(client);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    const setup: unknown = await client.query(SESSION_SETUP);
    connection = { client, hostConfig, cancels: new Set(), backend: directBackend(client, setup), busy: false, socketGone: false };
    return connection;
  } catch (error) {
    // Its 'end' may come after another host's session joined the pool: it must not report that one dead.
    detach(client);
    destroyClient(client);
    throw signal?.aborted === true ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
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
      connectionTimeoutMillis: settings.connectTimeoutMs,
      keepAlive: settings.keepAliveMs > 0,
      keepAliveInitialDelayMillis: settings.keepAliveMs,
      types: TYPES,
    },
  }));
  return {
    open: (onDeath, signal) =>
      openOnHostList(
        configs.map(({ hostConfig, config }) => ({ hostConfig, open: () => openOnHost(hostConfig, config, onDeath, signal) })),
        settings.targetSessionAttrs,
        signal,
        passOver,
      ),
    async close({ client }) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          destroyClient(client);
          resolve();
        }, END_TIMEOUT_MS);
      });
      await Promise.race([client.end().catch(() => undefined), late]);
      clearTimeout(timer);
    },
    destroy: abandonConnection,
  };
}
