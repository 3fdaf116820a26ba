import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { describeTelemetry } from '../../../test-support/telemetry-suite.js';
import { createSqliteStateStore } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'nightcrier-sqlite-telemetry-'));
// Every store of the file opens the same database: the tests use ids of their own.
const filename = join(folder, 'telemetry.db');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeTelemetry('sqlite', {
  open: (options) => createSqliteStateStore({ ...options, filename }),
  // An embedded engine: no server address or port.
  serverAttributes: { 'db.system.name': 'sqlite', 'db.namespace': filename },
  conflictStatusCode: 'SQLITE_CONSTRAINT_PRIMARYKEY',
  // Another connection holds the write lock for a moment: the store waits and tries again.
  retriedCall: async (store, incidentId) => {
    const holder = new Database(filename);
    holder.exec('begin immediate');
    const release = setTimeout(() => {
      holder.exec('commit');
      holder.close();
    }, 200);
    try {
      await store.updateIncidentStatus(incidentId, 'resolved');
    } finally {
      clearTimeout(release);
      if (holder.open) holder.close();
    }
  },
});
