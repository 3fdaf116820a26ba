import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { healthCommand } from './health.js';
import { incidentsListCommand } from './incidents-list.js';
import { incidentsShowCommand } from './incidents-show.js';
import { migrateDownCommand, migrateStatusCommand, migrateUpCommand } from './migrate.js';

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  migrateUpCommand,
  migrateDownCommand,
  migrateStatusCommand,
  incidentsListCommand,
  incidentsShowCommand,
  healthCommand,
  demoCommand,
];

/** First words that need a subcommand. */
export const COMMAND_GROUPS: readonly string[] = [...new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0] as string))];
