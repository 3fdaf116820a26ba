import { builtInAdapterFor, urlScheme } from '@nightcrier/storage-core/adapter';
import { writeLine } from '../cli-io.js';
import type { Command, CommandContext } from '../command.js';
import { formatFields } from '../format-table.js';
import { withStore } from '../with-store.js';

export const healthCommand: Command = {
  name: 'health',
  synopsis: '[--json]',
  summary: 'check that the database answers (exit 0) or not (exit 1)',
  details: ['--json      print {"ok", "backend", "url", "latencyMs", "connections"} as one JSON object'],
  flags: ['json'],
  operands: [],
  async run(context: CommandContext): Promise<void> {
    const backend = builtInAdapterFor(context.url)?.name ?? urlScheme(context.url);
    // A health check looks, it does not change the schema: no migrations on open.
    const { latencyMs, connections } = await withStore(
      context,
      async (store) => {
        const started = performance.now();
        await store.health();
        return { latencyMs: performance.now() - started, connections: store.stats() };
      },
      { migrate: false },
    );
    const { stdout } = context.io;
    if (context.json) {
      const rounded = Math.round(latencyMs * 100) / 100;
      writeLine(stdout, JSON.stringify({ ok: true, backend, url: context.displayUrl, latencyMs: rounded, connections }));
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
    ]);
    for (const line of lines) writeLine(stdout, line);
  },
};
