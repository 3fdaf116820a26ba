import { describeServerPool } from '../../../test-support/server-pool-suite.js';
import { adminQuery, holdLock, openFreshStore, sessionsOn } from './support/store-fixtures.js';

/** Server sessions of the test's own lock holders, which are not the store's. */
const holders = new Set<number>();

// The suite is shared with every server adapter; MySQL finds a store's sessions by their database
// (each test has its own), leaving out the test's lock holder and the adapter's own probes and KILLs.
describeServerPool('MySQL', {
  async openFreshStore(config) {
    const fresh = await openFreshStore(config);
    const own = async () => {
      const sessions = await sessionsOn(fresh.database);
      return sessions.filter((session) => !holders.has(session.id) && !/information_schema\.PROCESSLIST|^KILL /i.test(session.info ?? ''));
    };
    return {
      ...fresh,
      sessions: async () => (await own()).map((session) => ({ id: session.id, active: session.command === 'Query' || session.command === 'Execute', query: session.info })),
      killSessions: async () => {
        const sessions = await own();
        for (const session of sessions) await adminQuery(`KILL CONNECTION ${Number(session.id)}`).catch(() => undefined);
        return sessions.length;
      },
    };
  },
  async lockTable(url, table) {
    const lock = await holdLock(url, { table });
    holders.add(lock.sessionId);
    return lock;
  },
  async countRows(url, tables) {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await adminQuery<{ count: number }>(`SELECT COUNT(*) AS count FROM \`${table}\``, [], url);
      counts[table] = Number(row?.count);
    }
    return counts;
  },
});
