import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../src/index.js';
import { MIGRATIONS } from '../src/generated/migrations.js';
import { runNode, SHARED_WORKERS } from '../../../test-support/spawn-node.js';

const WORKERS = fileURLToPath(new URL('./workers/', import.meta.url));

const folder = mkdtempSync(join(tmpdir(), 'nightcrier-sqlite-processes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface WriterReport {
  workerId: string;
  written: number;
  errorCount: number;
  errors: string[];
}

describe('several processes on one SQLite file', () => {
  it('4 processes × 500 read-then-write lifecycles: every row stored, no busy error', async () => {
    const filename = join(folder, 'shared.db');
    // Migrate once up front so the processes race on data, not on the schema (tested separately).
    await (await createSqliteStateStore({ filename })).close();
    const processes = 4;
    const perProcess = 500;
    const runs = await Promise.all(
      Array.from({ length: processes }, (_, worker) => runNode(`${WORKERS}lifecycle-writer.mjs`, [filename, String(worker), String(perProcess)])),
    );
    const reports = runs.map((run) => {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      return JSON.parse(run.lines.at(-1) ?? '{}') as WriterReport;
    });
    expect(reports.map((report) => report.errors).flat()).toEqual([]);
    expect(reports.reduce((sum, report) => sum + report.written, 0)).toBe(processes * perProcess);

    const store = await createSqliteStateStore({ filename });
    try {
      for (let worker = 0; worker < processes; worker += 1) {
        const rows = await store.listIncidents({ cluster: `cluster-${worker}` });
        expect(rows).toHaveLength(perProcess);
        expect(rows.every((row) => row.status === 'investigating' && row.startedAt instanceof Date)).toBe(true);
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  it('two processes migrating one fresh file at once both succeed and apply each migration once', async () => {
    const filename = join(folder, 'fresh-migrate.db');
    const url = `sqlite://${filename}`;
    const runs = await Promise.all([runNode(`${SHARED_WORKERS}migrator.mjs`, [url]), runNode(`${SHARED_WORKERS}migrator.mjs`, [url])]);
    const results = runs.map((run) => JSON.parse(run.lines.at(-1) ?? '{}') as { ok: boolean; migrations?: string[]; error?: string });
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    // Exactly one of them applied the initial schema; the other found nothing pending.
    const all = MIGRATIONS.map((file) => file.name);
    expect(results.flatMap((result) => result.migrations ?? []).sort()).toEqual(all);
    const database = new BetterSqlite3(filename, { readonly: true });
    try {
      expect(database.prepare('select count(*) as n from nightcrier_migrations').get()).toEqual({ n: all.length });
    } finally {
      database.close();
    }
  }, 60_000);
});

/** Starts the acknowledging writer and SIGKILLs it once it has acknowledged `ackTarget` writes. */
function writeUntilKilled(filename: string, prefix: string, ackTarget: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${WORKERS}acknowledging-writer.mjs`, filename, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith(prefix)) acknowledged.push(line);
      if (acknowledged.length >= ackTarget && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed: ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

describe('a writer killed with SIGKILL', () => {
  it('loses no acknowledged write and leaves an intact file, 5 kills in a row', async () => {
    const filename = join(folder, 'crash.db');
    await (await createSqliteStateStore({ filename })).close();
    const acknowledged: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      acknowledged.push(...(await writeUntilKilled(filename, `crash${round}`, 50 + round * 20)));
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(5 * 50);

    const database = new BetterSqlite3(filename);
    try {
      expect(database.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(database.pragma('foreign_key_check')).toEqual([]);
    } finally {
      database.close();
    }
    const store = await createSqliteStateStore({ filename });
    try {
      const stored = new Set((await store.listIncidents({ cluster: 'crash' })).map((incident) => incident.incidentId));
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
