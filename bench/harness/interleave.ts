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

/**
 * Times `store` against `raw` in one process: warm-up for both, then for each repetition the sides
 * run in alternating chunks (store chunk, raw chunk, store chunk, …), so drift in machine load hits
 * both alike. Each repetition yields one store ÷ raw time ratio.
 */
export async function interleave(store: OperationCall, raw: OperationCall, config: InterleaveConfig): Promise<InterleaveResult> {
  let storeNext = 0;
  let rawNext = 0;
  await runChunk(store, storeNext, config.warmupOps, config.concurrency);
  storeNext += config.warmupOps;
  await runChunk(raw, rawNext, config.warmupOps, config.concurrency);
  rawNext += config.warmupOps;

  const storeMs: number[] = [];
  const rawMs: number[] = [];
  const storeCpu: number[] = [];
  const rawCpu: number[] = [];
  for (let repetition = 0; repetition < config.repetitions; repetition += 1) {
    const storeTotal = { ms: 0, cpuMicros: 0 };
    const rawTotal = { ms: 0, cpuMicros: 0 };
    for (let chunk = 0; chunk < config.chunksPerRepetition; chunk += 1) {
      await nextTurn();
      const s = await runChunk(store, storeNext, config.chunkOps, config.concurrency);
      storeNext += config.chunkOps;
      await nextTurn();
      const r = await runChunk(raw, rawNext, config.chunkOps, config.concurrency);
      rawNext += config.chunkOps;
      storeTotal.ms += s.ms;
      storeTotal.cpuMicros += s.cpuMicros;
      rawTotal.ms += r.ms;
      rawTotal.cpuMicros += r.cpuMicros;
    }
    storeMs.push(storeTotal.ms);
    rawMs.push(rawTotal.ms);
    storeCpu.push(storeTotal.cpuMicros);
    rawCpu.push(rawTotal.cpuMicros);
  }
  const opsPerRepetition = config.chunksPerRepetition * config.chunkOps;
  return {
    opsPerRepetition,
    storeMs,
    rawMs,
    ratios: storeMs.map((ms, i) => ms / (rawMs[i] as number)),
    cpuRatios: storeCpu.map((micros, i) => micros / (rawCpu[i] as number)),
    storeOpsPerSecond: opsPerRepetition / (median(storeMs) / 1000),
    rawOpsPerSecond: opsPerRepetition / (median(rawMs) / 1000),
    storeCpuMicrosPerOp: median(storeCpu) / opsPerRepetition,
    rawCpuMicrosPerOp: median(rawCpu) / opsPerRepetition,
  };
}
