import { CompiledQuery, MysqlAdapter, MysqlQueryCompiler } from 'kysely';
import { type AdapterDefinition, builtInSchemes, ConnectionPool, defineAdapter, type Lease, poolSettings, StatementWatchdog } from '@nightcrier/storage-core/adapter';
import { MIGRATIONS } from './generated/migrations.js';
import { mysqlCodecs } from './mysql-codecs.js';
import { MYSQL_DEFAULTS, type MysqlStoreConfig } from './mysql-config.js';
import { abandonConnection, type MysqlConnection, mysqlConnectionFactory, run, sessionOptions } from './mysql-connections.js';
import { mysqlErrorKind } from './mysql-error-kind.js';
import { MysqlSession } from './mysql-session.js';
import { parseMysqlUrl } from './parse-mysql-url.js';
import { processlistProbe } from './processlist-probe.js';

// One lock name for every nightcrier migrator on a server. GET_LOCK is session-scoped, which is
// right here: MySQL's DDL is not transactional, so the lock is held for the whole run.
const MIGRATION_LOCK = 'nightcrier_migrations';
const MIGRATION_LOCK_WAIT_S = 600;

/** The MySQL primitives, as `defineAdapter` takes them (tests build variants of it, e.g. with a failing migration). */
export const mysqlAdapterDefinition: AdapterDefinition<MysqlStoreConfig> = {
  name: 'mysql',
  schemes: builtInSchemes('mysql'),
  parseUrl: (url) => ({ url }),
  async connect(config) {
    const parsed = parseMysqlUrl(config.url);
    const options = sessionOptions(parsed.connection, {
      connectTimeoutMs: parsed.connectTimeoutMs ?? config.connectTimeoutMs ?? MYSQL_DEFAULTS.connectTimeoutMs,
      keepAliveMs: config.keepAliveMs ?? MYSQL_DEFAULTS.keepAliveMs,
    });
    const connections = new ConnectionPool(mysqlConnectionFactory(options), poolSettings(config.pool));
    const watchdog = new StatementWatchdog<MysqlConnection>({
      silenceMs: config.keepAliveMs ?? MYSQL_DEFAULTS.keepAliveMs,
      probe: processlistProbe(options),
      destroy: (connection) => abandonConnection(options, connection),
    });
    const session = (lease: Lease<MysqlConnection>) => new MysqlSession(lease, options, watchdog);
    // Which server it is, for telemetry: the first connection of the pool answers it.
    const first = await connections.acquire();
    let system = 'mysql';
    try {
      const [row] = await run<Array<{ version: string }>>(first.connection.raw, 'SELECT VERSION() AS version');
      if (/mariadb/i.test(row?.version ?? '')) system = 'mariadb';
      first.release(true);
    } catch (error) {
      first.release(false);
      await connections.close();
      throw error;
    }
    return {
      sql: { createAdapter: () => new MysqlAdapter(), createQueryCompiler: () => new MysqlQueryCompiler() },
      codecs: mysqlCodecs,
      pool: connections.asSessionPool(session),
      server: {
        system,
        namespace: String(parsed.connection.database),
        ...(parsed.connection.host === undefined ? {} : { address: parsed.connection.host, port: Number(parsed.connection.port) }),
      },
      secrets: parsed.secrets,
      // InnoDB already waited innodb_lock_wait_timeout before it said 1205: do not wait again.
      lockWaitMs: 0,
    };
  },
  classifyError: mysqlErrorKind,
  capabilities: {
    insertIfAbsent: 'on-duplicate-key-noop',
    upsert: 'on-duplicate-key-update',
    // MariaDB's planner turns only the spelled-out form into an index range.
    keysetComparison: 'expanded',
    transactionalDdl: false,
    beginTransaction: 'start transaction',
  },
  migrations: {
    files: () => MIGRATIONS,
    async lock(session) {
      const { rows } = await session.execute(CompiledQuery.raw('SELECT GET_LOCK(?, ?) AS acquired', [MIGRATION_LOCK, MIGRATION_LOCK_WAIT_S]));
      if (Number(rows[0]?.['acquired']) !== 1) throw new Error(`the migration lock ${MIGRATION_LOCK} was not granted within ${MIGRATION_LOCK_WAIT_S} s`);
      return async () => {
        await session.execute(CompiledQuery.raw('SELECT RELEASE_LOCK(?) AS released', [MIGRATION_LOCK]));
      };
    },
  },
};

/** The adapter `createStateStore` uses for `mysql:` and `mariadb:` URLs. */
export const adapter = defineAdapter(mysqlAdapterDefinition);

/**
 * Opens a MySQL 8 / MariaDB 10.11+ store on `config.url` with a connection pool, applying pending
 * migrations unless `migrate` is false.
 *
 * @example
 * ```ts
 * const store = await createMysqlStateStore({ url: 'mysql://app:secret@db:3306/nightcrier?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ssl/db-ca.pem' });
 * ```
 */
export const createMysqlStateStore = adapter.openStore;
