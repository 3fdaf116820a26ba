import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { ConflictError, createStateStore, newIncidentFromEvent } from '@nightcrier/storage-core';
import { faultEvent } from '../../../test-support/fixtures.js';
import { installTelemetryCapture, poolNameOf } from '../../../test-support/telemetry-capture.js';

/** An application's span processor that throws synchronously where it is told to (inside startSpan or span.end()). */
class ThrowingProcessor implements SpanProcessor {
  throwIn: 'start' | 'end' | 'nowhere' = 'nowhere';
  thrown = 0;

  onStart(): void {
    this.fail('start');
  }

  onEnd(_span: ReadableSpan): void {
    this.fail('end');
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}

  private fail(where: 'start' | 'end'): void {
    if (this.throwIn !== where) return;
    this.thrown += 1;
    throw new Error(`span processor on${where === 'start' ? 'Start' : 'End'} failed`);
  }
}

const processor = new ThrowingProcessor();
const capture = installTelemetryCapture([processor]);
const folder = mkdtempSync(join(tmpdir(), 'nightcrier-core-telemetry-'));
const filename = join(folder, 'telemetry.db');
const open = () => createStateStore(`sqlite:${filename}`);

afterAll(async () => {
  await capture.shutdown();
  rmSync(folder, { recursive: true, force: true });
});

/** Runs `fn`, then lets Node report any promise rejected and left unhandled meanwhile; returns those rejections. */
async function unhandledDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const note = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', note);
  try {
    await fn();
    // Node reports an unhandled rejection once the microtask queue drains: a macrotask later.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', note);
  }
  return unhandled;
}

describe('core telemetry with a misbehaving OpenTelemetry SDK', () => {
  for (const where of ['end', 'start'] as const) {
    it(`a span processor that throws in on${where === 'end' ? 'End' : 'Start'}: calls still resolve with their values and reject with their own errors, nothing is left unhandled`, async () => {
      const store = await open();
      processor.throwIn = where;
      processor.thrown = 0;
      capture.reset();
      const id = `i-${where}`;
      let read: unknown;
      let conflict: unknown;
      let inTransaction: unknown;
      const unhandled = await unhandledDuring(async () => {
        try {
          await store.createIncident(newIncidentFromEvent(id, faultEvent(`f-${id}`, 'c')), faultEvent(`f-${id}`, 'c'));
          read = await store.getIncident(id);
          conflict = await store.createIncident(newIncidentFromEvent(id, faultEvent(`f-${id}`, 'c')), faultEvent(`f-${id}`, 'c')).catch((error: unknown) => error);
          inTransaction = await store.transaction(async (tx) => (await tx.getIncident(id)).incidentId);
        } finally {
          processor.throwIn = 'nowhere';
          await store.close();
        }
      });
      console.log(`throwing in on${where}: ${processor.thrown} throws, ${capture.spans().length} spans exported, ${unhandled.length} unhandled rejections`);
      expect(processor.thrown).toBeGreaterThanOrEqual(5);
      expect(read).toMatchObject({ incidentId: id });
      expect(conflict).toBeInstanceOf(ConflictError);
      expect(inTransaction).toBe(id);
      expect(unhandled).toEqual([]);
      // Throwing in onEnd: the processors before it still got every span.
      if (where === 'end') expect(capture.spans().map((span) => span.name)).toEqual(['createIncident', 'getIncident', 'createIncident', 'getIncident', 'transaction']);
    });
  }

  it('gives a pool name back when its store closes: a store reopened on the same database reports the plain name again', async () => {
    const first = await open();
    const second = await open();
    const twoOpen = [await poolNameOf(capture, first), await poolNameOf(capture, second)];
    await second.close();
    const third = await open();
    const secondReopened = await poolNameOf(capture, third);
    await first.close();
    await third.close();
    for (let round = 0; round < 3; round += 1) await (await open()).close();
    const reopened = await open();
    const last = await poolNameOf(capture, reopened);
    await reopened.close();
    console.log(`pool names: two open ${twoOpen.join(', ')}; the second reopened ${secondReopened}; after all closed and four reopenings ${last}`);
    expect(twoOpen).toEqual([filename, `${filename}#2`]);
    expect(secondReopened).toBe(`${filename}#2`);
    expect(last).toBe(filename);
  });
});
