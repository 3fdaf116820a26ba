import type { BenchTarget } from '../harness/bench-target.js';

/**
 * What a peer (stock Kysely, Drizzle) implements for the side-by-side benchmark: the operations of
 * issue 12's table, with the same inputs and the same domain objects out as the store.
 */
export type PeerTarget = Pick<BenchTarget, 'getIncident' | 'recordAgentExecution' | 'listIncidents' | 'close'> &
  /** Absent where the peer has no way to run it as one transaction (Drizzle's prepared queries on pg). */
  Partial<Pick<BenchTarget, 'createIncident'>>;
