import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentPage, IncidentPageFilters, StateStore } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../../src/index.js';
import { faultEvent, incidentFor } from '../support/store-fixtures.js';
import { citusTestDatabase } from './support/citus-test-database.js';
import { workerOf } from './support/shard-placement.js';

const CLUSTER = 'walk-prod';
const SEEDED = 84;
const PAGE = 7;
const BASE = Date.UTC(2024, 4, 1, 10, 0, 0, 123);

/** `minutes` after a fixed instant: the walk's orderings are easy to reason about. */
function minute(minutes: number): Date {
  return new Date(BASE + minutes * 60_000);
}

// Each shard sorts its own rows and the coordinator merges them: a page must still be the global
// order, whichever worker each row of it came from, with rows arriving on both between pages.
describe('Citus: keyset pages across shards', () => {
  let url = '';
  let store: StateStore;

  async function seed(incidentId: string, createdAt: Date, cluster = CLUSTER): Promise<Incident> {
    const event = faultEvent(`f-${incidentId}`, cluster);
    const incident = { ...incidentFor(incidentId, event), status: 'pending' as const, createdAt };
    await store.createIncident(incident, event);
    return incident;
  }

  async function workersOf(ids: readonly string[]): Promise<Set<number>> {
    return new Set(await Promise.all(ids.map((id) => workerOf(url, 'incidents', id))));
  }

  /** Every page of `filters`, calling `between` after each page but the last. */
  async function walk(filters: IncidentPageFilters, between: (page: IncidentPage, index: number) => Promise<void>): Promise<IncidentPage[]> {
    const pages: IncidentPage[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.pageIncidents({ ...filters, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page);
      if (pages.length > 100) throw new Error('pageIncidents never ended');
      cursor = page.nextCursor;
      if (cursor !== undefined) await between(page, pages.length - 1);
    } while (cursor !== undefined);
    return pages;
  }

  beforeAll(async () => {
    url = await citusTestDatabase('keyset');
    store = await createPostgresStateStore({ url, pool: { maxOpenConns: 4 } });
    // Three incidents per createdAt, so pages split inside ties; another cluster interleaved.
    for (let i = 0; i < SEEDED; i += 1) {
      await seed(`walk-${String(i).padStart(3, '0')}`, minute(Math.floor(i / 3) * 10));
      if (i % 4 === 0) await seed(`other-${i}`, minute(Math.floor(i / 3) * 10), 'walk-other');
    }
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  it('the seeded cluster is spread over both workers', async () => {
    const listed = await store.listIncidents({ cluster: CLUSTER });
    expect(listed).toHaveLength(SEEDED);
    expect((await workersOf(listed.map((incident) => incident.incidentId))).size).toBe(2);
  });

  it(`walks every page of ${PAGE} with inserts on both workers between pages: each older row once, in list order, no newer row`, async () => {
    const newer: string[] = [];
    const older: string[] = [];
    const pages = await walk({ cluster: CLUSTER, limit: PAGE }, async (page, index) => {
      const last = page.incidents[page.incidents.length - 1] as Incident;
      // After the cursor in list order (older, or tied and with a smaller id): must appear once.
      // Before it (newer, or tied with a larger id): must not appear. Three of each per page, so
      // their ids hash to both workers over the walk.
      for (const n of [0, 1, 2]) {
        older.push((await seed(`walk-${index}-${n}-older`, minute(-100 - index * 3 - n))).incidentId);
        newer.push((await seed(`walk-${index}-${n}-newer`, minute(10_000 + index * 3 + n))).incidentId);
      }
      // '!' sorts before every character the ids end in, so this id sorts just after the cursor's.
      older.push((await seed(`${last.incidentId.slice(0, -1)}!${index}`, last.createdAt)).incidentId);
      newer.push((await seed(`${last.incidentId}~tie`, last.createdAt)).incidentId);
    });
    const walked = pages.flatMap((page) => page.incidents.map((incident) => incident.incidentId));
    const after = await store.listIncidents({ cluster: CLUSTER });
    const expected = after.map((incident) => incident.incidentId).filter((id) => !newer.includes(id));
    const duplicates = walked.length - new Set(walked).size;
    const missed = expected.filter((id) => !walked.includes(id)).length;
    const unwanted = walked.filter((id) => newer.includes(id)).length;
    console.log(
      `keyset walk on Citus: ${pages.length} pages, ${walked.length} rows walked of ${expected.length} expected; ` +
        `${older.length} older and ${newer.length} newer inserted between pages; ${duplicates} duplicates, ${missed} missed, ${unwanted} newer seen`,
    );
    expect({ duplicates, missed, unwanted }).toEqual({ duplicates: 0, missed: 0, unwanted: 0 });
    expect(walked).toEqual(expected);
    expect(pages.slice(0, -1).every((page) => page.incidents.length === PAGE)).toBe(true);
    expect((await workersOf(older)).size).toBe(2);
    expect((await workersOf(newer)).size).toBe(2);
  }, 120_000);

  it('walks a status filter the same way listIncidents filters it, while other statuses arrive between pages', async () => {
    const listed = await store.listIncidents({ cluster: CLUSTER });
    for (const incident of listed.filter((_, i) => i % 3 === 1)) await store.updateIncidentStatus(incident.incidentId, 'investigating');
    const filters = { cluster: CLUSTER, status: ['pending' as const], createdBefore: minute(200) };
    const before = await store.listIncidents(filters);
    expect(before.length).toBeGreaterThan(4 * PAGE);
    const pages = await walk({ ...filters, limit: PAGE }, async (_page, index) => {
      // Pending and older: must appear. Investigating, or too new for createdBefore: must not.
      await seed(`status-${index}-pending`, minute(-1_000 - index));
      const moved = await seed(`status-${index}-moved`, minute(-1_000 - index));
      await store.updateIncidentStatus(moved.incidentId, 'investigating');
      await seed(`status-${index}-late`, minute(200 + index));
    });
    const walked = pages.flatMap((page) => page.incidents);
    const after = await store.listIncidents(filters);
    expect(walked.map((incident) => incident.incidentId)).toEqual(after.map((incident) => incident.incidentId));
    expect(walked.every((incident) => incident.status === 'pending' && incident.createdAt < minute(200))).toBe(true);
    expect(walked.filter((incident) => incident.incidentId.startsWith('status-'))).toHaveLength(pages.length - 1);
  }, 120_000);

  it('listIncidents limit and offset are slices of the whole list, page after page', async () => {
    const whole = await store.listIncidents({ cluster: CLUSTER });
    const slices: Incident[] = [];
    for (let offset = 0; offset < whole.length; offset += PAGE) slices.push(...(await store.listIncidents({ cluster: CLUSTER, limit: PAGE, offset })));
    expect(slices).toStrictEqual(whole);
    expect(await store.listIncidents({ cluster: CLUSTER, limit: PAGE, offset: whole.length })).toEqual([]);
  });
});
