import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, type Incident, type IncidentFilters } from '../domain/types.js';
import type { StateStore } from '../state-store.js';
import { HEAVY_TEST_TIMEOUT_MS, type ConformanceContext } from './context.js';
import { expectedMatches } from './filter-tests.js';
import { at, idsOf, makeEvent, makeIncident, ownIds, uniquePrefix } from './fixtures.js';
import { chance, mulberry32, pick, type Random, subset } from './random.js';

const SEED = 0x5eed_2024;
const INCIDENT_COUNT = 60;
const COMBINATION_COUNT = 40;

const TRICKY = ['%', '_', "'", '\\', 'é', 'e\u0301', '🚀', 'a', 'A', 'a%', 'a_', "a'", 'a\\', '%a', ''];
const CLUSTER_SUFFIXES = ['', '%', '_', "'", '\\', 'é', 'É', '🚀', 'a', 'A'];
const NAMESPACES = [undefined, 'shop', 'Shop', 'sh%p', 'sh_p', "o'neil", 'c:\\ns', 'é', '🚀'];
const FAULT_TYPES = ['OOMKilled', 'oomkilled', 'OOM%', 'OOM_illed', "it's", 'a\\b', 'É', '🚀'];
const SEVERITIES = TRICKY;
// Few distinct instants, so ties on createdAt are common and the id tie-break is exercised.
const INSTANTS = [-3, 0, 1, 2, 2, 5, 8, 13].map((minutes) => at(minutes));

function randomIncident(random: Random, p: string, index: number): Incident {
  const event = makeEvent(`${p}-f${index}`, { cluster: `${p}${pick(random, CLUSTER_SUFFIXES)}` });
  const namespace = pick(random, NAMESPACES);
  return makeIncident(`${p}-r${String(index).padStart(3, '0')}`, event, {
    status: pick(random, INCIDENT_STATUSES),
    createdAt: pick(random, INSTANTS),
    faultType: pick(random, FAULT_TYPES),
    severity: pick(random, SEVERITIES),
    ...(namespace === undefined ? {} : { namespace }),
  });
}

function randomFilters(random: Random, p: string): IncidentFilters {
  const filters: IncidentFilters = {};
  if (chance(random, 0.4)) filters.status = subset(random, INCIDENT_STATUSES);
  if (chance(random, 0.6)) filters.cluster = `${p}${pick(random, CLUSTER_SUFFIXES)}`;
  if (chance(random, 0.3)) {
    const namespace = pick(random, NAMESPACES);
    if (namespace !== undefined) filters.namespace = namespace;
  }
  if (chance(random, 0.3)) filters.faultType = pick(random, FAULT_TYPES);
  if (chance(random, 0.3)) filters.severity = pick(random, SEVERITIES);
  if (chance(random, 0.3)) filters.createdAfter = pick(random, INSTANTS);
  if (chance(random, 0.3)) filters.createdBefore = pick(random, INSTANTS);
  // limit and offset only where the cluster scopes the rows to this test's own.
  if (filters.cluster !== undefined && chance(random, 0.5)) {
    filters.limit = Math.floor(random() * 6);
    if (chance(random, 0.5)) filters.offset = Math.floor(random() * 5);
  }
  return filters;
}

function show(filters: IncidentFilters): string {
  return JSON.stringify(filters);
}

/** Walks every page of `filters` with page size `size`, returning the incidents in order. */
async function walkPages(store: StateStore, filters: IncidentFilters, size: number): Promise<Incident[]> {
  const { offset: _offset, limit: _limit, ...pageFilters } = filters;
  const seen: Incident[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const result = await store.pageIncidents({ ...pageFilters, limit: size, ...(cursor === undefined ? {} : { cursor }) });
    seen.push(...result.incidents);
    if (result.nextCursor === undefined) return seen;
    cursor = result.nextCursor;
  }
  throw new Error('pageIncidents never ended');
}

export function describeRandomFilters(ctx: ConformanceContext): void {
  describe('listIncidents against an in-memory model', () => {
    it(
      `agrees on ${COMBINATION_COUNT} random filter combinations over ${INCIDENT_COUNT} random incidents (seed ${SEED})`,
      async () => {
        const random = mulberry32(SEED);
        const p = uniquePrefix('random');
        const incidents: Incident[] = [];
        for (let index = 0; index < INCIDENT_COUNT; index += 1) {
          const incident = randomIncident(random, p, index);
          await ctx.store().createIncident(incident, makeEvent(incident.faultId, { cluster: incident.cluster }));
          incidents.push(incident);
        }

        const mismatches: string[] = [];
        let nonEmpty = 0;
        for (let round = 0; round < COMBINATION_COUNT; round += 1) {
          const filters = randomFilters(random, p);
          const matches = idsOf(expectedMatches(incidents, filters));
          const offset = filters.offset ?? 0;
          const expected = filters.limit ? matches.slice(offset, offset + filters.limit) : matches.slice(offset);
          if (expected.length > 0) nonEmpty += 1;
          const listed = await ctx.store().listIncidents(filters);
          const got = filters.cluster === undefined ? ownIds(listed, `${p}-r`) : idsOf(listed);
          if (JSON.stringify(got) !== JSON.stringify(expected)) {
            mismatches.push(`round ${round} listIncidents(${show(filters)}): expected ${expected.join(',')} got ${got.join(',')}`);
          }
          if (filters.cluster !== undefined) {
            const size = 1 + Math.floor(random() * 4);
            const paged = idsOf(await walkPages(ctx.store(), filters, size));
            if (JSON.stringify(paged) !== JSON.stringify(matches)) {
              mismatches.push(`round ${round} pageIncidents(${show(filters)}, size ${size}): expected ${matches.join(',')} got ${paged.join(',')}`);
            }
          }
        }
        expect(mismatches).toEqual([]);
        // The seed must keep the comparison meaningful: many combinations match something.
        expect(nonEmpty).toBeGreaterThanOrEqual(COMBINATION_COUNT / 4);
      },
      HEAVY_TEST_TIMEOUT_MS,
    );
  });
}
