import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sqlStatements } from '../../packages/postgres/src/sql-statements.js';
import { type CitusCluster, type CitusPorts, citusNodeUrl, createCitusDatabase, startCitusCluster } from '../../packages/postgres/test/citus/support/citus-cluster.js';
import { locateExternalTools } from '../../packages/postgres/test/support/external-tools.js';
// Types only, erased at run time: the cluster helpers import the tests' store fixtures, whose
// `inject` calls type-check only with the vitest context this file declares.
import type {} from '../../packages/postgres/test/support/global-setup.js';
import { handOverToDatabaseUser } from '../../packages/postgres/test/support/temp-postgres-server.js';
import { checkBenchDatabaseName } from '../harness/bench-database.js';
import { upMigrationSql } from '../harness/paths.js';
import type { ServerAdmin } from '../harness/server-pair.js';

/** A Citus cluster of the benchmark's own, and the admin helpers a server pair needs on it. */
export interface BenchCitusCluster {
  ports: CitusPorts;
  /** The folder holding the nodes' data and logs. */
  directory: string;
  /** The Citus version the coordinator runs, for the report. */
  citusVersion: string;
  admin: ServerAdmin;
  /** Stops every node and removes the folder. */
  remove(): Promise<void>;
}

/** Applies migrations/citus at `url` as the adapter does: one statement per query (Citus refuses to propagate a multi-statement query's DDL). */
async function migrateCitus(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const script of upMigrationSql('citus')) {
      for (const statement of sqlStatements(script)) await client.query(statement);
    }
  } finally {
    await client.end();
  }
}

async function citusVersionAt(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("select extversion as v from pg_extension where extname = 'citus'");
    return rows[0]?.v ?? 'unknown';
  } finally {
    await client.end();
  }
}

/**
 * Starts a coordinator and two workers on this machine (the Citus tests' cluster: initdb in a temp
 * folder, free ports, 8 shards per table; see packages/postgres/test/citus/support/citus-cluster.ts).
 * Needs the server binaries and Citus installed into them; fails loudly otherwise.
 */
export async function startBenchCitusCluster(): Promise<BenchCitusCluster> {
  const tools = locateExternalTools();
  if (tools.missing.length > 0) throw new Error(`the citus engines need ${tools.missing.join(', ')}`);
  // Below the system temp folder: the postgres OS user must be able to reach it (a checkout may sit where it cannot).
  const directory = mkdtempSync(join(tmpdir(), 'nightcrier-bench-citus-'));
  let cluster: CitusCluster | undefined;
  const remove = async () => {
    await cluster?.stop();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await handOverToDatabaseUser(directory);
    cluster = await startCitusCluster({ tools, baseDirectory: directory });
    const { ports } = cluster;
    const admin: ServerAdmin = {
      // A fresh cluster holds no bench database yet: creating it (on every node, nodes registered) is enough.
      recreateDatabase: (name) => {
        checkBenchDatabaseName(name);
        return createCitusDatabase(ports, name);
      },
      // Nothing to drop one by one: remove() takes the whole cluster away right after.
      dropDatabase: async () => undefined,
      migrateRaw: migrateCitus,
    };
    return { ports, directory, citusVersion: await citusVersionAt(citusNodeUrl(ports.coordinator)), admin, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
