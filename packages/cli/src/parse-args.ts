import { parseArgs as tokenize } from 'node:util';
import { suggestion } from './suggest.js';
import { UsageError } from './usage-error.js';

export type FlagKind = 'string' | 'boolean';

/** Every option the CLI knows, by long name; which command accepts which is checked later. */
export const KNOWN_FLAGS: Readonly<Record<string, FlagKind>> = Object.freeze({
  url: 'string',
  json: 'boolean',
  verbose: 'boolean',
  help: 'boolean',
  version: 'boolean',
  steps: 'string',
  status: 'string',
  cluster: 'string',
  namespace: 'string',
  'fault-type': 'string',
  severity: 'string',
  since: 'string',
  until: 'string',
  limit: 'string',
  cursor: 'string',
  incidents: 'string',
});

/** One-letter spellings: `-h` for `--help`, `-v` for `--version` (as golang-migrate and prisma spell them). */
const SHORT_FLAGS: Readonly<Record<string, string>> = Object.freeze({ h: 'help', v: 'version' });

export interface ParsedArgs {
  /** Words that are not options, in order: the command, its subcommand and operands. */
  positionals: string[];
  /** Values of string options, every occurrence in order (most options use the last one). */
  values: Map<string, string[]>;
  /** Boolean options that were given. */
  switches: Set<string>;
}

type TokenOptions = Record<string, { type: FlagKind; short?: string; multiple?: boolean }>;

function tokenOptions(known: Readonly<Record<string, FlagKind>>): TokenOptions {
  const options: TokenOptions = {};
  for (const [name, type] of Object.entries(known)) options[name] = type === 'string' ? { type, multiple: true } : { type };
  for (const [short, name] of Object.entries(SHORT_FLAGS)) {
    const option = options[name];
    if (option !== undefined) option.short = short;
  }
  return options;
}

/**
 * Splits `argv` into positionals and options. Options may appear anywhere (before or after the
 * command) as `--name value` or `--name=value`; booleans take no value; `--` ends the options.
 * `node:util` parseArgs does the tokenizing; it runs non-strict so that the checks below can name
 * the option, suggest the closest one and refuse `--limit --json` (a value that is an option),
 * which strict mode would take as the value.
 */
export function parseArgs(argv: readonly string[], known: Readonly<Record<string, FlagKind>> = KNOWN_FLAGS): ParsedArgs {
  const { tokens } = tokenize({ args: [...argv], options: tokenOptions(known), strict: false, allowPositionals: true, tokens: true });
  const parsed: ParsedArgs = { positionals: [], values: new Map(), switches: new Set() };
  for (const token of tokens) {
    if (token.kind === 'positional') parsed.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const kind = Object.hasOwn(known, token.name) ? known[token.name] : undefined;
    if (kind === undefined) {
      throw new UsageError(`unknown option ${token.rawName}${suggestion(token.name, Object.keys(known), (name) => `--${name}`)}`);
    }
    if (kind === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option --${token.name} does not take a value`);
      parsed.switches.add(token.name);
      continue;
    }
    const value = token.value;
    const isOption = value !== undefined && token.inlineValue !== true && value.startsWith('--');
    if (value === undefined || value === '' || isOption) throw new UsageError(`option --${token.name} needs a value`);
    const list = parsed.values.get(token.name);
    if (list === undefined) parsed.values.set(token.name, [value]);
    else list.push(value);
  }
  return parsed;
}

/** The last value given for a string option, or undefined. */
export function lastValue(args: ParsedArgs, name: string): string | undefined {
  const list = args.values.get(name);
  return list === undefined ? undefined : list[list.length - 1];
}

/** Names (without dashes) of every option present in `args`. */
export function givenFlags(args: ParsedArgs): string[] {
  return [...args.values.keys(), ...args.switches];
}
