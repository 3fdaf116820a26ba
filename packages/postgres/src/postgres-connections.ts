import pg from 'pg';
import type { ConnectionFactory } from '@nightcrier/storage-core/adapter';

/** One server session: its pg client and the cancel requests sent for it that are still on their way. */
export interface PostgresConnection {
  client: pg.Client;
  cancels: Set<Promise<void>>;
}

export interface PostgresConnectionSettings {
  connectTimeoutMs: number;
  keepAliveMs: number;
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
const SESSION_SETUP = "set timezone to 'UTC'; set datestyle to 'ISO, YMD'";

/** How long a polite `end()` may take before the socket is destroyed instead (a silent peer never answers). */
const END_TIMEOUT_MS = 1000;

function destroy(client: pg.Client): void {
  // pg has no destroy(); its socket does. Ending it rejects whatever waits on the client.
  client.connection.stream.destroy();
}

/** Opens, ends and destroys the pg clients of one store's pool. */
export function postgresConnectionFactory(clientConfig: pg.ClientConfig, settings: PostgresConnectionSettings): ConnectionFactory<PostgresConnection> {
  const config: pg.ClientConfig = {
    ...clientConfig,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    keepAlive: settings.keepAliveMs > 0,
    keepAliveInitialDelayMillis: settings.keepAliveMs,
    types: TYPES,
  };
  return {
    async open(onDeath) {
      const client = new pg.Client(config);
      // Without a listener, a connection the server or the network kills would crash the process.
      client.on('error', onDeath);
      client.on('end', onDeath);
      try {
        await client.connect();
        await client.query(SESSION_SETUP);
      } catch (error) {
        destroy(client);
        throw error;
      }
      return { client, cancels: new Set() };
    },
    async close({ client }) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          destroy(client);
          resolve();
        }, END_TIMEOUT_MS);
      });
      await Promise.race([client.end().catch(() => undefined), late]);
      clearTimeout(timer);
    },
    destroy: ({ client }) => destroy(client),
  };
}
