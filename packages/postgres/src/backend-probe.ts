import type { StatementProbe } from '@nightcrier/storage-core/adapter';
import type { PostgresConnection } from './postgres-connections.js';
import { withSideConnection } from './side-connection.js';

/** How long one look at pg_stat_activity may take, connect included. */
const PROBE_TIMEOUT_MS = 5000;

function judge(state: unknown): StatementProbe {
  if (state === 'active' || state === 'fastpath function call') return 'running';
  // Idle while our statement waits for its answer: the answer was lost on the way.
  if (state === 'idle' || state === 'idle in transaction' || state === 'idle in transaction (aborted)') return 'lost';
  return 'unknown';
}

/**
 * Looks up a session on the server over a connection of its own: is its backend still running our
 * statement? For the StatementWatchdog; `unknown` whenever the server cannot be asked.
 */
export function backendProbe(): (connection: PostgresConnection) => Promise<StatementProbe> {
  return async ({ backend, hostConfig }) => {
    if (backend === undefined) return 'unknown';
    try {
      // The host the session really went to: of a multi-host URL, the one that answered.
      const rows = await withSideConnection(hostConfig, PROBE_TIMEOUT_MS, async (client) =>
        (await client.query<{ state: unknown }>('select state from pg_stat_activity where pid = $1', [backend.pid])).rows,
      );
      return rows.length === 0 ? 'lost' : judge(rows[0]?.state);
    } catch {
      return 'unknown';
    }
  };
}
