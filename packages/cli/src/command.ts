import type { CliIo } from './cli-io.js';
import type { ParsedArgs } from './parse-args.js';

/** What a command gets to work with. */
export interface CommandContext {
  /** The connection URL, secrets included: pass it to the SDK, never print it. */
  url: string;
  /** The URL with its password masked: the only form that may be printed. */
  displayUrl: string;
  io: CliIo;
  args: ParsedArgs;
  /** Positionals after the command words, e.g. the ID of `incidents show ID`. */
  operands: string[];
  json: boolean;
  verbose: boolean;
}

/** One `nightcrier-storage` command. */
export interface Command {
  /** The command words: `incidents list`. */
  name: string;
  /** Operands and options after the name, for the usage line: `ID [--json]`. */
  synopsis: string;
  summary: string;
  /** Extra help lines shown by `COMMAND --help`. */
  details: readonly string[];
  /** Options this command accepts besides the global --url, --verbose and --help. */
  flags: readonly string[];
  /** Names of the operands it requires, in order. */
  operands: readonly string[];
  run(context: CommandContext): Promise<void>;
}
