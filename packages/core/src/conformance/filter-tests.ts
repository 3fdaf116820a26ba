import { describe, expect, it } from 'vitest';
import type { Incident, IncidentFilters } from '../domain/types.js';
import type { StateStoreOperations } from '../state-store.js';
import type { ConformanceContext } from './context.js';
import { at, compareListOrder, idsOf, ownIds, seedIncident, uniquePrefix } from './fixtures.js';

/** Six incidents in cluster `p` (two more in `p-b`), spread over statuses, namespaces, types, severities and times. */
async function seedFilterSet(store: StateStoreOperations, p: string): Promise<Incident[]> {
  const specs: Array<Partial<Incident> & { id: string }> = [
    { id: 'a', status: 'pending', namespace: 'shop', faultType: 'OOMKilled', severity: 'high', createdAt: at(1) },
    { id: 'b', status: 'investigating', namespace: 'shop', faultType: 'CrashLoopBackOff', severity: 'low', createdAt: at(2) },
    { id: 'c', status: 'resolved', faultType: 'OOMKilled', severity: 'high', createdAt: at(3) },
    { id: 'd', status: 'failed', namespace: 'billing', faultType: 'OOMKilled', severity: 'critical', createdAt: at(4) },
    { id: 'e', status: 'agent_failed', namespace: 'billing', faultType: 'ImagePullBackOff', severity: 'low', createdAt: at(5) },
    { id: 'f', status: 'investigating', namespace: 'shop', faultType: 'OOMKilled', severity: 'high', createdAt: at(6) },
    { id: 'g', cluster: `${p}-b`, status: 'investigating', namespace: 'shop', faultType: 'OOMKilled', severity: 'high', createdAt: at(7) },
    { id: 'h', cluster: `${p}-b`, status: 'pending', namespace: 'shop', faultType: 'OOMKilled', severity: 'high', createdAt: at(0) },
  ];
  const incidents: Incident[] = [];
  for (const { id, ...fields } of specs) incidents.push(await seedIncident(store, `${p}-${id}`, { cluster: p, ...fields }));
  return incidents;
}

/** What `filters` must return from `incidents`, in list order, per the contract. */
export function expectedMatches(incidents: readonly Incident[], filters: IncidentFilters): Incident[] {
  const statuses = filters.status ?? [];
  return incidents
    .filter(
      (incident) =>
        (statuses.length === 0 || statuses.includes(incident.status)) &&
        (filters.cluster === undefined || incident.cluster === filters.cluster) &&
        (filters.namespace === undefined || incident.namespace === filters.namespace) &&
        (filters.faultType === undefined || incident.faultType === filters.faultType) &&
        (filters.severity === undefined || incident.severity === filters.severity) &&
        (filters.createdAfter === undefined || incident.createdAt.getTime() > filters.createdAfter.getTime()) &&
        (filters.createdBefore === undefined || incident.createdAt.getTime() < filters.createdBefore.getTime()),
    )
    .sort(compareListOrder);
}

// Values that differ from each other only in what LIKE, case folding, padding or normalisation would blur.
const LOOKALIKES: readonly string[] = ['a%', 'abc', 'a_c', 'axc', 'A', 'a', 'a ', "o'brien", "o''brien", 'back\\slash', 'back\\\\slash', 'backslash', '\u00e9', 'e\u0301', 'É', '🚀', '*', '.*'];

