import { redactUrl, urlSecrets } from '@nightcrier/storage-core/adapter';
import { type CliIo, type OutputStream, writeLine } from './cli-io.js';
import { cliVersion } from './cli-version.js';
import type { Command, CommandContext } from './command.js';
import { COMMAND_GROUPS, COMMANDS } from './commands/index.js';
import { givenFlags, parseArgs, type ParsedArgs } from './parse-args.js';
import { reportError } from './report-error.js';
import { resolveUrl } from './resolve-url.js';
import { suggestion } from './suggest.js';
import { commandHelp, groupHelp, mainHelp, PROGRAM, usageHint } from './usage.js';
import { UsageError } from './usage-error.js';

export type { CliIo, OutputStream };

const GLOBAL_FLAGS = ['url', 'verbose', 'help', 'version'];
/** What may follow the program name: commands, groups and `help`. */
const FIRST_WORDS = [...new Set([...COMMANDS.map((c) => c.name.split(' ')[0] as string), 'help'])];

interface Invocation {
  command: Command;
  operands: string[];
}

/** The command named by the leading positionals; a UsageError when there is none or it is unknown. */
function findCommand(positionals: readonly string[]): Invocation {
  const [first, second] = positionals;
  if (first === undefined) throw new UsageError('missing command');
  if (COMMAND_GROUPS.includes(first)) {
    const choices = COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.slice(first.length + 1));
    const command = COMMANDS.find((c) => c.name === `${first} ${second}`);
    if (command === undefined) {
      if (second === undefined) throw new UsageError(`missing ${first} subcommand: expected ${choices.join(', ')}`);
      throw new UsageError(`unknown ${first} subcommand ${JSON.stringify(second)}: expected ${choices.join(', ')}${suggestion(second, choices)}`);
    }
    return { command, operands: positionals.slice(2) };
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(first)}${suggestion(first, FIRST_WORDS)}`);
  return { command, operands: positionals.slice(1) };
}

/** Rejects options the command does not take and a wrong number of operands. */
function checkInvocation({ command, operands }: Invocation, args: ParsedArgs): void {
  for (const flag of givenFlags(args)) {
    if (!GLOBAL_FLAGS.includes(flag) && !command.flags.includes(flag)) {
      const hint = suggestion(flag, [...command.flags, ...GLOBAL_FLAGS], (name) => `--${name}`);
      throw new UsageError(`unknown option --${flag} for ${command.name}${hint}`, command.name);
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
 * Under `--json` an error is one JSON object on stderr instead. Never throws; never prints a
 * connection string's password.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Known before parsing, so that even an unparsable command line reports in the asked-for form.
  const json = argv.includes('--json');
  let verbose = argv.includes('--verbose');
  let secrets: string[] = [];
  let invocation: Invocation | undefined;
  try {
    const args = parseArgs(argv);
    verbose = args.switches.has('verbose');
    if (args.switches.has('version')) {
      writeLine(io.stdout, `${PROGRAM} ${cliVersion()}`);
      return 0;
    }
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
    const usage = error instanceof UsageError;
    if (usage && !json) {
      io.stderr.write(`error: ${error.message}\n${usageHint(invocation?.command)}\n`);
    } else {
      reportError(io.stderr, error, { verbose: verbose && !usage, json, secrets });
    }
    return usage ? 2 : 1;
  }
}
