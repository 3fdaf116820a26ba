import { ValidationError } from '../errors/state-store-error.js';
import { previewValue } from '../validation/preview-value.js';
import type { StateStoreAdapter } from './state-store-adapter.js';

/** A backend this project publishes, loaded on demand by the URL factory. */
export interface BuiltInAdapter {
  /** The adapter's `name`. */
  name: string;
  /** The npm package that serves it: `@nightcrier/storage-postgres`. */
  packageName: string;
  /** The URL schemes it serves, without the colon. */
  schemes: readonly string[];
  /** Imports the package; resolved from core's own location (the CLI imports it from its own). */
  load(): Promise<unknown>;
}

/**
 * Every backend this project publishes: the one table of names, packages and URL schemes. The
 * adapters read their schemes from here, and so does the CLI.
 */
// Literal specifiers, so bundlers see them; each loads only when a URL asks for it (tsconfig.json
// maps them to a stub type, so core compiles without them).
export const BUILT_IN_ADAPTERS: readonly BuiltInAdapter[] = Object.freeze([
  { name: 'sqlite', packageName: '@nightcrier/storage-sqlite', schemes: ['sqlite', 'file'], load: () => import('@nightcrier/storage-sqlite') },
  { name: 'postgres', packageName: '@nightcrier/storage-postgres', schemes: ['postgres', 'postgresql'], load: () => import('@nightcrier/storage-postgres') },
  { name: 'mysql', packageName: '@nightcrier/storage-mysql', schemes: ['mysql', 'mariadb'], load: () => import('@nightcrier/storage-mysql') },
]);

/** The schemes of the built-in adapter `name`, for its own definition. */
export function builtInSchemes(name: string): readonly string[] {
  const builtIn = BUILT_IN_ADAPTERS.find((candidate) => candidate.name === name);
  if (builtIn === undefined) throw new Error(`no built-in adapter is named ${name}`);
  return builtIn.schemes;
}

const registered = new Map<string, StateStoreAdapter>();

function isAdapter(value: unknown): value is StateStoreAdapter {
  const candidate = value as Partial<StateStoreAdapter> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    Array.isArray(candidate.schemes) &&
    candidate.schemes.every((scheme) => typeof scheme === 'string' && scheme.length > 0) &&
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
export function urlScheme(url: unknown): string {
  if (typeof url !== 'string' || url.length === 0) {
    throw new ValidationError(`invalid url: expected a non-empty connection URL, got ${previewValue(url)}`, { field: 'url' });
  }
  if (url === ':memory:') return 'sqlite';
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  return match?.[1]?.toLowerCase() ?? '';
}

/** Every scheme a URL may have: the built-in ones and the registered ones. */
export function supportedSchemes(): string[] {
  return [...new Set([...BUILT_IN_ADAPTERS.flatMap((adapter) => adapter.schemes), ...registered.keys()])].sort();
}

/** The built-in adapter that serves `url`'s scheme, if any. */
export function builtInAdapterFor(url: string): BuiltInAdapter | undefined {
  const scheme = urlScheme(url);
  return BUILT_IN_ADAPTERS.find((adapter) => adapter.schemes.includes(scheme));
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
  const builtIn = builtInAdapterFor(url);
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
