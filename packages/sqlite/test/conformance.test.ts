import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeStateStoreConformance } from '@nightcrier/storage-core/conformance';
import { createSqliteStateStore } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'nightcrier-sqlite-conformance-'));
let counter = 0;
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeStateStoreConformance('sqlite file', {
  open: () => createSqliteStateStore({ filename: join(folder, `store-${++counter}.db`) }),
});

describeStateStoreConformance('sqlite :memory:', {
  open: () => createSqliteStateStore({ filename: ':memory:' }),
});
