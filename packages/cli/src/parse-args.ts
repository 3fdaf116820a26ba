import { UsageError } from './usage-error.js';

export type FlagKind = 'string' | 'boolean';

/** Every option the CLI knows, by long name; which command accepts which is checked later. */
export const KNOWN_FLAGS: Readonly<Record<string, FlagKind>> = Object.freeze({
  url: 'string',
  json: 'boolean',
  verbose: 'boolean',
  help: 'boolean',
  steps: 'string',
  status: 'string',
  cluster: 'string',
  namespace: 'string',
  'fault-type': 'string',
  severity: 'string',
  since: 'string',
  until: 'string',
  limit: 'string',
  incidents: 'string',
});

const SHORT_ALIASES: Readonly<Record<string, string>> = Object.freeze({ '-h': 'help' });

export interface ParsedArgs {
  /** Words that are not options, in order: the command, its subcommand and operands. */
  positionals: string[];
  /** Values of string options, every occurrence in order (most options use the last one). */
  values: Map<string, string[]>;
  /** Boolean options that were given. */
  switches: Set<string>;
}

/**
 * Splits `argv` into positionals and options. Options may appear anywhere (before or after the
 * command) as `--name value` or `--name=value`; booleans take no value; `--` ends the options.
 * An unknown option or a missing value is a `UsageError`.
 */
export function parseArgs(argv: readonly string[], known: Readonly<Record<string, FlagKind>> = KNOWN_FLAGS): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], values: new Map(), switches: new Set() };
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    const alias = SHORT_ALIASES[token];
    if (alias !== undefined) {
      parsed.switches.add(alias);
      continue;
    }
    if (!token.startsWith('-') || token === '-') {
      parsed.positionals.push(token);
      continue;
    }
    if (!token.startsWith('--')) throw new UsageError(`unknown option ${token}`);

    const equals = token.indexOf('=');
    const name = token.slice(2, equals === -1 ? undefined : equals);
    const kind = Object.hasOwn(known, name) ? known[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);

    if (kind === 'boolean') {
      if (equals !== -1) throw new UsageError(`option --${name} does not take a value`);
      parsed.switches.add(name);
      continue;
    }

    let value: string | undefined;
    if (equals !== -1) {
      value = token.slice(equals + 1);
    } else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i += 1;
      }
    }
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`);
    const list = parsed.values.get(name);
    if (list === undefined) parsed.values.set(name, [value]);
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
