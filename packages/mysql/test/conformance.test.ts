import { describeStateStoreConformance } from '@nightcrier/storage-core/conformance';
import { afterAll, beforeAll } from 'vitest';
import { createMysqlStateStore } from '../src/index.js';
import { freshDatabase } from './support/store-fixtures.js';

let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;

// One database migrated once for this file; tests look only at their own ids, so they share it.
beforeAll(async () => {
  database = await freshDatabase();
  await (await createMysqlStateStore({ url: database.url })).close();
});

afterAll(async () => {
  await database?.drop();
});

describeStateStoreConformance('mysql (MariaDB)', {
  open: () => createMysqlStateStore({ url: (database as { url: string }).url, migrate: false }),
});