export function describeFilters(ctx: ConformanceContext): void {
  describe('listIncidents filters', () => {
    it('orders newest createdAt first, ties by incidentId descending', async () => {
      const p = uniquePrefix('order');
      const tie = at(10);
      const created: Incident[] = [];
      for (const [suffix, createdAt] of [['m', tie], ['c', at(11)], ['x', tie], ['a', tie], ['k', at(9)], ['q', tie], ['b', at(-600_000)]] as const) {
        created.push(await seedIncident(ctx.store(), `${p}-${suffix}`, { cluster: p, createdAt }));
      }
      const listed = await ctx.store().listIncidents({ cluster: p });
      expect(idsOf(listed)).toEqual(['c', 'x', 'q', 'm', 'a', 'k', 'b'].map((s) => `${p}-${s}`));
      expect(listed).toStrictEqual([...created].sort(compareListOrder));
    });

    it('applies each filter alone', async () => {
      const p = uniquePrefix('filter-each');
      const all = await seedFilterSet(ctx.store(), p);
      const mine = all.filter((incident) => incident.cluster === p);
      const cases: IncidentFilters[] = [
        { status: ['investigating'] },
        { status: ['pending', 'resolved', 'agent_failed'] },
        { status: ['failed', 'failed'] },
        { status: [] },
        { namespace: 'shop' },
        { namespace: 'billing' },
        { faultType: 'OOMKilled' },
        { severity: 'high' },
        { severity: 'critical' },
        { createdAfter: at(3) },
        { createdBefore: at(3) },
        { createdAfter: at(2), createdBefore: at(5) },
      ];
      for (const filters of cases) {
        const listed = await ctx.store().listIncidents({ ...filters, cluster: p });
        expect(idsOf(listed), JSON.stringify(filters)).toEqual(idsOf(expectedMatches(mine, filters)));
      }
      // Alone, without the cluster scope: compare only this test's rows.
      for (const filters of cases.slice(0, 9)) {
        const listed = await ctx.store().listIncidents(filters);
        expect(ownIds(listed, p), JSON.stringify(filters)).toEqual(idsOf(expectedMatches(all, filters)));
      }
      // No filters at all: every row, this test's own among them in list order.
      const everything = idsOf(expectedMatches(all, {}));
      expect(ownIds(await ctx.store().listIncidents(), p)).toEqual(everything);
      expect(ownIds((await ctx.store().pageIncidents()).incidents, p)).toEqual(everything);
      expect(idsOf(await ctx.store().listIncidents({ cluster: `${p}-b` }))).toEqual([`${p}-g`, `${p}-h`]);
      expect(await ctx.store().listIncidents({ cluster: `${p}-none` })).toStrictEqual([]);
    });

    it('treats createdAfter and createdBefore as exclusive', async () => {
      const p = uniquePrefix('filter-bounds');
      await seedFilterSet(ctx.store(), p);
      expect(idsOf(await ctx.store().listIncidents({ cluster: p, createdAfter: at(5) }))).toEqual([`${p}-f`]);
      expect(idsOf(await ctx.store().listIncidents({ cluster: p, createdBefore: at(2) }))).toEqual([`${p}-a`]);
      expect(idsOf(await ctx.store().listIncidents({ cluster: p, createdAfter: at(3), createdBefore: at(4) }))).toEqual([]);
      const justBeforeC = new Date(at(3).getTime() - 1);
      expect(idsOf(await ctx.store().listIncidents({ cluster: p, createdAfter: justBeforeC, createdBefore: at(4) }))).toEqual([`${p}-c`]);
    });

    it('combines filters', async () => {
      const p = uniquePrefix('filter-combined');
      const all = await seedFilterSet(ctx.store(), p);
      const cases: IncidentFilters[] = [
        { cluster: p, status: ['investigating', 'pending'], namespace: 'shop' },
        { cluster: p, faultType: 'OOMKilled', severity: 'high', createdAfter: at(1) },
        { cluster: p, status: ['failed', 'agent_failed'], namespace: 'billing', severity: 'low' },
        { cluster: `${p}-b`, status: ['investigating'], faultType: 'OOMKilled', createdBefore: at(8) },
        { cluster: p, faultType: 'OOMKilled', namespace: 'shop', createdBefore: at(6), severity: 'high', status: ['pending'] },
        { cluster: p, faultType: 'OOMKilled', severity: 'low' },
      ];
      for (const filters of cases) {
        expect(idsOf(await ctx.store().listIncidents(filters)), JSON.stringify(filters)).toEqual(idsOf(expectedMatches(all, filters)));
      }
    });

    it('matches %, _, quotes, backslashes, case, padding and unicode literally', async () => {
      const p = uniquePrefix('filter-literal');
      const incidents: Incident[] = [];
      for (const [index, value] of LOOKALIKES.entries()) {
        incidents.push(
          await seedIncident(ctx.store(), `${p}-${String(index).padStart(2, '0')}`, {
            cluster: `${p}${value}`,
            namespace: value,
            faultType: value,
            severity: value,
            createdAt: at(index),
          }),
        );
      }
      for (const value of LOOKALIKES) {
        const expected = idsOf(incidents.filter((incident) => incident.namespace === value).sort(compareListOrder));
        expect(expected).toHaveLength(1);
        expect(idsOf(await ctx.store().listIncidents({ cluster: `${p}${value}` })), `cluster ${JSON.stringify(value)}`).toEqual(expected);
        for (const field of ['namespace', 'faultType', 'severity'] as const) {
          const listed = await ctx.store().listIncidents({ [field]: value });
          expect(ownIds(listed, p), `${field} ${JSON.stringify(value)}`).toEqual(expected);
        }
      }
      expect(ownIds(await ctx.store().listIncidents({ cluster: `${p}%` }), p)).toEqual([]);
    });

    it('applies limit and offset in list order; limit 0 means no limit', async () => {
      const p = uniquePrefix('filter-limit');
      const created: Incident[] = [];
      for (let i = 0; i < 10; i += 1) created.push(await seedIncident(ctx.store(), `${p}-${i}`, { cluster: p, createdAt: at(i % 4) }));
      const ordered = idsOf([...created].sort(compareListOrder));
      const list = (filters: IncidentFilters) => ctx.store().listIncidents({ cluster: p, ...filters }).then(idsOf);
      expect(await list({})).toEqual(ordered);
      expect(await list({ limit: 3 })).toEqual(ordered.slice(0, 3));
      expect(await list({ limit: 3, offset: 3 })).toEqual(ordered.slice(3, 6));
      expect(await list({ limit: 3, offset: 9 })).toEqual(ordered.slice(9));
      expect(await list({ limit: 3, offset: 10 })).toEqual([]);
      expect(await list({ offset: 4 })).toEqual(ordered.slice(4));
      expect(await list({ limit: 0 })).toEqual(ordered);
      expect(await list({ limit: 0, offset: 2 })).toEqual(ordered.slice(2));
      expect(await list({ limit: 100 })).toEqual(ordered);
      expect(await list({ limit: 2, offset: 1, status: ['pending'], createdBefore: at(3) })).toEqual(
        idsOf(expectedMatches(created, { createdBefore: at(3) })).slice(1, 3),
      );
    });
  });
}
