import { describeTelemetry } from '../../../test-support/telemetry-suite.js';
import { createMysqlStateStore } from '../src/index.js';
import { adminUrl, migratedDatabaseForFile } from './support/store-fixtures.js';

// One database migrated once for the file: the tests use ids of their own.
const database = migratedDatabaseForFile();

describeTelemetry('mysql (MariaDB)', {
  open: (options) => createMysqlStateStore({ ...options, url: database().url, migrate: false }),
  get serverAttributes() {
    const server = new URL(adminUrl());
    return {
      // The test server is MariaDB: the adapter asks the server which it is.
      'db.system.name': 'mariadb',
      'db.namespace': database().name,
      'server.address': server.hostname,
      'server.port': Number(server.port || 3306),
    };
  },
  // ER_DUP_ENTRY
  conflictStatusCode: '1062',
});
