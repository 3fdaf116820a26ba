import { writeLine, type OutputStream } from './cli-io.js';
import { redactText } from '@nightcrier/storage-core/adapter';

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : error.message;
  return String(error);
}

/**
 * Prints `error: <message>` on one line; with `verbose`, the stack trace and every `cause` below it.
 * Secrets of the connection URL are scrubbed from all of it.
 */
export function reportError(stderr: OutputStream, error: unknown, verbose: boolean, secrets: readonly string[]): void {
  writeLine(stderr, `error: ${redactText(oneLine(describe(error)), secrets)}`);
  if (!verbose) return;
  const seen = new Set<unknown>();
  let current: unknown = error;
  let depth = 0;
  while (current !== undefined && current !== null && !seen.has(current) && depth < 10) {
    seen.add(current);
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    const code = (current as { code?: unknown }).code;
    writeLine(stderr, redactText(`${depth === 0 ? '' : 'caused by: '}${text}`, secrets));
    if (typeof code === 'string' || typeof code === 'number') writeLine(stderr, `    code: ${code}`);
    current = current instanceof Error ? current.cause : undefined;
    depth += 1;
  }
}
