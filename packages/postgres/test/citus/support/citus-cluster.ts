import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExternalTools } from './external-tools.js';
import { adminQuery as query } from './store-fixtures.js';
import { startTempPostgresServer, type TempPostgresServer } from './temp-postgres-server.js';

/** A Citus cluster of the test's own: a coordinator and its workers, throwaway servers on 127.0.0.1. */
export interface CitusCluster {
  coordinator: TempPostgresServer;
  workers: TempPostgresServer[];
  /** A superuser URL to `database` on the server listening on `port` (the coordinator's by default). */
  urlOf(port?: number, database?: string): string;
  /** Stops every node (immediately). */
  stop(): Promise<void>;
}

export interface CitusClusterOptions {
  tools: ExternalTools;
  /** A folder the database OS user owns (see `handOverToDatabaseUser`). */
  baseDirectory: string;
  /** Worker nodes; default 2. */
  workers?: number;
}

// Citus hooks into the planner and executor: it must be preloaded, from the first start.
// Its nodes talk to each other over libpq, as the postgres user the servers trust on 127.0.0.1.
const CITUS_SETTINGS = ["shared_preload_libraries = 'citus'"];

/**
 * Starts a coordinator and `workers` workers (initdb, free ports, `shared_preload_libraries =
 * 'citus'`), creates the `citus` extension in each node's `postgres` database, and registers the
 * nodes the way an operator does: `citus_set_coordinator_host` on the coordinator, then
 * `citus_add_node` per worker. Needs Citus installed into the machine's PostgreSQL
 * (`../shared/citus/build-citus.sh`; `.ci/run` builds it when missing).
 */
export async function startCitusCluster({ tools, baseDirectory, workers = 2 }: CitusClusterOptions): Promise<CitusCluster> {
  const urlOf = (port: number, database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}?sslmode=disable`;
  // The server binaries' own library folder (…/15/bin/initdb → …/15/lib), where Citus installs itself.
  const library = join(dirname(dirname(tools.initdb)), 'lib', 'citus.so');
  if (!existsSync(library)) throw new Error(`Citus is not installed (${library} is missing): run ../shared/citus/build-citus.sh`);
  const nodes: TempPostgresServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    // One at a time: initdb and a first start are CPU-bound, and two cores are shared with the tests.
    for (const name of ['coordinator', ...Array.from({ length: workers }, (_, i) => `worker${i + 1}`)]) {
      nodes.push(await startTempPostgresServer({ tools, baseDirectory, name: `citus-${name}`, maxConnections: 100, settings: CITUS_SETTINGS }));
    }
    for (const node of nodes) await query('create extension if not exists citus', [], urlOf(node.port));
    const [coordinator, ...workerNodes] = nodes as [TempPostgresServer, ...TempPostgresServer[]];
    await query('select citus_set_coordinator_host($1, $2::int)', ['127.0.0.1', coordinator.port], urlOf(coordinator.port));
    for (const worker of workerNodes) await query('select citus_add_node($1, $2::int)', ['127.0.0.1', worker.port], urlOf(coordinator.port));
    return { coordinator, workers: workerNodes, urlOf: (port = coordinator.port, database) => urlOf(port, database), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
