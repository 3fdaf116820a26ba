import type { StateStore } from '../state-store.js';

/** How the conformance suite gets a store for each test and gets rid of it afterwards. */
export interface ConformanceOptions {
  /** A fresh, migrated store for one test. Tests only look at their own ids, so stores may share a database. */
  open: () => Promise<StateStore>;
  /** Releases the store after the test (default: `store.close()`); called even when the test closed it. */
  teardown?: (store: StateStore) => Promise<void>;
}

/** What each section of the suite receives: the store opened for the running test. */
export interface ConformanceContext {
  /** The store of the test that is running; call it inside `it`, not while the suite is defined. */
  store(): StateStore;
}

/** Registers one section's describe/it blocks. */
export type ConformanceSection = (ctx: ConformanceContext) => void;

/** Generous per-test timeout for the heavy tests (large values, hundreds of writers). */
export const HEAVY_TEST_TIMEOUT_MS = 60_000;
/** Per-test timeout for tests that wait on purpose (timeouts, aborts, close). */
export const SLOW_TEST_TIMEOUT_MS = 30_000;
