import type { IncidentPageFilters } from '@nightcrier/storage-core';
import { writeLine } from '../cli-io.js';
import type { Command, CommandContext } from '../command.js';
import { INCIDENT_HEADERS, incidentRow } from '../format-incident.js';
import { formatTable } from '../format-table.js';
import { lastValue, type ParsedArgs } from '../parse-args.js';
import { parseInteger, parseIsoDate, parseStatuses } from '../parse-values.js';
import { withStore } from '../with-store.js';

/** Rows shown when `--limit` is not given; `--limit 0` shows all. */
export const DEFAULT_LIST_LIMIT = 50;

/** The `pageIncidents` filters the options ask for; a malformed value is a UsageError. */
export function incidentFiltersFrom(args: ParsedArgs): IncidentPageFilters {
  const filters: IncidentPageFilters = {};
  const statuses = args.values.get('status');
  if (statuses !== undefined) filters.status = parseStatuses(statuses);
  const cluster = lastValue(args, 'cluster');
  if (cluster !== undefined) filters.cluster = cluster;
  const namespace = lastValue(args, 'namespace');
  if (namespace !== undefined) filters.namespace = namespace;
  const faultType = lastValue(args, 'fault-type');
  if (faultType !== undefined) filters.faultType = faultType;
  const severity = lastValue(args, 'severity');
  if (severity !== undefined) filters.severity = severity;
  const since = lastValue(args, 'since');
  if (since !== undefined) filters.createdAfter = parseIsoDate('since', since);
  const until = lastValue(args, 'until');
  if (until !== undefined) filters.createdBefore = parseIsoDate('until', until);
  const limit = lastValue(args, 'limit');
  filters.limit = limit === undefined ? DEFAULT_LIST_LIMIT : parseInteger('limit', limit, 0);
  const cursor = lastValue(args, 'cursor');
  if (cursor !== undefined) filters.cursor = cursor;
  return filters;
}

export const incidentsListCommand: Command = {
  name: 'incidents list',
  synopsis:
    '[--status a,b] [--cluster C] [--namespace N] [--fault-type T] [--severity S] [--since ISO] [--until ISO] [--limit N] [--cursor C] [--json]',
  summary: 'list incidents, newest first',
  details: [
    '--status a,b      only these statuses (pending, investigating, resolved, failed, agent_failed)',
    '--cluster C       only incidents of cluster C (exact match)',
    '--namespace N     only incidents in namespace N',
    '--fault-type T    only faults of type T, e.g. CrashLoopBackOff',
    '--severity S      only this severity',
    '--since ISO       created after this instant (exclusive), e.g. 2024-05-01 or 2024-05-01T12:00:00Z',
    '--until ISO       created before this instant (exclusive); times without an offset are UTC',
    `--limit N         at most N incidents (default ${DEFAULT_LIST_LIMIT}; 0: all of them)`,
    '--cursor C        the page after the one that printed this cursor (keyset paging)',
    '--json            one JSON object per line, dates as ISO strings; when more incidents exist,',
    '                  {"nextCursor": C} on stderr',
  ],
  flags: ['status', 'cluster', 'namespace', 'fault-type', 'severity', 'since', 'until', 'limit', 'cursor', 'json'],
  operands: [],
  async run(context: CommandContext): Promise<void> {
    const filters = incidentFiltersFrom(context.args);
    const { incidents, nextCursor } = await withStore(context, 'read-only', (store) => store.pageIncidents(filters));
    const { stdout, stderr } = context.io;
    if (context.json) {
      for (const incident of incidents) writeLine(stdout, JSON.stringify(incident));
      // stdout stays one incident per line; where the next page starts is said beside it.
      if (nextCursor !== undefined) writeLine(stderr, JSON.stringify({ nextCursor }));
      return;
    }
    if (incidents.length === 0) {
      writeLine(stdout, 'no incidents found');
      return;
    }
    for (const line of formatTable(INCIDENT_HEADERS, incidents.map(incidentRow))) writeLine(stdout, line);
    if (nextCursor !== undefined) {
      writeLine(stdout);
      writeLine(stdout, `showing ${incidents.length}; more incidents exist. Next page: --cursor ${nextCursor} (or --limit 0 for all)`);
    }
  },
};
