/**
 * A focused loop for profiling one operation on one side, e.g.
 *   tsx bench/profile.ts --engine sqlite-memory --op getIncident --side store --calls 200000 \
 *     --cpu-profile bench/results/get-store.cpuprofile
 *   tsx bench/harness/cpu-profile-top.ts bench/results/get-store.cpuprofile 25
 * Seeds the same fixture as `pnpm bench`, then runs the call `--calls` times (with the engine's
 * concurrency) and prints wall time and this process's CPU time per call. `--cpu-profile FILE`
 * records a V8 CPU profile of the timed loop only (not the seeding). `--max-idle N` overrides the
 * store's PostgreSQL maxIdleConns, to test the pool's part in a result.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createPostgresStateStore } from '@nightcrier/storage-postgres';
import type { TargetPair } from './harness/bench-target.js';
import { selectEngines } from './engines.js';
import { BENCH_DATABASES } from './harness/server-pair.js';
import { connectionsOpened } from './mysql/mysql-admin.js';
import { selectOperations } from './operations.js';
import { recreateDatabase, sessionsOpened } from './postgres/postgres-admin.js';
import { seedFixture } from './workload.js';

async function openWithMaxIdle(maxIdleConns: number): Promise<Pick<TargetPair, 'store' | 'cleanup'>> {
  const url = await recreateDatabase('nc_bench_profile');
  const store = await createPostgresStateStore({ url, pool: { maxIdleConns } });
  return { store, cleanup: async () => undefined };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'sqlite-memory' },
      op: { type: 'string', default: 'getIncident' },
      side: { type: 'string', default: 'store' },
      calls: { type: 'string', default: '100000' },
      'max-idle': { type: 'string' },
      concurrency: { type: 'string' },
      'cpu-profile': { type: 'string' },
    },
  });
  const [engine] = selectEngines([values.engine as string]);
  const [op] = selectOperations([values.op as string]);
  if (engine === undefined || op === undefined) throw new Error('pick one --engine and one --op');
  const calls = Number(values.calls);
  const concurrency = values.concurrency === undefined ? engine.concurrency : Number(values.concurrency);
  const maxIdle = values['max-idle'];
  const pair = maxIdle !== undefined && engine.family === 'postgres' && values.side === 'store' ? { ...(await openWithMaxIdle(Number(maxIdle))), raw: undefined } : await engine.open();
  const target = values.side === 'raw' ? pair.raw : pair.store;
  if (target === undefined) throw new Error('no such side');
  const fixture = await seedFixture(target, undefined, engine.family === 'sqlite' ? 1 : 10);
  const call = await op.bind(target, fixture, calls);
  let next = 0;
  const caller = async () => {
    while (next < calls) {
      const index = next;
      next += 1;
      await call(index);
    }
  };
  const database = maxIdle !== undefined && values.side === 'store' ? 'nc_bench_profile' : values.side === 'raw' ? BENCH_DATABASES.raw : BENCH_DATABASES.store;
  const sessionsBefore = engine.family === 'postgres' ? await sessionsOpened(database) : engine.family === 'mysql' ? await connectionsOpened() : 0;
  const profileFile = values['cpu-profile'];
  const session = profileFile === undefined ? undefined : new Session();
  if (session !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  await Promise.all(Array.from({ length: concurrency }, caller));
  const ms = performance.now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  if (session !== undefined && profileFile !== undefined) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  if (engine.family === 'postgres') console.log(`new PostgreSQL sessions during the loop: ${(await sessionsOpened(database)) - sessionsBefore - 2}`);
  // Server-wide, less the admin connection the second count opened.
  if (engine.family === 'mysql') console.log(`new MySQL connections during the loop: ${(await connectionsOpened()) - sessionsBefore - 1}`);
  console.log(`${engine.name} ${op.key} ${values.side}: ${calls} calls, concurrency ${concurrency}, ${ms.toFixed(0)} ms, ${((ms * 1000) / calls).toFixed(2)} µs/call, ${Math.round(calls / (ms / 1000))} calls/s; this process's CPU ${((cpu.user + cpu.system) / calls).toFixed(2)} µs/call`);
  await pair.store.close();
  await pair.raw?.close();
  await pair.cleanup();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
