import { registerAdapter, urlScheme } from '@nightcrier/storage-core';

const SQLITE_SCHEMES = new Set(['sqlite', 'file']);

/**
 * Registers the SQLite adapter from the CLI's own dependencies before a SQLite URL is opened, so the
 * store is found however the packages were installed (core alone does not depend on it). Other
 * schemes are left to core's own lazy loading, which names the package to install when it is missing.
 */
export async function ensureAdapterFor(url: string): Promise<void> {
  if (!SQLITE_SCHEMES.has(urlScheme(url))) return;
  const { adapter } = await import('@nightcrier/storage-sqlite');
  registerAdapter(adapter);
}
