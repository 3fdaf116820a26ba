import { ValidationError } from '../errors/state-store-error.js';
import type { StateStoreAdapter } from '../factory/state-store-adapter.js';
import { MigrationRunner } from '../migrations/migration-runner.js';
import type { MigrationOptions, MigrationResult, MigrationStatus } from '../migrations/migration-types.js';
import { redactError } from '../redaction/redact.js';
import type { StateStore, StoreOptions } from '../state-store.js';
import { createStore } from '../store/create-store.js';
import { normalizeError } from '../store/normalize-error.js';
import { compilerFor, StoreRuntime } from '../store/store-runtime.js';
import { checkTelemetryOptions, openStoreTelemetry } from '../telemetry/open-store-telemetry.js';
import { previewValue } from '../validation/preview-value.js';
import { type AdapterCapabilities, DEFAULT_CAPABILITIES } from './adapter-capabilities.js';
import type { AdapterConnection, Session } from './adapter-connection.js';
import type { DriverErrorKind } from './driver-error-kind.js';
import type { MigrationHooks } from './migration-hooks.js';
import { type ResolvedLayout, resolveLayout, type SchemaLayout } from './schema-layout.js';

/**
 * Everything an adapter supplies, once each. Core owns the rest: validation, the operations and
 * their SQL, transactions, cancellation, retries, error types, redaction, migrations' order and
 * bookkeeping, and the order in which a store opens (connect → schema check → migrate → ready).
 *
 * @example
 * ```ts
 * export const adapter = defineAdapter<MyConfig>({
 *   name: 'mydb',
 *   schemes: ['mydb'],
 *   parseUrl: (url) => ({ url }),
 *   connect: async (config) => ({ sql: myCompiler, codecs: myCodecs, pool: openMyPool(config), server: { system: 'mydb' } }),
 *   classifyError: (error) => (codeOf(error) === 'DUP' ? 'unique_violation' : undefined),
 *   migrations: { files: () => MY_MIGRATIONS },
 * });
 * export const createMyStateStore = adapter.openStore;
 * ```
 */
export interface AdapterDefinition<Config extends object> {
  /** Short name used in messages, e.g. `sqlite`. */
  name: string;
  /** URL schemes without the colon, e.g. `['postgres', 'postgresql']`. */
  schemes: readonly string[];
  /** The adapter's own settings read from a URL of one of its schemes; a `ValidationError` for a bad URL. */
  parseUrl(url: string): Config;
  /**
   * Opens the connections of one store (or of one migration run: `pool.maxOpenConns` is then 1).
   * With `migrate: false` it must create nothing (SQLite: no missing file). Only session setup may
   * run queries; core checks the schema right after.
   */
  connect(config: Config & StoreOptions): Promise<AdapterConnection>;
  /** What a driver error means; undefined for anything else (it becomes a `StorageError`). */
  classifyError(error: unknown): DriverErrorKind | undefined;
  /** Where the engine's SQL differs from the defaults (see `AdapterCapabilities`). */
  capabilities?: Partial<AdapterCapabilities>;
  /** The adapter's numbered migrations and, optionally, how it serialises concurrent migrators. */
  migrations: MigrationHooks;
  /**
   * Which `SchemaLayout` the database needs, when the engine has a variant with a schema of its
   * own (PostgreSQL: Citus); undefined for the adapter's own schema. Runs on one session right
   * after `connect`, before the schema check, for stores and migration runs alike.
   */
  detectLayout?(session: Session): Promise<SchemaLayout | undefined>;
}

/** An adapter as `defineAdapter` returns it: for the registry, and `openStore` for the adapter's own factory function. */
export interface DefinedAdapter<Config extends object> extends StateStoreAdapter {
  /** The definition's capabilities merged over `DEFAULT_CAPABILITIES`. */
  readonly capabilities: Readonly<AdapterCapabilities>;
  /**
   * Opens a store from the adapter's own config: connects, checks the schema, applies pending
   * migrations unless `migrate: false`, and resolves when the store is ready. Export it as the
   * adapter's factory (`createXStateStore`).
   * @throws `ValidationError` for invalid options; `ConnectionError` when the database
   * cannot be reached; `StorageError` for a schema it cannot use (dirty, or newer without `allowNewerSchema`).
   */
  openStore(config: Config & StoreOptions): Promise<StateStore>;
  /** Opens a store for `url` (parsed with `parseUrl`, its settings over `options`); what `createStateStore` calls. */
  open(url: string, options: StoreOptions): Promise<StateStore>;
  /** Applies or reverts migrations on the database at `url` over one connection; what `runMigrations` calls. */
  migrate(url: string, options: MigrationOptions): Promise<MigrationResult>;
  /** Reads the migration state of the database at `url` without changing it; what `migrationStatus` calls. */
  migrationStatus(url: string): Promise<MigrationStatus>;
}

function checkStoreOptions(options: StoreOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(`invalid options: expected an object, got ${previewValue(options)}`, { field: 'options' });
  }
  for (const key of ['migrate', 'allowNewerSchema'] as const) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new ValidationError(`invalid ${key}: expected true or false, got ${previewValue(value)}`, { field: key });
    }
  }
  checkTelemetryOptions(options.telemetry);
}

