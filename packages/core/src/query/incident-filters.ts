import { type Compilable, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { IncidentFilters } from '../domain/types.js';
import type { IncidentCursor } from './incident-cursor.js';
import { type Slot, slot } from './query-template.js';
import { INCIDENT_COLUMNS, type StorageSchema } from './storage-schema.js';
import type { ValueCodecs } from './value-codecs.js';

type IncidentsBuilder = ExpressionBuilder<StorageSchema, 'incidents'>;

/** Builds `status` in a list of values; adapters may swap it for one shape whatever the list's length. */
export type StatusMatcher = (eb: IncidentsBuilder, status: Expression<string | null>, statuses: readonly unknown[]) => Expression<SqlBool>;

export const statusInList: StatusMatcher = (eb, status, statuses) => eb(status, 'in', [...statuses] as string[]);

/** How an adapter wants the list query written. */
export interface ListQueryStyle {
  matchStatus: StatusMatcher;
  /**
   * Write the status, namespace, fault type and severity filters so that they cannot use their
   * single-column indexes (`+column`, SQLite's idiom). SQLite's planner would otherwise pick such an
   * index and sort every match, instead of walking the (created_at, incident_id) order index and
   * stopping after one page.
   */
  walkOrderIndex: boolean;
}

// LIMIT with no bound: SQLite needs some LIMIT before OFFSET, PostgreSQL takes any bigint.
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Which parts a list or page query has; one compiled template per distinct shape. */
interface ListShape {
  statuses: number;
  cluster: boolean;
  namespace: boolean;
  faultType: boolean;
  severity: boolean;
  createdAfter: boolean;
  createdBefore: boolean;
  cursor: boolean;
  limit: boolean;
  offset: boolean;
}

/** A list or page request, reduced to what its SQL needs. */
export interface IncidentListRequest {
  filters: Omit<IncidentFilters, 'limit' | 'offset'>;
  cursor?: IncidentCursor;
  /** Rows to fetch; 0: no limit. */
  limit: number;
  offset: number;
}

function distinctStatuses(filters: IncidentListRequest['filters']): string[] {
  return filters.status === undefined ? [] : [...new Set(filters.status)];
}

function shapeOf(request: IncidentListRequest): ListShape {
  const { filters } = request;
  return {
    statuses: distinctStatuses(filters).length,
    cluster: filters.cluster !== undefined,
    namespace: filters.namespace !== undefined,
    faultType: filters.faultType !== undefined,
    severity: filters.severity !== undefined,
    createdAfter: filters.createdAfter !== undefined,
    createdBefore: filters.createdBefore !== undefined,
    cursor: request.cursor !== undefined,
    limit: request.limit > 0 || request.offset > 0,
    offset: request.offset > 0,
  };
}

export function listShapeKey(request: IncidentListRequest): string {
  return `list:${JSON.stringify(shapeOf(request))}`;
}

/** The list query of `request`'s shape, with slots where its values go. */
export function buildListQuery(db: Kysely<StorageSchema>, request: IncidentListRequest, style: ListQueryStyle): Compilable {
  const shape = shapeOf(request);
  const value = (name: string) => slot(name) as Slot & string;
  type FilterColumn = 'status' | 'namespace' | 'fault_type' | 'severity';
  const filterColumn = (eb: IncidentsBuilder, name: FilterColumn): Expression<string | null> =>
    style.walkOrderIndex ? sql<string | null>`+${sql.ref(name)}` : eb.ref(name);
  let query = db
    .selectFrom('incidents')
    .select(INCIDENT_COLUMNS)
    .where((eb) => {
      // Literal equality only (no LIKE), so '%' and '_' match themselves.
      const conditions: Expression<SqlBool>[] = [];
      if (shape.statuses > 0) {
        const statuses = Array.from({ length: shape.statuses }, (_, i) => slot(`status.${i}`));
        conditions.push(style.matchStatus(eb, filterColumn(eb, 'status'), statuses));
      }
      if (shape.cluster) conditions.push(eb('cluster', '=', value('cluster')));
      if (shape.namespace) conditions.push(eb(filterColumn(eb, 'namespace'), '=', value('namespace')));
      if (shape.faultType) conditions.push(eb(filterColumn(eb, 'fault_type'), '=', value('faultType')));
      if (shape.severity) conditions.push(eb(filterColumn(eb, 'severity'), '=', value('severity')));
      if (shape.createdAfter) conditions.push(eb('created_at', '>', value('createdAfter')));
      if (shape.createdBefore) conditions.push(eb('created_at', '<', value('createdBefore')));
      if (shape.cursor) {
        conditions.push(eb(eb.refTuple('created_at', 'incident_id'), '<', eb.tuple(value('cursor.at'), value('cursor.id'))));
      }
      return eb.and(conditions);
    })
    .orderBy('created_at', 'desc')
    .orderBy('incident_id', 'desc');
  if (shape.limit) query = query.limit(slot('limit') as unknown as number);
  if (shape.offset) query = query.offset(slot('offset') as unknown as number);
  return query;
}

/** The slot values of `request` for its list template. */
export function listValues(request: IncidentListRequest, codecs: ValueCodecs): Record<string, unknown> {
  const { filters, cursor } = request;
  const statuses = distinctStatuses(filters);
  const values: Record<string, unknown> = {
    'status[]': statuses,
    cluster: filters.cluster,
    namespace: filters.namespace,
    faultType: filters.faultType,
    severity: filters.severity,
    createdAfter: filters.createdAfter === undefined ? undefined : codecs.encodeTimestamp(filters.createdAfter),
    createdBefore: filters.createdBefore === undefined ? undefined : codecs.encodeTimestamp(filters.createdBefore),
    'cursor.at': cursor === undefined ? undefined : codecs.encodeTimestamp(new Date(cursor.createdAtMs)),
    'cursor.id': cursor?.incidentId,
    limit: request.limit > 0 ? request.limit : NO_LIMIT,
    offset: request.offset,
  };
  statuses.forEach((status, index) => {
    values[`status.${index}`] = status;
  });
  return values;
}
