import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { median } from './stats.js';

/** One timed call; `index` is unique per side, from 0 up, across warm-up and all repetitions. */
export type OperationCall = (index: number) => Promise<unknown>;

export interface InterleaveConfig {
  /** Calls per side before timing starts (JIT, statement caches, pool connections). */
  warmupOps: number;
  /** Calls in one chunk. */
  chunkOps: number;
  /** Chunks per side in one repetition; the sides alternate chunk by chunk. */
  chunksPerRepetition: number;
  repetitions: number;
  /** Callers running at once; 1 = strictly sequential. */
  concurrency: number;
}

export interface InterleaveResult {
  /** Calls per side per repetition. */
  opsPerRepetition: number;
  storeMs: number[];
  rawMs: number[];
  /** store ÷ raw time, one per repetition. */
  ratios: number[];
  /** store ÷ raw CPU time of this process, one per repetition. */
  cpuRatios: number[];
  storeOpsPerSecond: number;
  rawOpsPerSecond: number;
  /** This process's CPU time (user + system) per call, median over repetitions: the client's own cost. */
  storeCpuMicrosPerOp: number;
  rawCpuMicrosPerOp: number;
}

interface ChunkTiming {
  ms: number;
  cpuMicros: number;
}

/** Calls `call` for `count` indexes from `start`, `concurrency` callers pulling from one counter. */
async function runChunk(call: OperationCall, start: number, count: number, concurrency: number): Promise<ChunkTiming> {
  const end = start + count;
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  if (concurrency <= 1) {
    for (let index = start; index < end; index += 1) await call(index);
  } else {
    let next = start;
    const caller = async () => {
      while (next < end) {
        const index = next;
        next += 1;
        await call(index);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, caller));
  }
  const ms = performance.now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  return { ms, cpuMicros: cpu.user + cpu.system };
}

export function totalCalls(config: InterleaveConfig): number {
  return config.warmupOps + config.repetitions * config.chunksPerRepetition * config.chunkOps;
}

/** One side's totals per repetition. */
export interface SideTimings {
  ms: number[];
  cpuMicros: number[];
}

/**
 * Times several sides in one process: warm-up for each, then for each repetition the sides run in
 * turn chunk by chunk (side 0 chunk, side 1 chunk, …, side 0 chunk, …), so drift in machine load
 * hits all alike.
 */
export async function interleaveSides(sides: readonly OperationCall[], config: InterleaveConfig): Promise<SideTimings[]> {
  const next = sides.map(() => 0);
  for (const [index, call] of sides.entries()) {
    await runChunk(call, 0, config.warmupOps, config.concurrency);
    next[index] = config.warmupOps;
  }
  const timings: SideTimings[] = sides.map(() => ({ ms: [], cpuMicros: [] }));
  for (let repetition = 0; repetition < config.repetitions; repetition += 1) {
    const totals = sides.map(() => ({ ms: 0, cpuMicros: 0 }));
    for (let chunk = 0; chunk < config.chunksPerRepetition; chunk += 1) {
      for (const [index, call] of sides.entries()) {
        await nextTurn();
        const timing = await runChunk(call, next[index] as number, config.chunkOps, config.concurrency);
        next[index] = (next[index] as number) + config.chunkOps;
        const total = totals[index] as ChunkTiming;
        total.ms += timing.ms;
        total.cpuMicros += timing.cpuMicros;
      }
    }
    for (const [index, total] of totals.entries()) {
      timings[index]?.ms.push(total.ms);
      timings[index]?.cpuMicros.push(total.cpuMicros);
    }
  }
  return timings;
}

/**
 * Times `store` against `raw` in one process (interleaveSides with two sides). Each repetition
 * yields one store ÷ raw time ratio.
 */
export async function interleave(store: OperationCall, raw: OperationCall, config: InterleaveConfig): Promise<InterleaveResult> {
  const [storeSide, rawSide] = (await interleaveSides([store, raw], config)) as [SideTimings, SideTimings];
  const opsPerRepetition = config.chunksPerRepetition * config.chunkOps;
  return {
    opsPerRepetition,
    storeMs: storeSide.ms,
    rawMs: rawSide.ms,
    ratios: storeSide.ms.map((ms, i) => ms / (rawSide.ms[i] as number)),
    cpuRatios: storeSide.cpuMicros.map((micros, i) => micros / (rawSide.cpuMicros[i] as number)),
    storeOpsPerSecond: opsPerRepetition / (median(storeSide.ms) / 1000),
    rawOpsPerSecond: opsPerRepetition / (median(rawSide.ms) / 1000),
    storeCpuMicrosPerOp: median(storeSide.cpuMicros) / opsPerRepetition,
    rawCpuMicrosPerOp: median(rawSide.cpuMicros) / opsPerRepetition,
  };
}
