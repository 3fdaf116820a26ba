import { deepStrictEqual } from 'node:assert/strict';
import type { BenchTarget } from './bench-target.js';

export interface ParityProbe {
  name: string;
  read: (target: BenchTarget) => Promise<unknown>;
}

/**
 * Proves both sides return the same domain objects: every probe must give deep-equal results
 * (same fields, Dates as Dates, absent optionals absent) on the store and on the raw baseline.
 */
export async function checkParity(store: BenchTarget, raw: BenchTarget, probes: readonly ParityProbe[]): Promise<void> {
  for (const probe of probes) {
    const [fromStore, fromRaw] = [await probe.read(store), await probe.read(raw)];
    try {
      deepStrictEqual(fromRaw, fromStore);
    } catch (error) {
      throw new Error(`store and raw baseline disagree on ${probe.name}: ${(error as Error).message}`);
    }
  }
}
