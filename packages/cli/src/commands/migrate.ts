import { migrationStatus, runMigrations, type MigrationDirection, type MigrationStatus } from '@nightcrier/storage-core';
import { writeLine } from '../cli-io.js';
import type { Command, CommandContext } from '../command.js';
import { formatTable } from '../format-table.js';
import { ensureAdapterFor } from '../load-adapter.js';
import { lastValue } from '../parse-args.js';
import { parseInteger } from '../parse-values.js';
import { startProgress, type Progress } from '../progress.js';

/** How many migrations `migrate <direction> [--steps N]` will run, as far as the status says. */
function plannedSteps(status: MigrationStatus, direction: MigrationDirection, steps: number | undefined): number {
  const available = direction === 'up' ? status.pending.length : status.applied.length;
  return Math.min(available, steps ?? (direction === 'up' ? Infinity : 1));
}

/**
 * A bar over the migrations about to run, on a terminal only. Its total comes from the status read
 * first; where that cannot be read (a SQLite file `migrate up` is about to create) no bar is drawn.
 */
async function migrationProgress(context: CommandContext, direction: MigrationDirection, steps: number | undefined): Promise<Progress> {
  if (context.json || context.io.stderr.isTTY !== true) return startProgress(context, '', 0);
  const status = await migrationStatus(context.url).catch(() => undefined);
  const total = status === undefined ? 0 : plannedSteps(status, direction, steps);
  return startProgress(context, `migrate ${direction}`, total);
}

function migrateCommand(direction: MigrationDirection): Command {
  const up = direction === 'up';
  return {
    name: `migrate ${direction}`,
    synopsis: '[--steps N] [--json]',
    summary: up ? 'apply pending migrations (all of them, or the next N)' : 'revert applied migrations (the last one, or the last N)',
    details: [
      up ? '--steps N   apply at most N pending migrations (default: all)' : '--steps N   revert the last N applied migrations (default: 1)',
      '--json      print {"direction", "migrations"} as one JSON object',
    ],
    flags: ['steps', 'json'],
    operands: [],
    async run(context: CommandContext): Promise<void> {
      const rawSteps = lastValue(context.args, 'steps');
      const steps = rawSteps === undefined ? undefined : parseInteger('steps', rawSteps, 1);
      await ensureAdapterFor(context.url);
      const progress = await migrationProgress(context, direction, steps);
      const onMigration = (name: string) => progress.tick(name);
      const result = await runMigrations(context.url, steps === undefined ? { direction, onMigration } : { direction, steps, onMigration }).finally(
        () => progress.stop(),
      );
      const { stdout } = context.io;
      if (context.json) {
        writeLine(stdout, JSON.stringify(result));
        return;
      }
      if (result.migrations.length === 0) {
        writeLine(stdout, up ? 'database is up to date: no pending migrations' : 'nothing to revert: no applied migrations');
        return;
      }
      for (const name of result.migrations) writeLine(stdout, `${up ? 'applied ' : 'reverted'} ${name}`);
    },
  };
}

export const migrateUpCommand: Command = migrateCommand('up');
export const migrateDownCommand: Command = migrateCommand('down');

export const migrateStatusCommand: Command = {
  name: 'migrate status',
  synopsis: '[--json]',
  summary: 'list applied and pending migrations',
  details: ['--json      print {"applied", "pending"} as one JSON object'],
  flags: ['json'],
  operands: [],
  async run(context: CommandContext): Promise<void> {
    await ensureAdapterFor(context.url);
    const status = await migrationStatus(context.url);
    const { stdout } = context.io;
    if (context.json) {
      writeLine(stdout, JSON.stringify(status));
      return;
    }
    const dirty = status.dirty === undefined ? undefined : `${String(status.dirty).padStart(6, '0')}_`;
    const appliedState = (name: string): string => {
      if (dirty !== undefined && name.startsWith(dirty)) return 'dirty';
      return status.unknown.includes(name) ? 'applied by a newer version' : 'applied';
    };
    const rows = [...status.applied.map((name) => [name, appliedState(name)]), ...status.pending.map((name) => [name, 'pending'])];
    if (rows.length === 0) {
      writeLine(stdout, 'no migrations found');
      return;
    }
    for (const line of formatTable(['MIGRATION', 'STATUS'], rows)) writeLine(stdout, line);
    writeLine(stdout, `${status.applied.length} applied, ${status.pending.length} pending`);
  },
};
