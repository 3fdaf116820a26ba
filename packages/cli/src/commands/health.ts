import { migrationStatus, type MigrationStatus } from '@nightcrier/storage-core';
import { builtInAdapterFor, urlScheme } from '@nightcrier/storage-core/adapter';
import { writeLine } from '../cli-io.js';
import type { Command, CommandContext } from '../command.js';
import { formatFields } from '../format-table.js';
import { withStore } from '../with-store.js';

/** The schema as `health` reports it; the first state that applies wins. */
type SchemaState = 'dirty' | 'newer' | 'pending' | 'up to date';

function schemaState(status: MigrationStatus): SchemaState {
  if (status.dirty !== undefined) return 'dirty';
  if (status.unknown.length > 0) return 'newer';
  return status.pending.length > 0 ? 'pending' : 'up to date';
}

function describeSchema(status: MigrationStatus): string {
  switch (schemaState(status)) {
    case 'dirty':
      return `dirty: migration ${String(status.dirty).padStart(6, '0')} failed part way; repair it, then run migrate up`;
    case 'newer':
      return `newer than this version: ${status.unknown.join(', ')} (readable; upgrade before writing)`;
    case 'pending':
      return `${status.pending.length} pending migration${status.pending.length === 1 ? '' : 's'} (${status.pending.join(', ')}): run migrate up`;
    default:
      return `up to date (${status.applied.length} migrations applied)`;
  }
}

export const healthCommand: Command = {
  name: 'health',
  synopsis: '[--json]',
  summary: 'check that the database answers (exit 0) or not (exit 1), and report its schema state',
  details: [
    '--json      print {"ok", "backend", "url", "latencyMs", "connections", "schema"} as one JSON object',
    'Changes nothing: no migrations, and a SQLite file that does not exist is an error, not created.',
  ],
  flags: ['json'],
  operands: [],
  async run(context: CommandContext): Promise<void> {
    const backend = builtInAdapterFor(context.url)?.name ?? urlScheme(context.url);
    const { latencyMs, connections } = await withStore(context, 'read-only', async (store) => {
      const started = performance.now();
      await store.health();
      return { latencyMs: performance.now() - started, connections: store.stats() };
    });
    // Read after the store opened, so a database that is not there has already failed above.
    const status = await migrationStatus(context.url);
    const { stdout } = context.io;
    if (context.json) {
      const rounded = Math.round(latencyMs * 100) / 100;
      const schema = { state: schemaState(status), ...status };
      writeLine(stdout, JSON.stringify({ ok: true, backend, url: context.displayUrl, latencyMs: rounded, connections, schema }));
      return;
    }
    writeLine(stdout, 'ok');
    const lines = formatFields([
      ['backend', backend],
      ['url', context.displayUrl],
      ['latency', `${latencyMs.toFixed(1)} ms`],
      [
        'connections',
        `${connections.totalConnections} total, ${connections.idleConnections} idle, ` +
          `${connections.activeConnections} active, ${connections.waitingRequests} waiting`,
      ],
      ['schema', describeSchema(status)],
    ]);
    for (const line of lines) writeLine(stdout, line);
  },
};
