import { createStateStore, type StateStore, type StoreOptions } from '@nightcrier/storage-core';
import { writeLine } from './cli-io.js';
import type { CommandContext } from './command.js';
import { ensureAdapterFor } from './load-adapter.js';

function storeOptions(context: CommandContext, extra: StoreOptions): StoreOptions {
  const options: StoreOptions = { ...extra };
  if (context.verbose) {
    options.onQuery = (event) => {
      const failed = event.error === undefined ? '' : ' (failed)';
      writeLine(context.io.stderr, `query ${event.durationMs.toFixed(1)} ms${failed}: ${event.sql}`);
    };
  }
  return options;
}

/**
 * Opens the store at the command's URL (applying pending migrations unless `extra.migrate` is
 * false), runs `work` with it and closes it whatever happens. An error from `work` wins over one
 * from closing.
 */
export async function withStore<T>(
  context: CommandContext,
  work: (store: StateStore) => Promise<T>,
  extra: StoreOptions = {},
): Promise<T> {
  await ensureAdapterFor(context.url);
  const store = await createStateStore(context.url, storeOptions(context, extra));
  let result: T;
  try {
    result = await work(store);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  await store.close();
  return result;
}
