import type { Command } from './command.js';

export const PROGRAM = 'nightcrier-storage';
export const URL_ENV = 'NIGHTCRIER_STORAGE_URL';
export const DEFAULT_URL = 'sqlite:./nightcrier.db';

const GLOBAL_OPTIONS = [
  'global options (before or after the command):',
  `  --url URL      connection URL; default: $${URL_ENV}, then ${DEFAULT_URL}`,
  '                 sqlite:path.db, sqlite:///abs/path.db, file:path.db,',
  '                 postgres://user:pass@host:5432/db?sslmode=verify-full,',
  '                 mysql://user:pass@host:3306/db?ssl-mode=VERIFY_IDENTITY',
  '  --verbose      on errors print the stack trace; print every SQL query on stderr',
  '  -h, --help     show help (also after a command: incidents list --help)',
  '  -v, --version  print the version',
];

/** `nightcrier-storage incidents list [--status a,b] …`. */
export function usageLine(command: Command): string {
  return `usage: ${PROGRAM} [--url URL] ${command.name}${command.synopsis === '' ? '' : ` ${command.synopsis}`}`;
}

/** The full help: every command, the global options, exit statuses. */
export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `usage: ${PROGRAM} [--url URL] COMMAND [options]`,
    '',
    'Migrate, inspect and exercise a nightcrier incident state store (SQLite, PostgreSQL or MySQL).',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    ...GLOBAL_OPTIONS,
    '',
    `Run '${PROGRAM} COMMAND --help' for the options of a command.`,
    'exit status: 0 success, 1 error, 2 bad usage; under --json an error is {"error":{"code","message"}} on stderr',
    '',
  ].join('\n');
}

/** The help of one command. */
export function commandHelp(command: Command): string {
  return [
    usageLine(command),
    '',
    `${command.summary[0]?.toUpperCase() ?? ''}${command.summary.slice(1)}.`,
    ...(command.details.length > 0 ? ['', 'options:', ...command.details.map((line) => `  ${line}`)] : []),
    '',
    ...GLOBAL_OPTIONS,
    '',
  ].join('\n');
}

/** The help of a command group such as `migrate`. */
export function groupHelp(group: string, commands: readonly Command[]): string {
  const members = commands.filter((c) => c.name.startsWith(`${group} `));
  return mainHelp(members).replace('COMMAND [options]', `${group} SUBCOMMAND [options]`);
}

/** The hint printed under a usage error. */
export function usageHint(command: Command | undefined): string {
  const more = `Run '${PROGRAM} ${command === undefined ? '' : `${command.name} `}--help' for more.`;
  return command === undefined ? more : `${usageLine(command)}\n${more}`;
}
