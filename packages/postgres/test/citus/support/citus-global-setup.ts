import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { locateExternalTools } from '../../support/external-tools.js';
import { handOverToDatabaseUser } from '../../support/temp-postgres-server.js';
import { type CitusPorts, startCitusCluster } from './citus-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    citusPorts: CitusPorts;
  }
}

/**
 * Starts one Citus cluster (a coordinator and two workers) for the run's Citus tests; each test file
 * makes a database of its own on it (`citusTestDatabase`). A machine without Citus or the server
 * binaries fails here, loudly: the Citus tests never skip.
 */
export default async function setup(project: TestProject) {
  const tools = locateExternalTools();
  if (tools.missing.length > 0) throw new Error(`the Citus tests need ${tools.missing.join(', ')}`);
  const baseDirectory = mkdtempSync(join(tmpdir(), 'nightcrier-citus-'));
  await handOverToDatabaseUser(baseDirectory);
  const started = Date.now();
  const cluster = await startCitusCluster({ tools, baseDirectory });
  project.provide('citusPorts', cluster.ports);
  console.log(`Citus tests use a cluster of their own: coordinator on ${cluster.ports.coordinator}, workers on ${cluster.ports.workers.join(', ')} (started in ${Date.now() - started} ms)`);
  return async () => {
    await cluster.stop();
    rmSync(baseDirectory, { recursive: true, force: true });
  };
}
