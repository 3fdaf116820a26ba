import { registerAdapter, type StateStoreAdapter } from '@nightcrier/storage-core';
import { builtInAdapterFor } from '@nightcrier/storage-core/adapter';

function isAdapter(value: unknown): value is StateStoreAdapter {
  return typeof value === 'object' && value !== null && typeof (value as StateStoreAdapter).open === 'function';
}

/**
 * Registers the built-in adapter for `url`'s scheme before the store is opened. Core's table says
 * which package serves the URL; importing it from here resolves it from the CLI's own location,
 * where the CLI's dependencies on every built-in adapter put it however the CLI was installed
 * (globally, with npx, under pnpm's strict layout), whereas core alone could not see its siblings.
 */
export async function ensureAdapterFor(url: string): Promise<void> {
  const packageName = builtInAdapterFor(url)?.packageName;
  if (packageName === undefined) return;
  const loaded: unknown = await import(packageName);
  const adapter = (loaded as { adapter?: unknown }).adapter;
  if (!isAdapter(adapter)) throw new Error(`${packageName} exports no adapter`);
  registerAdapter(adapter);
}
