import { readFileSync } from 'node:fs';

/**
 * This package's version, read from its package.json when asked rather than copied into the build,
 * so `--version` cannot disagree with what was installed. The file sits one folder above both
 * `src/` and `dist/`.
 */
export function cliVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
