import { describeStateStoreConformance } from '@nightcrier/storage-core/conformance';
import { createMysqlStateStore } from '../src/index.js';
import { migratedDatabaseForFile } from './support/store-fixtures.js';

// One database migrated once for this file; tests look only at their own ids, so they share it.
const database = migratedDatabaseForFile();

describeStateStoreConformance('mysql (MariaDB)', {
  open: () => createMysqlStateStore({ url: database().url, migrate: false }),
});
