import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The store's SQLite tables (migrations/sqlite: instants as INTEGER epoch ms, JSON as text) as a
// Drizzle user declares them: drizzle-pg-schema.ts column for column, in sqlite-core's builders
// (Drizzle's dialects share no table builder). Field names are the column names, so rows come back
// in the shape the shared row mappers read.
const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** The resource a fault event and its incident are about. */
const resourceColumns = () => ({
  resource_api_version: text('resource_api_version'),
  resource_kind: text('resource_kind'),
  resource_name: text('resource_name'),
  resource_namespace: text('resource_namespace'),
  resource_uid: text('resource_uid'),
});

/** What an incident copies from its fault event. */
const faultColumns = () => ({
  fault_type: text('fault_type').notNull(),
  severity: text('severity').notNull(),
  context: text('context').notNull(),
  timestamp: text('timestamp').notNull(),
});

export const faultEvents = sqliteTable('fault_events', {
  fault_id: text('fault_id').primaryKey(),
  received_at: instant('received_at').notNull(),
  subscription_id: text('subscription_id').notNull(),
  cluster: text('cluster').notNull(),
  ...resourceColumns(),
  ...faultColumns(),
});

export const incidents = sqliteTable('incidents', {
  incident_id: text('incident_id').primaryKey(),
  fault_id: text('fault_id').notNull(),
  status: text('status').notNull(),
  created_at: instant('created_at').notNull(),
  started_at: instant('started_at'),
  completed_at: instant('completed_at'),
  exit_code: integer('exit_code'),
  failure_reason: text('failure_reason'),
  cluster: text('cluster').notNull(),
  namespace: text('namespace'),
  ...resourceColumns(),
  ...faultColumns(),
  triggering_event_id: text('triggering_event_id'),
});

export const agentExecutions = sqliteTable('agent_executions', {
  execution_id: text('execution_id').primaryKey(),
  incident_id: text('incident_id').notNull(),
  started_at: instant('started_at').notNull(),
  completed_at: instant('completed_at'),
  exit_code: integer('exit_code'),
  error_message: text('error_message'),
  log_paths: text('log_paths', { mode: 'json' }).$type<Record<string, string>>(),
});
