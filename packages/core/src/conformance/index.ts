/**
 * The conformance suite every adapter must pass: one vitest file, every adapter, identical results.
 * @module @nightcrier/storage-core/conformance
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { StateStore } from '../state-store.js';
import { describeArgumentCapture } from './argument-capture-tests.js';
import { describeCancellation } from './cancellation-tests.js';
import { describeClose } from './close-tests.js';
import { describeConcurrency } from './concurrency-tests.js';
import type { ConformanceContext, ConformanceOptions, ConformanceSection } from './context.js';
import { describeErrors } from './error-tests.js';
import { describeExecutionsAndReports } from './execution-report-tests.js';
import { describeFilters } from './filter-tests.js';
import { describeHostileInput } from './hostile-input-tests.js';
import { describeIncidentWrites } from './incident-write-tests.js';
import { describePagination } from './pagination-tests.js';
import { describeProperties } from './property-tests.js';
import { describeRandomFilters } from './random-filter-tests.js';
import { describeRoundTrips } from './round-trip-tests.js';
import { describeTransactions } from './transaction-tests.js';
import { describeValidation } from './validation-tests.js';

export type { ConformanceContext, ConformanceOptions, ConformanceSection } from './context.js';
export { exerciseListQueryShapes, LIST_FILTER_SHAPES } from './query-shapes.js';
export { queryLayerColumns } from './query-layer-columns.js';

/** Opening a store may clone a database or run migrations: give the hooks room. */
const HOOK_TIMEOUT_MS = 60_000;

const SECTIONS: readonly ConformanceSection[] = [
  describeRoundTrips,
  describeIncidentWrites,
  describeExecutionsAndReports,
  describeErrors,
  describeValidation,
  describeHostileInput,
  describeArgumentCapture,
  describeProperties,
  describeFilters,
  describeRandomFilters,
  describePagination,
  describeTransactions,
  describeConcurrency,
  describeCancellation,
  describeClose,
];

/**
 * Registers the `StateStore` conformance suite under vitest. `open` gives each test a fresh,
 * migrated store; `teardown` (default `store.close()`) releases it after the test, even when the
 * test closed it. Tests only look at ids they created, so stores may share one database.
 *
 * ```ts
 * describeStateStoreConformance('sqlite', { open: () => createSqliteStateStore({ filename: ':memory:' }) });
 * ```
 */
export function describeStateStoreConformance(name: string, options: ConformanceOptions): void {
  describe(`StateStore conformance: ${name}`, () => {
    let current: StateStore | undefined;

    beforeEach(async () => {
      current = await options.open();
    }, HOOK_TIMEOUT_MS);

    afterEach(async () => {
      const store = current;
      current = undefined;
      if (store === undefined) return;
      if (options.teardown !== undefined) await options.teardown(store);
      else await store.close();
    }, HOOK_TIMEOUT_MS);

    const ctx: ConformanceContext = {
      store: () => {
        if (current === undefined) throw new Error('the conformance store is only available inside a test');
        return current;
      },
    };
    for (const section of SECTIONS) section(ctx);
  });
}
