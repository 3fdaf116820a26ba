import { describe, expect, it } from 'vitest';
import type { Incident, IncidentPage, IncidentPageFilters } from '../domain/types.js';
import { expectValidation } from './assertions.js';
import type { ConformanceContext } from './context.js';
import { at, compareListOrder, idsOf, seedIncident, uniquePrefix } from './fixtures.js';

function base64(text: string, encoding: 'base64' | 'base64url' = 'base64url'): string {
  return Buffer.from(text, 'utf8').toString(encoding);
}

const MALFORMED_CURSORS: readonly string[] = [
  'garbage',
  '',
  '!!!not base64!!!',
  base64('{"createdAt":"2024-01-01","id":"x"}'),
  base64('{"random":[1,2,3],"nested":{"a":true}}', 'base64'),
  base64('null'),
  base64('[]'),
  base64('[1,"not a number","x"]'),
  base64('[99,0,"x"]'),
  base64('[1,0,""]'),
  base64('[1,253402300800000,"x"]'), // year 10000
  base64('[1,-62135596800001,"x"]'), // before year 0001
  base64('[1,1.5,"x"]'),
  base64('not json at all'),
  'x'.repeat(10_000),
];

export function describePagination(ctx: ConformanceContext): void {
  describe('pageIncidents', () => {
    async function seedSeries(p: string, count: number): Promise<Incident[]> {
      const created: Incident[] = [];
      // Pairs share a createdAt, so pages split inside ties too.
      for (let i = 0; i < count; i += 1) created.push(await seedIncident(ctx.store(), `${p}-${String(i).padStart(2, '0')}`, { cluster: p, createdAt: at(Math.floor(i / 2) * 10) }));
      return created;
    }

    async function walk(filters: IncidentPageFilters, onPage?: (page: IncidentPage, index: number) => Promise<void>): Promise<IncidentPage[]> {
      const pages: IncidentPage[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await ctx.store().pageIncidents({ ...filters, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(page);
        if (pages.length > 100) throw new Error('pageIncidents never ended');
        await onPage?.(page, pages.length - 1);
        if (page.nextCursor === undefined) return pages;
        expect(typeof page.nextCursor).toBe('string');
        cursor = page.nextCursor;
      }
    }

    it('walks pages of 3 in exactly list order, each incident once, the last page without nextCursor', async () => {
      const p = uniquePrefix('page-walk');
      await seedSeries(p, 10);
      const listed = await ctx.store().listIncidents({ cluster: p });
      const pages = await walk({ cluster: p, limit: 3 });
      expect(pages.map((page) => page.incidents.length)).toEqual([3, 3, 3, 1]);
      expect(pages.flatMap((page) => page.incidents)).toStrictEqual(listed);
      expect(pages.slice(0, -1).every((page) => page.nextCursor !== undefined)).toBe(true);
      expect(Object.keys(pages[pages.length - 1] ?? {})).not.toContain('nextCursor');
    });

    it('ends cleanly when the matches fill the last page exactly', async () => {
      const p = uniquePrefix('page-exact');
      await seedSeries(p, 9);
      const listed = idsOf(await ctx.store().listIncidents({ cluster: p }));
      const pages = await walk({ cluster: p, limit: 3 });
      const walked = pages.flatMap((page) => idsOf(page.incidents));
      expect(walked).toEqual(listed);
      // A cursor on the third page is allowed ("more may follow"), but then the next page is empty and final.
      expect(pages.length).toBeLessThanOrEqual(4);
      if (pages.length === 4) expect(pages[3]?.incidents).toEqual([]);
    });

    it('returns everything in one page without nextCursor when limit is absent or 0', async () => {
      const p = uniquePrefix('page-nolimit');
      await seedSeries(p, 7);
      const listed = await ctx.store().listIncidents({ cluster: p });
      for (const filters of [{ cluster: p }, { cluster: p, limit: 0 }]) {
        const page = await ctx.store().pageIncidents(filters);
        expect(page.incidents).toStrictEqual(listed);
        expect(Object.keys(page)).not.toContain('nextCursor');
      }
      const empty = await ctx.store().pageIncidents({ cluster: `${p}-none`, limit: 3 });
      expect(empty.incidents).toEqual([]);
      expect(Object.keys(empty)).not.toContain('nextCursor');
    });

    it('stays exact while rows are inserted between pages', async () => {
      const p = uniquePrefix('page-inserts');
      await seedSeries(p, 12);
      let firstPageEnd: Incident | undefined;
      const insertedNewer: string[] = [];
      const pages = await walk({ cluster: p, limit: 3 }, async (page, index) => {
        const last = page.incidents[page.incidents.length - 1];
        if (index === 0 && last !== undefined) {
          firstPageEnd = last;
          // Newer than the cursor, or tied with it and sorting before it: must not appear.
          await seedIncident(ctx.store(), `${p}-new-top`, { cluster: p, createdAt: at(1000) });
          await seedIncident(ctx.store(), `${p}-zz-tie-before`, { cluster: p, createdAt: last.createdAt });
          insertedNewer.push(`${p}-new-top`, `${p}-zz-tie-before`);
          // Older than the cursor, or tied with it and sorting after it: must appear exactly once.
          await seedIncident(ctx.store(), `${p}-00-tie-after`, { cluster: p, createdAt: last.createdAt });
          await seedIncident(ctx.store(), `${p}-old-middle`, { cluster: p, createdAt: at(21) });
          await seedIncident(ctx.store(), `${p}-old-bottom`, { cluster: p, createdAt: at(-1000) });
        }
        if (index === 1) {
          await seedIncident(ctx.store(), `${p}-newer-again`, { cluster: p, createdAt: at(2000) });
          insertedNewer.push(`${p}-newer-again`);
          await seedIncident(ctx.store(), `${p}-old-again`, { cluster: p, createdAt: at(-2000) });
        }
      });
      const walked = pages.flatMap((page) => idsOf(page.incidents));
      expect(firstPageEnd).toBeDefined();
      expect(new Set(walked).size).toBe(walked.length);
      for (const id of insertedNewer) expect(walked).not.toContain(id);
      const after = await ctx.store().listIncidents({ cluster: p });
      expect(after).toHaveLength(12 + 7);
      const expected = idsOf(after.filter((incident) => !insertedNewer.includes(incident.incidentId)));
      expect(walked).toEqual(expected);
      for (const id of [`${p}-00-tie-after`, `${p}-old-middle`, `${p}-old-bottom`, `${p}-old-again`]) expect(walked).toContain(id);
      expect([...after].sort(compareListOrder)).toStrictEqual(after);
    });

    it('pages with filters the same way listIncidents filters', async () => {
      const p = uniquePrefix('page-filters');
      const created = await seedSeries(p, 12);
      for (const incident of created.filter((_, i) => i % 3 === 0)) await ctx.store().updateIncidentStatus(incident.incidentId, 'resolved');
      const filters = { cluster: p, status: ['pending' as const], createdBefore: at(50) };
      const listed = await ctx.store().listIncidents(filters);
      expect(listed.length).toBeGreaterThan(3);
      const pages = await walk({ ...filters, limit: 2 });
      expect(pages.flatMap((page) => page.incidents)).toStrictEqual(listed);
    });

    it('rejects malformed cursors with ValidationError', async () => {
      const p = uniquePrefix('page-bad-cursor');
      await seedSeries(p, 2);
      for (const cursor of MALFORMED_CURSORS) {
        const error = await expectValidation(ctx.store().pageIncidents({ cluster: p, limit: 1, cursor }), /cursor/);
        expect(error.code, `cursor ${cursor.slice(0, 40)}`).toBe('VALIDATION');
      }
    });

    it('rejects offset with ValidationError', async () => {
      const filters = { limit: 2, offset: 2 } as IncidentPageFilters;
      await expectValidation(ctx.store().pageIncidents(filters), 'filters.offset');
    });
  });
}
