/**
 * The adapter-author API: everything a backend needs to join through `defineAdapter` (sessions,
 * capabilities, the pool, migrations, URL and redaction helpers) and nothing an application needs.
 * Applications import `@nightcrier/storage-core`.
 * @module @nightcrier/storage-core/adapter
 */
export { defineAdapter } from './adapter/define-adapter.js';
export type { AdapterDefinition, DefinedAdapter } from './adapter/define-adapter.js';
export type { AdapterConnection, Row, ServerIdentity, Session, SessionPool, SqlCompiler } from './adapter/adapter-connection.js';
export { DEFAULT_CAPABILITIES } from './adapter/adapter-capabilities.js';
export type { AdapterCapabilities } from './adapter/adapter-capabilities.js';
export type { DriverErrorKind } from './adapter/driver-error-kind.js';
export type { MigrationHooks } from './adapter/migration-hooks.js';
export type { SchemaLayout } from './adapter/schema-layout.js';
export { decodeUrlPart, invalidUrl, openServerUrl, PEM_MARKERS, readPemFile, urlHost } from './adapter/server-url.js';
export { whileBusy } from './adapter/while-busy.js';
export type { MigrationFile } from './migrations/migration-types.js';
export { ConnectionPool } from './pool/connection-pool.js';
export type { ConnectionFactory, Lease } from './pool/connection-pool.js';
export { POOL_DEFAULTS, poolSettings } from './pool/pool-settings.js';
export type { PoolSettings } from './pool/pool-settings.js';
export type { StoredTimestamp } from './query/storage-schema.js';
export type { OwnerTables, StorageSchema } from './query/storage-schema.js';
export type { ValueCodecs } from './query/value-codecs.js';
export { redactText, redactUrl, urlSecrets, REDACTED } from './redaction/redact.js';
export { BUILT_IN_ADAPTERS, builtInAdapterFor, builtInSchemes, supportedSchemes, urlScheme } from './factory/adapter-registry.js';
export type { BuiltInAdapter } from './factory/adapter-registry.js';
// The errors an adapter throws from its own code (URL parsing, connecting) and the types its
// configuration and factory are written in: the same classes and types as the user API's.
export {
  ConnectionError,
  NativeModuleError,
  StateStoreError,
  StorageError,
  StoreClosedError,
  ValidationError,
} from './errors/state-store-error.js';
export type { ConnectionStats } from './domain/types.js';
export type { PoolOptions, StateStore, StoreOptions } from './state-store.js';
export type { TelemetryOptions } from './telemetry/telemetry-options.js';
export { StatementWatchdog } from './adapter/statement-watchdog.js';
export type { StatementProbe, StatementWatchdogOptions } from './adapter/statement-watchdog.js';
