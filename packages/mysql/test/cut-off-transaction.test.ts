import { describe, it } from 'vitest';
import { expectCutOffTransactionToReleaseItsLocks } from '../../../test-support/cut-off-transaction-scenario.js';
import { createMysqlStateStore } from '../src/index.js';
import { freshDatabase } from './support/store-fixtures.js';

// The scenario is shared with every server adapter: test-support/cut-off-transaction-scenario.ts.
describe('MySQL: a transaction cut off by a silent network', () => {
  it('does not leave its row lock held on the server: a neighbour writes the row soon after the heal', async () => {
    const database = await freshDatabase();
    const direct = new URL(database.url);
    try {
      await (await createMysqlStateStore({ url: database.url })).close();
      await expectCutOffTransactionToReleaseItsLocks({
        name: 'MySQL',
        server: { host: direct.hostname, port: Number(direct.port || 3306) },
        open: (port) => {
          const viaProxy = new URL(database.url);
          viaProxy.port = String(port);
          return createMysqlStateStore({ url: viaProxy.toString(), migrate: false });
        },
        openDirect: () => createMysqlStateStore({ url: database.url, migrate: false }),
      });
    } finally {
      await database.drop();
    }
  }, 60_000);
});
