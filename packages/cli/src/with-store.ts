import { createStateStore, migrationStatus, StorageError, type StateStore, type StoreOptions } from '@nightcrier/storage-core';
import { writeLine } from './cli-io.js';
import type { CommandContext } from './command.js';
import { ensureAdapterFor } from './load-adapter.js';

/**
 * `read-only`: the schema is left as it is (no migrations, so a read-only database role works and
 * a missing SQLite file is not created), and a schema a newer release migrated is still readable.
 * `read-write`: pending migrations are applied first.
 */
export type StoreAccess = 'read-only' | 'read-write';

function storeOptions(context: CommandContext, access: StoreAccess): StoreOptions {
  const options: StoreOptions = access === 'read-only' ? { migrate: false, allowNewerSchema: true } : {};
  if (context.verbose) {
    options.onQuery = (event) => {
      const failed = event.error === undefined ? '' : ' (failed)';
      writeLine(context.io.stderr, `query ${event.durationMs.toFixed(1)} ms${failed}: ${event.sql}`);
    };
  }
  return options;
}

/**
 * A read-only command's failure on a database no migration ever touched says what to do about it;
 * any other failure (or one while checking) is left as it was.
 */
async function explainMissingSchema(context: CommandContext, error: unknown): Promise<unknown> {
  if (!(error instanceof StorageError)) return error;
  const status = await migrationStatus(context.url).catch(() => undefined);
  if (status === undefined || status.applied.length > 0) return error;
  return new StorageError(`${error.message} (the database has no nightcrier schema yet: run 'nightcrier-storage migrate up')`, { cause: error });
}

/**
 * Opens the store at the command's URL for `access`, runs `work` with it and closes it whatever
 * happens. An error from `work` wins over one from closing.
 */
export async function withStore<T>(context: CommandContext, access: StoreAccess, work: (store: StateStore) => Promise<T>): Promise<T> {
  await ensureAdapterFor(context.url);
  const store = await createStateStore(context.url, storeOptions(context, access));
  let result: T;
  try {
    result = await work(store);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw access === 'read-only' ? await explainMissingSchema(context, error) : error;
  }
  await store.close();
  return result;
}
