import { type CliIo, type OutputStream } from './cli-io.js';
import type { Command, CommandContext } from './command.js';
import { COMMAND_GROUPS, COMMANDS } from './commands/index.js';
import { redactUrl, urlSecrets } from '@nightcrier/storage-core/adapter';
import { givenFlags, parseArgs, type ParsedArgs } from './parse-args.js';
import { reportError } from './report-error.js';
import { resolveUrl } from './resolve-url.js';
import { commandHelp, groupHelp, mainHelp, usageHint } from './usage.js';
import { UsageError } from './usage-error.js';

export type { CliIo, OutputStream };

const GLOBAL_FLAGS = new Set(['url', 'verbose', 'help']);

interface Invocation {
  command: Command;
  operands: string[];
}

/** The command named by the leading positionals; a UsageError when there is none or it is unknown. */
function findCommand(positionals: readonly string[]): Invocation {
  const [first, second] = positionals;
  if (first === undefined) throw new UsageError('missing command');
  if (COMMAND_GROUPS.includes(first)) {
    const choices = COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.split(' ')[1]);
    const command = COMMANDS.find((c) => c.name === `${first} ${second}`);
    if (command === undefined) {
      const what = second === undefined ? `missing ${first} subcommand` : `unknown ${first} subcommand ${JSON.stringify(second)}`;
      throw new UsageError(`${what}: expected ${choices.join(', ')}`);
    }
    return { command, operands: positionals.slice(2) };
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(first)}`);
  return { command, operands: positionals.slice(1) };
}

/** Rejects options the command does not take and a wrong number of operands. */
function checkInvocation({ command, operands }: Invocation, args: ParsedArgs): void {
  for (const flag of givenFlags(args)) {
    if (!GLOBAL_FLAGS.has(flag) && !command.flags.includes(flag)) {
      throw new UsageError(`unknown option --${flag} for ${command.name}`, command.name);
    }
  }
  const missing = command.operands[operands.length];
  if (missing !== undefined) throw new UsageError(`missing ${missing} for ${command.name}`, command.name);
  if (operands.length > command.operands.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(operands[command.operands.length])} for ${command.name}`, command.name);
  }
}

/** What `--help` prints for the positionals given with it. */
function helpFor(positionals: readonly string[]): string {
  if (positionals.length === 0) return mainHelp(COMMANDS);
  const [first] = positionals;
  if (first !== undefined && COMMAND_GROUPS.includes(first) && positionals.length === 1) return groupHelp(first, COMMANDS);
  return commandHelp(findCommand(positionals).command);
}

/**
 * Runs `nightcrier-storage` with `argv` (the arguments after the program name) and returns the exit
 * status: 0 success, 1 error (one line on stderr; the stack only with --verbose), 2 bad usage.
 * Never throws; never prints a connection string's password.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let verbose = false;
  let secrets: string[] = [];
  let invocation: Invocation | undefined;
  try {
    const args = parseArgs(argv);
    verbose = args.switches.has('verbose');
    if (args.switches.has('help') || args.positionals[0] === 'help') {
      const words = args.positionals[0] === 'help' ? args.positionals.slice(1) : args.positionals;
      io.stdout.write(helpFor(words));
      return 0;
    }
    if (args.positionals.length === 0) {
      io.stderr.write(mainHelp(COMMANDS));
      return 2;
    }
    invocation = findCommand(args.positionals);
    checkInvocation(invocation, args);
    const url = resolveUrl(args, io.env);
    secrets = urlSecrets(url);
    const context: CommandContext = {
      url,
      displayUrl: redactUrl(url),
      io,
      args,
      operands: invocation.operands,
      json: args.switches.has('json'),
      verbose,
    };
    await invocation.command.run(context);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n${usageHint(invocation?.command)}\n`);
      return 2;
    }
    reportError(io.stderr, error, verbose, secrets);
    return 1;
  }
}
