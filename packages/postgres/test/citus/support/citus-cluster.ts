import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExternalTools } from '../../support/external-tools.js';
import { adminQuery as query } from '../../support/store-fixtures.js';
import { startTempPostgresServer, type TempPostgresServer } from '../../support/temp-postgres-server.js';

/** Where the nodes of a Citus cluster listen, all on 127.0.0.1 and trusting the postgres user. */
export interface CitusPorts {
  coordinator: number;
  workers: number[];
}

/** A Citus cluster of the test's own: a coordinator and its workers, throwaway servers on 127.0.0.1. */
export interface CitusCluster {
  ports: CitusPorts;
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

/** A superuser URL to `database` on the node listening on `port`. */
export function citusNodeUrl(port: number, database = 'postgres'): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}?sslmode=disable`;
}

// Citus hooks into the planner and executor: it must be preloaded, from the first start. Its nodes
// talk to each other over libpq, as the postgres user the servers trust on 127.0.0.1. Eight shards
// per distributed table (Citus's default is 32) still put four on each worker, and keep the DDL of a
// test database's migrations, and truncating it, quick.
const CITUS_SETTINGS = ["shared_preload_libraries = 'citus'", 'citus.shard_count = 8'];

/**
 * Makes `database` a Citus database: Citus keeps its metadata (the nodes, the distributed tables)
 * per database, so each one needs the extension on every node and its nodes registered the way an
 * operator does — `citus_set_coordinator_host` on the coordinator, then `citus_add_node` per worker.
 * Creates the database first unless it is `postgres`. Returns the coordinator URL of the database.
 */
export async function createCitusDatabase(ports: CitusPorts, database: string): Promise<string> {
  for (const port of [ports.coordinator, ...ports.workers]) {
    if (database !== 'postgres') await query(`create database "${database}"`, [], citusNodeUrl(port));
    await query('create extension if not exists citus', [], citusNodeUrl(port, database));
  }
  const url = citusNodeUrl(ports.coordinator, database);
  await query('select citus_set_coordinator_host($1, $2::int)', ['127.0.0.1', ports.coordinator], url);
  for (const worker of ports.workers) await query('select citus_add_node($1, $2::int)', ['127.0.0.1', worker], url);
  return url;
}

/**
 * Starts a coordinator and `workers` workers (initdb, free ports, Citus preloaded) and makes their
 * `postgres` database a Citus database. Needs Citus installed into the machine's PostgreSQL
 * (`../shared/citus/build-citus.sh`; `.ci/run` builds it when missing).
 */
export async function startCitusCluster({ tools, baseDirectory, workers = 2 }: CitusClusterOptions): Promise<CitusCluster> {
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
      nodes.push(await startTempPostgresServer({ tools, baseDirectory, name: `citus-${name}`, maxConnections: 200, settings: CITUS_SETTINGS }));
    }
    const [coordinator, ...workerNodes] = nodes as [TempPostgresServer, ...TempPostgresServer[]];
    const ports = { coordinator: coordinator.port, workers: workerNodes.map((worker) => worker.port) };
    await createCitusDatabase(ports, 'postgres');
    return { ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
