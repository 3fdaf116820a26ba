import { PostgresAdapter, PostgresQueryCompiler } from 'kysely';
import { builtInSchemes, ConnectionPool, defineAdapter, type Lease, poolSettings, StatementWatchdog, ValidationError } from '@nightcrier/storage-core/adapter';
import { backendProbe } from './backend-probe.js';
import { detectCitus } from './citus-layout.js';
import { MIGRATIONS } from './generated/migrations.js';
import { takeMigrationLock } from './migration-lock.js';
import { parsePostgresUrl } from './parse-postgres-url.js';
import { postgresCodecs } from './postgres-codecs.js';
import { POSTGRES_DEFAULTS, type PostgresStoreConfig } from './postgres-config.js';
import { abandonConnection, type PostgresConnection, postgresConnectionFactory } from './postgres-connections.js';
import { postgresErrorKind } from './postgres-error-kind.js';
import { postgresServerIdentity } from './postgres-server-identity.js';
import { PostgresSession } from './postgres-session.js';
import { StatementNames } from './statement-names.js';

/** The adapter `createStateStore` uses for `postgres:` and `postgresql:` URLs. */
export const adapter = defineAdapter<PostgresStoreConfig>({
  name: 'postgres',
  schemes: builtInSchemes('postgres'),
  parseUrl: (url) => ({ url }),
  async connect(config) {
    const { clientConfig, hostConfigs, targetSessionAttrs, secrets, preparedStatements } = parsePostgresUrl(config.url);
    // The URL's connect_timeout wins; 0 or absent there means "not set", as for libpq.
    const urlConnectTimeout = clientConfig.connectionTimeoutMillis ?? 0;
    const keepAliveMs = config.keepAliveMs ?? POSTGRES_DEFAULTS.keepAliveMs;
    const connections = new ConnectionPool(
      postgresConnectionFactory(hostConfigs, {
        connectTimeoutMs: urlConnectTimeout > 0 ? urlConnectTimeout : (config.connectTimeoutMs ?? POSTGRES_DEFAULTS.connectTimeoutMs),
        keepAliveMs,
        targetSessionAttrs,
      }),
      poolSettings(config.pool),
    );
    const named = preparedStatements ?? config.preparedStatements ?? true;
    if (typeof named !== 'boolean') throw new ValidationError('invalid preparedStatements: expected true or false', { field: 'preparedStatements' });
    // Capacity 0: no name is ever given out, so every statement runs unnamed.
    const names = new StatementNames(named ? undefined : 0);
    const watchdog = new StatementWatchdog({ silenceMs: keepAliveMs, probe: backendProbe(), destroy: abandonConnection });
    const session = (lease: Lease<PostgresConnection>) => new PostgresSession(lease, names, watchdog);
    return {
      sql: { createAdapter: () => new PostgresAdapter(), createQueryCompiler: () => new PostgresQueryCompiler() },
      codecs: postgresCodecs,
      pool: connections.asSessionPool(session),
      server: postgresServerIdentity(hostConfigs),
      secrets,
    };
  },
  classifyError: postgresErrorKind,
  capabilities: { insertInsideWith: true, statusMatch: 'any-array' },
  migrations: { files: () => MIGRATIONS, lock: takeMigrationLock },
  detectLayout: detectCitus,
});

/**
 * Opens a PostgreSQL store on `config.url` with a connection pool, applying pending migrations
 * unless `migrate` is false.
 *
 * @example
 * ```ts
 * const store = await createPostgresStateStore({ url: 'postgres://app:secret@db:5432/nightcrier?sslmode=verify-full', pool: { maxOpenConns: 10 } });
 * ```
 */
export const createPostgresStateStore = adapter.openStore;
