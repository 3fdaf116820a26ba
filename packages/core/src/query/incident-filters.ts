import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { IncidentFilters } from '../domain/types.js';
import type { StorageSchema } from './storage-schema.js';
import type { ValueCodecs } from './value-codecs.js';

type IncidentsBuilder = ExpressionBuilder<StorageSchema, 'incidents'>;

/** Builds `status` in a list of values; adapters may swap it for one shape whatever the list's length. */
export type StatusMatcher = (eb: IncidentsBuilder, statuses: readonly string[]) => Expression<SqlBool>;

export const statusInList: StatusMatcher = (eb, statuses) => eb('status', 'in', [...statuses]);

/** The WHERE conditions of `filters`, literal equality only (no LIKE, so `%` and `_` match themselves). */
export function incidentFilterConditions(
  eb: IncidentsBuilder,
  filters: Omit<IncidentFilters, 'limit' | 'offset'>,
  codecs: ValueCodecs,
  matchStatus: StatusMatcher,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filters.status !== undefined && filters.status.length > 0) {
    conditions.push(matchStatus(eb, [...new Set(filters.status)]));
  }
  if (filters.cluster !== undefined) conditions.push(eb('cluster', '=', filters.cluster));
  if (filters.namespace !== undefined) conditions.push(eb('namespace', '=', filters.namespace));
  if (filters.faultType !== undefined) conditions.push(eb('fault_type', '=', filters.faultType));
  if (filters.severity !== undefined) conditions.push(eb('severity', '=', filters.severity));
  if (filters.createdAfter !== undefined) {
    conditions.push(eb('created_at', '>', codecs.encodeTimestamp(filters.createdAfter)));
  }
  if (filters.createdBefore !== undefined) {
    conditions.push(eb('created_at', '<', codecs.encodeTimestamp(filters.createdBefore)));
  }
  return conditions;
}
