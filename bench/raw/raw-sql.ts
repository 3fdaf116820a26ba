/**
 * Column lists and the list order the raw baselines write their SQL with, in the order the
 * parameters of raw-params.ts bind them: one place, so an insert's columns and its values cannot
 * drift apart between engines.
 */
export const EVENT_COLUMNS = `fault_id, received_at, subscription_id, cluster, resource_api_version, resource_kind, resource_name,
  resource_namespace, resource_uid, fault_type, severity, context, timestamp`;
export const INCIDENT_COLUMNS = `incident_id, fault_id, status, created_at, started_at, completed_at, exit_code, failure_reason, cluster,
  namespace, resource_api_version, resource_kind, resource_name, resource_namespace, resource_uid, fault_type, severity, context,
  timestamp, triggering_event_id`;
export const EXECUTION_COLUMNS = 'execution_id, incident_id, started_at, completed_at, exit_code, error_message, log_paths';
export const REPORT_COLUMNS = 'report_id, incident_id, execution_id, generated_at, report_markdown, report_html';

/** The store's list and keyset-page order. */
export const LIST_ORDER = 'order by created_at desc, incident_id desc';

/** `?, ?, …`: `count` positional placeholders (SQLite, MySQL). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
