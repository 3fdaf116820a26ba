import { redactUrl, supportedSchemes, urlScheme } from '@nightcrier/storage-core/adapter';
import { lastValue, type ParsedArgs } from './parse-args.js';
import { DEFAULT_URL, URL_ENV } from './usage.js';
import { UsageError } from './usage-error.js';

/** `--url`, else `$NIGHTCRIER_STORAGE_URL`, else `sqlite:./nightcrier.db`; an unsupported scheme is a UsageError. */
export function resolveUrl(args: ParsedArgs, env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env[URL_ENV];
  const url = lastValue(args, 'url') ?? (fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv.trim() : DEFAULT_URL);
  const scheme = urlScheme(url);
  const schemes = supportedSchemes();
  if (!schemes.includes(scheme)) {
    const source = lastValue(args, 'url') === undefined ? `$${URL_ENV}` : '--url';
    throw new UsageError(
      `invalid ${source} ${redactUrl(url)}: unsupported scheme; expected one of ${schemes.map((s) => `${s}:`).join(', ')} or :memory:`,
    );
  }
  return url;
}
