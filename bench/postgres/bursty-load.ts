import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TargetPair } from '../harness/bench-target.js';
import type { OperationCall } from '../harness/interleave.js';
import { BENCH_DATABASES } from '../harness/server-pair.js';
import { max, median, min, type RatioFigures } from '../harness/stats.js';
import type { OperationDef } from '../operations.js';
import type { Fixture } from '../workload.js';
import { backendsOf } from './postgres-admin.js';
import { RawPostgresStore } from './raw-postgres.js';

/** The shape of the bursty load (issue 10): bursts of concurrent calls with idle lulls between them. */
export interface BurstyConfig {
  /** Calls started at once in one burst. */
  burstSize: number;
  /** Bursts per side in one repetition; the sides alternate burst by burst. */
  burstsPerRepetition: number;
  /** Pause after every burst: shorter than the store's idle grace (5 s) and pg.Pool's idleTimeoutMillis (10 s). */
  lullMs: number;
  repetitions: number;
}

/**
 * One operation under bursty load: burst time ratio, and the server sessions each side opened.
 * Throughputs are calls per second of burst time (lulls excluded), medians over repetitions.
 */
export interface BurstyRow extends RatioFigures {
  engine: string;
  operation: string;
  key: string;
  config: BurstyConfig;
  /** Timed calls per side (the warm-up burst is not counted). */
  calls: number;
  /** New server sessions each side opened during the timed bursts, as pg_stat_activity shows them. */
  storeSessionsOpened: number;
  rawSessionsOpened: number;
  storeSessionsPer1000: number;
  rawSessionsPer1000: number;
  /** pg.Pool 'connect' events of the raw side in the same bursts: the client's count of rawSessionsOpened. */
  rawConnectEvents: number;
  /**
   * Sessions seen in one sample and gone by the next, both sides together. Each side's sessions are
   * listed after every one of its bursts; 0 means no session closed in between, so no session could
   * have opened and closed unseen and the counts above are exact.
   */
  sessionsClosedBetweenSamples: number;
}

/** The server sessions of one side's database, listed after each of its bursts. */
class SessionLedger {
  private last = new Set<string>();
  opened = 0;
  closed = 0;

  constructor(private readonly database: string) {}

  /** Lists the sessions now; `count` false only records them (the warm-up). */
  async sample(count: boolean): Promise<void> {
    const now = new Set(await backendsOf(this.database));
    if (count) {
      for (const backend of now) if (!this.last.has(backend)) this.opened += 1;
      for (const backend of this.last) if (!now.has(backend)) this.closed += 1;
    }
    this.last = now;
  }
}

interface Side {
  call: OperationCall;
  ledger: SessionLedger;
  next: number;
  ms: number[];
}

/** Starts `size` calls at once; resolves with the wall time until the last one settled. */
async function burst(side: Side, size: number): Promise<number> {
  const start = side.next;
  side.next += size;
  const began = performance.now();
  await Promise.all(Array.from({ length: size }, (_, i) => side.call(start + i)));
  return performance.now() - began;
}

/**
 * Times `op` on both sides of a PostgreSQL pair under bursty load: a warm-up burst per side, then per
 * repetition `burstsPerRepetition` bursts per side, alternating (store burst, lull, raw burst, lull,
 * …) so drift in machine load hits both alike. Only the bursts are timed.
 */
export async function measureBursty(engine: string, pair: TargetPair, fixture: Fixture, op: OperationDef, config: BurstyConfig): Promise<BurstyRow> {
  const { raw } = pair;
  if (!(raw instanceof RawPostgresStore)) throw new Error('the bursty-load row needs the raw pg.Pool baseline');
  const total = config.burstSize * (1 + config.repetitions * config.burstsPerRepetition);
  const sides: [Side, Side] = [
    { call: await op.bind(pair.store, fixture, total), ledger: new SessionLedger(BENCH_DATABASES.store), next: 0, ms: [] },
    { call: await op.bind(raw, fixture, total), ledger: new SessionLedger(BENCH_DATABASES.raw), next: 0, ms: [] },
  ];
  for (const side of sides) {
    await burst(side, config.burstSize);
    await side.ledger.sample(false);
    await sleep(config.lullMs);
  }
  let rawConnectEvents = 0;
  const onConnect = () => {
    rawConnectEvents += 1;
  };
  raw.pool.on('connect', onConnect);
  try {
    for (let repetition = 0; repetition < config.repetitions; repetition += 1) {
      const totals = [0, 0];
      for (let b = 0; b < config.burstsPerRepetition; b += 1) {
        for (const [index, side] of sides.entries()) {
          totals[index] = (totals[index] as number) + (await burst(side, config.burstSize));
          await side.ledger.sample(true);
          await sleep(config.lullMs);
        }
      }
      sides.forEach((side, index) => side.ms.push(totals[index] as number));
    }
  } finally {
    raw.pool.off('connect', onConnect);
  }
  const [store, rawSide] = sides;
  const calls = config.repetitions * config.burstsPerRepetition * config.burstSize;
  const perRepetition = calls / config.repetitions;
  const ratios = store.ms.map((ms, i) => ms / (rawSide.ms[i] as number));
  return {
    engine,
    operation: op.title,
    key: op.key,
    config,
    calls,
    storeOpsPerSecond: perRepetition / (median(store.ms) / 1000),
    rawOpsPerSecond: perRepetition / (median(rawSide.ms) / 1000),
    ratioMedian: median(ratios),
    ratioMin: min(ratios),
    ratioMax: max(ratios),
    ratios,
    storeSessionsOpened: store.ledger.opened,
    rawSessionsOpened: rawSide.ledger.opened,
    storeSessionsPer1000: (store.ledger.opened / calls) * 1000,
    rawSessionsPer1000: (rawSide.ledger.opened / calls) * 1000,
    rawConnectEvents,
    sessionsClosedBetweenSamples: store.ledger.closed + rawSide.ledger.closed,
  };
}