/**
 * Builds a complete adapter from its primitives; every adapter, built-in or third-party, gets the
 * same store from it. Pass the result to `registerAdapter` to make `createStateStore` open its
 * schemes, and export its `openStore` as the adapter's own factory. The result must pass the
 * conformance suite (`@nightcrier/storage-core/conformance`).
 *
 * @example
 * ```ts
 * import { SqliteAdapter, SqliteQueryCompiler } from 'kysely';
 * import { defineAdapter, type Session } from '@nightcrier/storage-core/adapter';
 *
 * export const adapter = defineAdapter<{ url: string }>({
 *   name: 'mydb',
 *   schemes: ['mydb'],
 *   parseUrl: (url) => ({ url }),
 *   async connect({ url }) {
 *     const db = await openDriver(url); // your driver
 *     const session: Session = {
 *       execute: async (query) => ({ rows: await db.all(query.sql, query.parameters) }),
 *       executeScript: (script) => db.exec(script),
 *       release: () => undefined,
 *     };
 *     return {
 *       sql: { createAdapter: () => new SqliteAdapter(), createQueryCompiler: () => new SqliteQueryCompiler() },
 *       codecs: {
 *         encodeTimestamp: (date) => date.getTime(),
 *         decodeTimestamp: (value) => new Date(Number(value)),
 *         encodeJson: (value) => JSON.stringify(value),
 *         decodeJson: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
 *       },
 *       pool: {
 *         acquire: async () => session,
 *         stats: () => ({ totalConnections: 1, idleConnections: 1, activeConnections: 0, waitingRequests: 0 }),
 *         close: () => db.close(),
 *       },
 *       server: { system: 'mydb' },
 *     };
 *   },
 *   classifyError: (error) => ((error as { code?: string }).code === 'CONSTRAINT_UNIQUE' ? 'unique_violation' : undefined),
 *   migrations: { files: () => MIGRATIONS }, // generated from your numbered SQL files
 * });
 * export const createMyStateStore = adapter.openStore;
 * ```
 */
export function defineAdapter<Config extends object>(definition: AdapterDefinition<Config>): DefinedAdapter<Config> {
  const capabilities: Readonly<AdapterCapabilities> = Object.freeze({ ...DEFAULT_CAPABILITIES, ...definition.capabilities });
  const classify = (error: unknown) => definition.classifyError(error);

  /** Connects, runs `work`, and turns a failure into a typed, redacted error; `keep` says whether the connection outlives it. */
  async function withConnection<T>(config: Config & StoreOptions, action: string, work: (connection: AdapterConnection) => Promise<T>, keep: (value: T) => boolean): Promise<T> {
    checkStoreOptions(config);
    let connection: AdapterConnection | undefined;
    try {
      connection = await definition.connect(config);
      const value = await work(connection);
      if (!keep(value)) await connection.pool.close();
      return value;
    } catch (error) {
      await connection?.pool.close().catch(() => undefined);
      throw redactError(normalizeError(error, action, classify(error), { secrets: connection?.secrets ?? [] }), connection?.secrets ?? []);
    }
  }

  const layoutOf = (connection: AdapterConnection): Promise<ResolvedLayout> =>
    resolveLayout(() => connection.pool.acquire(), definition.detectLayout?.bind(definition), { capabilities, migrations: definition.migrations });

  const runnerFor = (connection: AdapterConnection, layout: ResolvedLayout) =>
    new MigrationRunner({
      pool: connection.pool,
      compiler: compilerFor(connection),
      capabilities: layout.capabilities,
      hooks: layout.migrations,
      ...(layout.name === undefined ? {} : { layout: layout.name }),
      classify,
      secrets: connection.secrets ?? [],
      lockWaitMs: connection.lockWaitMs ?? 5000,
    });

  const openStore = (config: Config & StoreOptions): Promise<StateStore> =>
    withConnection(
      config,
      `open the ${definition.name} store`,
      async (connection) => {
        const layout = await layoutOf(connection);
        const telemetry = await openStoreTelemetry(connection, config.telemetry);
        const runtime = new StoreRuntime(definition.name, connection, layout.capabilities, classify, config, telemetry);
        const migrations = runnerFor(connection, layout);
        try {
          const status = await migrations.checkSchema(config.allowNewerSchema === true);
          // A newer version's schema (allowed for read-only use) is never migrated by this one.
          if (config.migrate !== false && status.unknown.length === 0) await migrations.migrate();
        } catch (error) {
          // No store: stop reporting its pool and give its pool name back.
          telemetry?.close();
          throw error;
        }
        return createStore(runtime);
      },
      () => true,
    );

  // One connection is all a migration run needs.
  const forMigrations = (url: string, migrate: boolean): Config & StoreOptions => ({ ...definition.parseUrl(url), migrate, pool: { maxOpenConns: 1 } });

  return {
    name: definition.name,
    schemes: [...definition.schemes],
    capabilities,
    open: async (url, options) => openStore({ ...options, ...definition.parseUrl(url) }),
    openStore,
    migrate: async (url: string, options: MigrationOptions): Promise<MigrationResult> =>
      withConnection(forMigrations(url, true), 'migrate', async (connection) => runnerFor(connection, await layoutOf(connection)).migrate(options), () => false),
    migrationStatus: async (url: string): Promise<MigrationStatus> =>
      withConnection(forMigrations(url, false), 'read migration status', async (connection) => runnerFor(connection, await layoutOf(connection)).status(), () => false),
  };
}
