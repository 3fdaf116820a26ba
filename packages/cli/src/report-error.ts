import { StateStoreError } from '@nightcrier/storage-core';
import { redactText } from '@nightcrier/storage-core/adapter';
import { writeLine, type OutputStream } from './cli-io.js';
import { UsageError } from './usage-error.js';

/** How an error is printed: plain `error: …` lines, or one JSON object under `--json`. */
export interface ErrorReportOptions {
  verbose: boolean;
  json: boolean;
  /** The connection URL's secrets, scrubbed from everything printed. */
  secrets: readonly string[];
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : error.message;
  return String(error);
}

/** The store's own code (`NOT_FOUND`, `CONNECTION`, …), `USAGE` for bad usage, `INTERNAL` for anything else. */
export function errorCode(error: unknown): string {
  if (error instanceof StateStoreError) return error.code;
  if (error instanceof UsageError) return 'USAGE';
  return 'INTERNAL';
}

/** The error and every `cause` below it, stacks included, one string each. */
function causeChain(error: unknown): string[] {
  const chain: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current) && chain.length < 10) {
    seen.add(current);
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    const code = (current as { code?: unknown }).code;
    const codeLine = typeof code === 'string' || typeof code === 'number' ? `\n    code: ${code}` : '';
    chain.push(`${chain.length === 0 ? '' : 'caused by: '}${text}${codeLine}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/**
 * Prints `error: <message>` on one line (with `verbose`, the stack trace and every `cause` below
 * it), or under `json` one line `{"error":{"code","message"}}` (with `verbose`, a `stack` field).
 * Secrets of the connection URL are scrubbed from all of it.
 */
export function reportError(stderr: OutputStream, error: unknown, { verbose, json, secrets }: ErrorReportOptions): void {
  const message = redactText(oneLine(describe(error)), secrets);
  if (json) {
    const body: { code: string; message: string; stack?: string } = { code: errorCode(error), message };
    if (verbose) body.stack = redactText(causeChain(error).join('\n'), secrets);
    writeLine(stderr, JSON.stringify({ error: body }));
    return;
  }
  writeLine(stderr, `error: ${message}`);
  if (verbose) for (const entry of causeChain(error)) writeLine(stderr, redactText(entry, secrets));
}
