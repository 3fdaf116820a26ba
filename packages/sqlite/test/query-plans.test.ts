import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { exerciseListQueryShapes } from '@nightcrier/storage-core/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'nightcrier-sqlite-plans-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A plan step that reads a whole table, or sorts rows an index could have delivered in order. */
function badStep(detail: string): boolean {
  return /^SCAN (incidents|agent_executions|triage_reports)$/.test(detail) || /TEMP B-TREE/.test(detail);
}

describe('SQLite query plans', () => {
  it('every list and page query shape walks an index: no table scan, no sort', async () => {
    const filename = join(folder, 'plans.db');
    const statements = new Set<string>();
    const store = await createSqliteStateStore({ filename, onQuery: (event) => statements.add(event.sql) });
    const calls = await exerciseListQueryShapes(store);
    await store.close();

    const listQueries = [...statements].filter((sql) => /^select/i.test(sql) && /"(incidents|agent_executions|triage_reports)"/.test(sql));
    expect(calls).toBeGreaterThan(60);
    expect(listQueries.length).toBeGreaterThan(50); // one distinct SQL text per shape

    const database = new BetterSqlite3(filename, { readonly: true });
    try {
      const offenders: string[] = [];
      for (const sql of listQueries) {
        const parameters = new Array((sql.match(/\?/g) ?? []).length).fill(null);
        const plan = (database.prepare(`explain query plan ${sql}`).all(parameters) as { detail: string }[]).map((row) => row.detail);
        if (plan.some(badStep)) offenders.push(`${sql}\n  → ${plan.join(' | ')}`);
      }
      expect(offenders).toEqual([]);
    } finally {
      database.close();
    }
  });
});
