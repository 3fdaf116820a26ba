import type { TestProject } from 'vitest/node';
import { startTestServer } from './test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mysqlAdminUrl: string;
  }
}

/** Starts (or finds) the MySQL server once per run. */
export default async function setup(project: TestProject) {
  const server = await startTestServer();
  project.provide('mysqlAdminUrl', server.adminUrl);
  console.log(`MySQL tests use a server from ${server.source}`);
  return () => server.stop();
}
