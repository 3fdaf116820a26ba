import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import {
  createKyselyStateStore,
  createQueryLogger,
  redactSecrets,
  runMigrationFiles,
  type StateStore,
  type StatusMatcher,
  type StorageSchema,
} from '@nightcrier/storage-core';
import { parsePostgresUrl } from './parse-postgres-url.js';
import { postgresCodecs } from './postgres-codecs.js';
import { poolSettings, type PostgresStoreConfig } from './postgres-config.js';
import { postgresErrorKind } from './postgres-error-kind.js';
import { postgresMigrationDialect, postgresMigrationFiles } from './postgres-migrations.js';
import { NightcrierPostgresPool } from './postgres-pool.js';

const TIMESTAMPTZ_OID = 1184;
const keepText = (value: string): string => value;

// One statement shape whatever the number of statuses, so the server reuses one plan.
const statusAny: StatusMatcher = (_eb, status, statuses) => sql<boolean>`${status} = any(${[...statuses]}::text[])`;

/** A Kysely instance on a fresh pool for `config`, with what redaction and stats need. */
export function openPostgresKysely(config: PostgresStoreConfig) {
  const { clientConfig, secrets } = parsePostgresUrl(config.url);
  // The URL's connect_timeout wins; 0 or absent there means "not set", as for libpq.
  const urlConnectTimeout = clientConfig.connectionTimeoutMillis;
  const settings = poolSettings(config.pool, urlConnectTimeout !== undefined && urlConnectTimeout > 0 ? urlConnectTimeout : config.connectTimeoutMs);
  const sessionConfig: pg.ClientConfig = {
    ...clientConfig,
    // Raw timestamptz text: our codec parses it, whatever global pg type parsers the application
    // installed (the pool sets UTC and ISO output on every session).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === TIMESTAMPTZ_OID ? keepText : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
    },
  };
  const pool = new NightcrierPostgresPool(sessionConfig, settings);
  const log = createQueryLogger(config.onQuery, secrets);
  const dialect = new PostgresDialect({ pool });
  const db = new Kysely<StorageSchema>(log === undefined ? { dialect } : { dialect, log });
  return { db, pool, secrets };
}

/**
 * Opens a PostgreSQL store on `config.url` with a connection pool, applying pending migrations
 * unless `migrate` is false.
 */
export async function createPostgresStateStore(config: PostgresStoreConfig): Promise<StateStore> {
  const { db, pool, secrets } = openPostgresKysely(config);
  const store = createKyselyStateStore(
    {
      dialect: 'postgres',
      db,
      codecs: postgresCodecs,
      matchStatus: statusAny,
      writableCte: true,
      secrets,
      classifyError: postgresErrorKind,
      stats: () => pool.stats(),
      destroy: () => db.destroy(),
    },
    config,
  );
  try {
    if (config.migrate !== false) {
      await runMigrationFiles(db, postgresMigrationDialect, await postgresMigrationFiles(), {}, secrets);
    } else {
      await store.health();
    }
  } catch (error) {
    await store.close().catch(() => undefined);
    throw redactSecrets(error, secrets);
  }
  return store;
}
