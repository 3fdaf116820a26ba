import { registerAdapter, type StateStoreAdapter, urlScheme } from '@nightcrier/storage-core';

// The CLI ships both built-in adapters as its own dependencies; loading them from here finds them
// however the CLI was installed (globally, with npx), since core does not depend on either.
const LOADERS: Readonly<Record<string, () => Promise<{ adapter: StateStoreAdapter }>>> = {
  sqlite: () => import('@nightcrier/storage-sqlite'),
  file: () => import('@nightcrier/storage-sqlite'),
  postgres: () => import('@nightcrier/storage-postgres'),
  postgresql: () => import('@nightcrier/storage-postgres'),
};

/** Registers the built-in adapter for `url`'s scheme before the store is opened. */
export async function ensureAdapterFor(url: string): Promise<void> {
  const load = LOADERS[urlScheme(url)];
  if (load === undefined) return;
  registerAdapter((await load()).adapter);
}
