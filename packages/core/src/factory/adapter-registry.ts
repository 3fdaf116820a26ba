import { ValidationError } from '../errors/state-store-error.js';
import type { StateStoreAdapter } from './state-store-adapter.js';

interface BuiltInAdapter {
  packageName: string;
  load: () => Promise<unknown>;
}

// Literal specifiers, so bundlers see them; each loads only when a URL asks for it. tsconfig.json
// maps both to a stub type, so core compiles without them.
const loadSqlite = (): Promise<unknown> => import('@nightcrier/storage-sqlite');
const loadPostgres = (): Promise<unknown> => import('@nightcrier/storage-postgres');

const BUILT_IN: Readonly<Record<string, BuiltInAdapter>> = {
  sqlite: { packageName: '@nightcrier/storage-sqlite', load: loadSqlite },
  file: { packageName: '@nightcrier/storage-sqlite', load: loadSqlite },
  postgres: { packageName: '@nightcrier/storage-postgres', load: loadPostgres },
  postgresql: { packageName: '@nightcrier/storage-postgres', load: loadPostgres },
};

const registered = new Map<string, StateStoreAdapter>();

function isAdapter(value: unknown): value is StateStoreAdapter {
  const candidate = value as Partial<StateStoreAdapter> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    Array.isArray(candidate.schemes) &&
    typeof candidate.open === 'function'
  );
}

/** Makes `adapter` open URLs of its schemes; a later registration of a scheme wins. */
export function registerAdapter(adapter: StateStoreAdapter): void {
  if (!isAdapter(adapter) || adapter.schemes.length === 0) {
    throw new ValidationError('invalid adapter: expected { name, schemes: string[], open(url, options) }', { field: 'adapter' });
  }
  for (const scheme of adapter.schemes) registered.set(scheme.toLowerCase().replace(/:$/, ''), adapter);
}

/** The scheme of a store URL: `sqlite`, `postgres`, …; a bare `:memory:` counts as sqlite. */
export function urlScheme(url: string): string {
  if (typeof url !== 'string' || url.length === 0) {
    throw new ValidationError('invalid url: expected a non-empty connection URL', { field: 'url' });
  }
  if (url === ':memory:') return 'sqlite';
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  return match?.[1]?.toLowerCase() ?? '';
}

export function supportedSchemes(): string[] {
  return [...new Set([...Object.keys(BUILT_IN), ...registered.keys()])].sort();
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(packageName);
}

/** Finds the adapter for `url`: a registered one first, then the built-in package, loaded on demand. */
export async function resolveAdapter(url: string): Promise<StateStoreAdapter> {
  const scheme = urlScheme(url);
  const adapter = registered.get(scheme);
  if (adapter !== undefined) return adapter;
  const builtIn = BUILT_IN[scheme];
  if (builtIn === undefined) {
    throw new ValidationError(
      `invalid url: unsupported scheme "${scheme}"; supported: ${supportedSchemes().map((s) => `${s}:`).join(', ')} and :memory:`,
      { field: 'url' },
    );
  }
  let loaded: unknown;
  try {
    loaded = await builtIn.load();
  } catch (cause) {
    if (isModuleNotFound(cause, builtIn.packageName)) {
      throw new ValidationError(`the ${scheme}: adapter is not installed; install it with: npm install ${builtIn.packageName}`, {
        field: 'url',
        cause,
      });
    }
    throw cause;
  }
  const exported = (loaded as { adapter?: unknown }).adapter;
  if (!isAdapter(exported)) throw new ValidationError(`${builtIn.packageName} does not export a state store adapter`, { field: 'url' });
  return exported;
}
