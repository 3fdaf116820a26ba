import type { TestProject } from 'vitest/node';
import { createPostgresStateStore } from '../../src/index.js';
import { createEmptyDatabase, dropDatabase } from './test-databases.js';
import { startTestServer } from './test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresTemplate: string;
    postgresSource: string;
  }
}

/**
 * Starts (or finds) the PostgreSQL server once per run and migrates a template database that
 * each test clones, so every test gets a fresh, migrated, empty database in milliseconds.
 */
export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const templateUrl = await createEmptyDatabase(server.adminUrl, 'nc_template');
  const store = await createPostgresStateStore({ url: templateUrl, pool: { maxOpenConns: 1 } });
  await store.close();
  const template = decodeURIComponent(new URL(templateUrl).pathname.slice(1));
  project.provide('postgresAdminUrl', server.adminUrl);
  project.provide('postgresTemplate', template);
  project.provide('postgresSource', server.source);
  console.log(`PostgreSQL tests use a server from ${server.source}`);
  return async () => {
    await dropDatabase(server.adminUrl, templateUrl);
    await server.stop();
  };
}
