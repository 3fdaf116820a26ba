/**
 * The user API: open a store by URL (`createStateStore`), the `StateStore` contract, its records,
 * errors and migrations. Adapter authors: see `@nightcrier/storage-core/adapter`.
 *
 * @example
 * ```ts
 * import { createStateStore } from '@nightcrier/storage-core';
 * const store = await createStateStore('sqlite:./nightcrier.db');
 * ```
 * @module @nightcrier/storage-core
 */
export type {
  AgentExecution,
  ConnectionStats,
  FaultEvent,
  Incident,
  IncidentFilters,
  IncidentPage,
  IncidentPageFilters,
  IncidentStatus,
  OperationOptions,
  ResourceInfo,
  TriageReport,
} from './domain/types.js';
export { INCIDENT_STATUSES } from './domain/types.js';
export { newIncidentFromEvent } from './domain/new-incident-from-event.js';
export type { StateStore, StateStoreOperations, StateStoreTransaction, StoreOptions, PoolOptions, QueryEvent } from './state-store.js';
export type { TelemetryOptions } from './telemetry/telemetry-options.js';
export {
  StateStoreError,
  NotFoundError,
  ConflictError,
  ForeignKeyError,
  ValidationError,
  ConnectionError,
  OperationTimeoutError,
  OperationCancelledError,
  StoreClosedError,
  StorageError,
  NativeModuleError,
} from './errors/state-store-error.js';
export type { StateStoreErrorCode, StateStoreErrorOptions } from './errors/state-store-error.js';
export { FIELD_LIMITS } from './validation/field-limits.js';
export { createStateStore, runMigrations, migrationStatus } from './factory/create-state-store.js';
export { registerAdapter } from './factory/adapter-registry.js';
export type { StateStoreAdapter } from './factory/state-store-adapter.js';
export type { MigrationDirection, MigrationOptions, MigrationResult, MigrationStatus } from './migrations/migration-types.js';
