import { registerAdapter, type StateStoreAdapter } from '@nightcrier/storage-core';
import { builtInAdapterFor } from '@nightcrier/storage-core/adapter';

// The CLI depends on every built-in adapter package. Loading them from here (core's own table says
// which package serves a URL) finds them however the CLI was installed: globally, with npx, under
// pnpm's strict layout, where core alone could not see its sibling packages.
const BUNDLED: Readonly<Record<string, () => Promise<{ adapter: StateStoreAdapter }>>> = {
  '@nightcrier/storage-sqlite': () => import('@nightcrier/storage-sqlite'),
  '@nightcrier/storage-postgres': () => import('@nightcrier/storage-postgres'),
};

/** Registers the built-in adapter for `url`'s scheme before the store is opened. */
export async function ensureAdapterFor(url: string): Promise<void> {
  const packageName = builtInAdapterFor(url)?.packageName;
  const load = packageName === undefined ? undefined : BUNDLED[packageName];
  if (load === undefined) return;
  registerAdapter((await load()).adapter);
}
