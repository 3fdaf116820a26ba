import { type Compilable, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { IncidentFilters } from '../domain/types.js';
import type { IncidentCursor } from './incident-cursor.js';
import { slot } from './query-template.js';
import { INCIDENT_COLUMNS, type StorageSchema } from './storage-schema.js';
import type { ValueCodecs } from './value-codecs.js';
import type { AdapterCapabilities } from '../adapter/adapter-capabilities.js';

type IncidentsBuilder = ExpressionBuilder<StorageSchema, 'incidents'>;

/** The capabilities that decide how the list query is written; see `AdapterCapabilities`. */
export type ListQueryStyle = Pick<AdapterCapabilities, 'statusMatch' | 'keysetComparison' | 'walkOrderIndex'>;

function matchStatus(eb: IncidentsBuilder, style: ListQueryStyle, status: Expression<string | null>, count: number): Expression<SqlBool> {
  if (style.statusMatch === 'any-array') {
    // One statement shape whatever the number of statuses (PostgreSQL), so the server reuses one plan.
    return sql<SqlBool>`${status} = any(${slot('status[]')}::text[])`;
  }
  const statuses = Array.from({ length: count }, (_, i) => slot(`status.${i}`));
  return eb(status, 'in', statuses);
}

/** `(created_at, incident_id) < (cursor)`, as a row value or spelled out, whichever the planner walks an index for. */
function afterCursor(eb: IncidentsBuilder, style: ListQueryStyle): Expression<SqlBool> {
  const at = slot('cursor.at');
  const id = slot('cursor.id');
  if (style.keysetComparison === 'row-value') return eb(eb.refTuple('created_at', 'incident_id'), '<', eb.tuple(at, id));
  return eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('incident_id', '<', id)])]);
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
  type FilterColumn = 'status' | 'namespace' | 'fault_type' | 'severity';
  const filterColumn = (eb: IncidentsBuilder, name: FilterColumn): Expression<string | null> =>
    style.walkOrderIndex ? sql<string | null>`+${sql.ref(name)}` : eb.ref(name);
  let query = db
    .selectFrom('incidents')
    .select(INCIDENT_COLUMNS)
    .where((eb) => {
      // Literal equality only (no LIKE), so '%' and '_' match themselves.
      const conditions: Expression<SqlBool>[] = [];
      if (shape.statuses > 0) conditions.push(matchStatus(eb, style, filterColumn(eb, 'status'), shape.statuses));
      if (shape.cluster) conditions.push(eb('cluster', '=', slot('cluster')));
      if (shape.namespace) conditions.push(eb(filterColumn(eb, 'namespace'), '=', slot('namespace')));
      if (shape.faultType) conditions.push(eb(filterColumn(eb, 'fault_type'), '=', slot('faultType')));
      if (shape.severity) conditions.push(eb(filterColumn(eb, 'severity'), '=', slot('severity')));
      if (shape.createdAfter) conditions.push(eb('created_at', '>', slot('createdAfter')));
      if (shape.createdBefore) conditions.push(eb('created_at', '<', slot('createdBefore')));
      if (shape.cursor) conditions.push(afterCursor(eb, style));
      return eb.and(conditions);
    })
    .orderBy('created_at', 'desc')
    .orderBy('incident_id', 'desc');
  if (shape.limit) query = query.limit(slot<number>('limit'));
  if (shape.offset) query = query.offset(slot<number>('offset'));
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
