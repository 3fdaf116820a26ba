import { afterAll, beforeAll } from 'vitest';
import { describeTelemetry } from '../../../test-support/telemetry-suite.js';
import { createMysqlStateStore } from '../src/index.js';
import { adminUrl, freshDatabase } from './support/store-fixtures.js';

let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;

// One database migrated once for the file: the tests use ids of their own.
beforeAll(async () => {
  database = await freshDatabase();
  await (await createMysqlStateStore({ url: database.url })).close();
});

afterAll(async () => {
  await database?.drop();
});

describeTelemetry('mysql (MariaDB)', {
  open: (options) => createMysqlStateStore({ ...options, url: (database as { url: string }).url, migrate: false }),
  get serverAttributes() {
    const server = new URL(adminUrl());
    return {
      // The test server is MariaDB: the adapter asks the server which it is.
      'db.system.name': 'mariadb',
      'db.namespace': (database as { name: string }).name,
      'server.address': server.hostname,
      'server.port': Number(server.port || 3306),
    };
  },
});
