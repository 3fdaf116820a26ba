import type { LogEvent } from 'kysely';
import type { QueryEvent } from '../state-store.js';
import { redactSecrets, redactText } from './redact-secrets.js';

/**
 * A Kysely `log` function that reports each query to `onQuery` without its parameters (they hold
 * user data), with secrets removed from any error.
 */
export function createQueryLogger(onQuery: ((event: QueryEvent) => void) | undefined, secrets: readonly string[] = []) {
  if (onQuery === undefined) return undefined;
  return (event: LogEvent): void => {
    const report: QueryEvent = { sql: redactText(event.query.sql, secrets), durationMs: event.queryDurationMillis };
    if (event.level === 'error') {
      report.error = redactSecrets(event.error instanceof Error ? event.error : new Error(String(event.error)), secrets);
    }
    try {
      onQuery(report);
    } catch {
      // a failing observer must not fail the query it observes
    }
  };
}
