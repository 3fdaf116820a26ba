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
} from './errors/state-store-error.js';
export type { StateStoreErrorCode } from './errors/state-store-error.js';
export {
  validateAgentExecution,
  validateFaultEvent,
  validateIncident,
  validateIncidentFilters,
  validatePageFilters,
  validateTriageReport,
} from './validation/validate-records.js';

export { createStateStore, runMigrations, migrationStatus } from './factory/create-state-store.js';
export { registerAdapter, supportedSchemes, urlScheme } from './factory/adapter-registry.js';
export type { StateStoreAdapter } from './factory/state-store-adapter.js';
export type { MigrationDirection, MigrationFile, MigrationOptions, MigrationResult, MigrationStatus } from './migrations/migration-types.js';

// For adapter authors: the query layer and the adapter factory.
export { createKyselyStateStore } from './store/create-kysely-state-store.js';
export type { StoreDriver, DriverErrorKind } from './store/store-driver.js';
export { currentOperationSignal, refuseIfAbandoned, StatementAbortedError, trackStatement } from './store/operation-context.js';
export { createQueryLogger } from './store/query-logger.js';
export { redactConnectionUrl, redactSecrets, redactText } from './store/redact-secrets.js';
export type { StorageSchema, StoredTimestamp } from './query/storage-schema.js';
export type { ValueCodecs } from './query/value-codecs.js';
export type { StatusMatcher } from './query/incident-filters.js';
export { loadMigrationFiles, migrationFilesIn } from './migrations/load-migration-files.js';
export { defineAdapter } from './factory/define-adapter.js';
export type { AdapterDefinition, MigrationConnection } from './factory/define-adapter.js';
export { runMigrationFiles, readMigrationStatus } from './migrations/migration-runner.js';
export type { MigrationDialect } from './migrations/migration-runner.js';
