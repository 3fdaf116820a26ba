import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OperationCancelledError, OperationTimeoutError, StorageError, type StateStore } from '@nightcrier/storage-core';
import { createSqliteStateStore } from '../src/index.js';
import { runNode } from '../../../test-support/spawn-node.js';

const WORKERS = fileURLToPath(new URL('./workers/', import.meta.url));

const folder = mkdtempSync(join(tmpdir(), 'nightcrier-sqlite-thread-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(folder, `thread-${(files += 1)}.db`);

function event(id: string) {
  return {
    faultId: `${id}-f`, receivedAt: new Date(), subscriptionId: 'sub', cluster: 'thread', faultType: 'OOMKilled',
    severity: 'high', context: 'x', timestamp: '2024-01-01T00:00:00Z',
  };
}

async function seeded(filename: string): Promise<{ store: StateStore; id: string }> {
  const store = await createSqliteStateStore({ filename });
  const id = 'seed-1';
  await store.createIncident({ ...event(id), incidentId: id, status: 'pending', createdAt: new Date() }, event(id));
  return { store, id };
}

/** The longest time the event loop went without running a 5 ms interval, while `work` runs. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; stallMs: number; ticks: number }> {
  let last = performance.now();
  let stallMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
    ticks += 1;
  }, 5);
  const [result] = await Promise.allSettled([work()]);
  clearInterval(timer);
  return { result: result as PromiseSettledResult<T>, stallMs: Math.max(stallMs, performance.now() - last), ticks };
}

/** Starts a process that holds the file's write lock for `holdMs`; resolves once it holds it. */
function holdWriteLock(filename: string, holdMs: number): Promise<{ done: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${WORKERS}lock-holder.mjs`, filename, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const done = new Promise<void>((exited) => child.on('close', () => exited()));
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve({ done });
    });
  });
}

describe('SQLite shares the thread with the rest of the process', () => {
  it('a 2 s loop of awaited calls lets a 10 ms interval tick at least 100 times', async () => {
    const { store, id } = await seeded(freshFile());
    try {
      let ticks = 0;
      const timer = setInterval(() => (ticks += 1), 10);
      let calls = 0;
      const end = performance.now() + 2000;
      while (performance.now() < end) {
        await store.getIncident(id);
        calls += 1;
      }
      clearInterval(timer);
      console.log(`2 s loop: ${calls} getIncident calls, the 10 ms interval ticked ${ticks} times`);
      expect(ticks).toBeGreaterThanOrEqual(100);
      expect(calls).toBeGreaterThan(1000);
    } finally {
      await store.close();
    }
  });

  it('an AbortSignal.timeout(50) stops a loop of reads', async () => {
    const { store, id } = await seeded(freshFile());
    try {
      const signal = AbortSignal.timeout(50);
      const started = performance.now();
      let caught: unknown;
      try {
        for (;;) await store.getIncident(id, { signal });
      } catch (error) {
        caught = error;
      }
      const elapsed = performance.now() - started;
      expect(caught).toBeInstanceOf(OperationCancelledError);
      expect(elapsed).toBeLessThan(1000);
    } finally {
      await store.close();
    }
  });

  it('SIGTERM reaches a process busy with a loop of awaited calls at once', async () => {
    const filename = freshFile();
    const child = spawn(process.execPath, [`${WORKERS}busy-reader.mjs`, filename], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('reading')) resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentAt = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    const reactionMs = performance.now() - sentAt;
    console.log(`SIGTERM handled ${reactionMs.toFixed(0)} ms after it was sent; ${output.trim().split('\n').pop()}`);
    expect(code).toBe(0);
    expect(output).toMatch(/terminated after \d+ calls/);
    expect(reactionMs).toBeLessThan(1000);
  }, 30_000);
});

describe('SQLite lock waits never freeze the process', () => {
  it('another process holds the write lock: timeoutMs 200 rejects with TIMEOUT in well under a second, the loop never stalls', async () => {
    const filename = freshFile();
    const { store } = await seeded(filename);
    try {
      const holder = await holdWriteLock(filename, 3000);
      const started = performance.now();
      const { result, stallMs } = await longestStall(() =>
        store.createIncident({ ...event('timed'), incidentId: 'timed', status: 'pending', createdAt: new Date() }, event('timed'), { timeoutMs: 200 }),
      );
      const elapsed = performance.now() - started;
      console.log(`lock held elsewhere: rejected after ${elapsed.toFixed(0)} ms, longest event-loop stall ${stallMs.toFixed(1)} ms`);
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(OperationTimeoutError);
      expect(elapsed).toBeLessThan(800);
      expect(stallMs).toBeLessThan(100);
      // A call without a deadline waits for the lock, asynchronously, and succeeds once it is free.
      const waited = await longestStall(() =>
        store.createIncident({ ...event('waits'), incidentId: 'waits', status: 'pending', createdAt: new Date() }, event('waits')),
      );
      expect(waited.result.status).toBe('fulfilled');
      expect(waited.stallMs).toBeLessThan(100);
      await holder.done;
      await expect(store.getIncident('timed')).rejects.toThrow(/not found/);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('an aborted signal stops a call waiting for the lock at once', async () => {
    const filename = freshFile();
    const { store } = await seeded(filename);
    try {
      const holder = await holdWriteLock(filename, 2000);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = performance.now();
      await expect(
        store.recordAgentExecution({ executionId: 'e', incidentId: 'seed-1', startedAt: new Date() }, { signal: controller.signal }),
      ).rejects.toBeInstanceOf(OperationCancelledError);
      expect(performance.now() - started).toBeLessThan(800);
      await holder.done;
    } finally {
      await store.close();
    }
  }, 30_000);

  it('a lock held longer than busyTimeoutMs fails with StorageError after it, without freezing the loop', async () => {
    const filename = freshFile();
    await (await seeded(filename)).store.close();
    const store = await createSqliteStateStore({ filename, busyTimeoutMs: 1000 });
    try {
      const holder = await holdWriteLock(filename, 3000);
      const started = performance.now();
      const { result, stallMs } = await longestStall(() => store.completeIncident('seed-1', 0));
      const elapsed = performance.now() - started;
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(elapsed).toBeLessThan(2500);
      expect(stallMs).toBeLessThan(100);
      await holder.done;
    } finally {
      await store.close();
    }
  }, 30_000);
});

describe('several stores on one file in one process work like several processes', () => {
  it('two stores open and migrate one fresh file at once', async () => {
    const filename = freshFile();
    const stores = await Promise.all([createSqliteStateStore({ filename }), createSqliteStateStore({ filename })]);
    try {
      for (const [index, store] of stores.entries()) {
        const id = `both-${index}`;
        await store.createIncident({ ...event(id), incidentId: id, status: 'pending', createdAt: new Date() }, event(id));
      }
      expect((await stores[0]!.listIncidents({ cluster: 'thread' })).length).toBe(2);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('a transaction on one store while the other writes: both succeed, without a freeze', async () => {
    const filename = freshFile();
    const { store: first } = await seeded(filename);
    const second = await createSqliteStateStore({ filename });
    try {
      const { result, stallMs } = await longestStall(() =>
        Promise.all([
          first.transaction(async (tx) => {
            await tx.updateIncidentStatus('seed-1', 'investigating', new Date());
            await new Promise((resolve) => setTimeout(resolve, 300));
            await tx.completeIncident('seed-1', 0);
          }),
          (async () => {
            await new Promise((resolve) => setTimeout(resolve, 50));
            await second.createIncident({ ...event('other'), incidentId: 'other', status: 'pending', createdAt: new Date() }, event('other'));
          })(),
        ]),
      );
      expect(result.status).toBe('fulfilled');
      expect(stallMs).toBeLessThan(100);
      expect((await second.getIncident('seed-1')).status).toBe('resolved');
      expect((await first.getIncident('other')).incidentId).toBe('other');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('6 processes × 3 stores open one fresh file at once: 18 of 18 open and write', async () => {
    const filename = freshFile();
    const runs = await Promise.all(Array.from({ length: 6 }, (_, worker) => runNode(`${WORKERS}store-opener.mjs`, [filename, String(worker), '3'])));
    const reports = runs.map((run) => JSON.parse(run.lines[run.lines.length - 1] ?? '{"ok":0,"errors":["no output"]}') as { ok: number; errors: string[] });
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(reports.reduce((sum, report) => sum + report.ok, 0)).toBe(18);
    const store = await createSqliteStateStore({ filename });
    try {
      expect(await store.listIncidents({ cluster: 'openers' })).toHaveLength(18);
    } finally {
      await store.close();
    }
  }, 60_000);
});
