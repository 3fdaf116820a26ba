import { describeServerPool } from '../../../test-support/server-pool-suite.js';
import { adminQuery, killSessionsOf, lockTable, openFreshStore, sessionsOf, uniqueTag } from './support/store-fixtures.js';

// The suite is shared with every server adapter; PostgreSQL finds a store's sessions by application_name.
describeServerPool('PostgreSQL', {
  async openFreshStore(config) {
    const tag = uniqueTag('pool');
    const fresh = await openFreshStore(tag, config);
    return {
      ...fresh,
      sessions: async () => (await sessionsOf(tag)).map((session) => ({ id: session.pid, active: session.state === 'active', query: session.query })),
      killSessions: () => killSessionsOf(tag),
    };
  },
  lockTable,
  async countRows(url, tables) {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await adminQuery<{ count: string }>(`select count(*) as count from ${table}`, [], url);
      counts[table] = Number(row?.count);
    }
    return counts;
  },
});
