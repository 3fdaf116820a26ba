import { type Kysely, sql } from 'kysely';
import type { StorageSchema } from '../query/storage-schema.js';

/** Carries what the caller's transaction function threw through Kysely's rollback, untouched. */
export class CallbackFailure {
  constructor(readonly thrown: unknown) {}
}

let savepointCounter = 0;

/**
 * Runs one write inside a transaction under its own savepoint, so a failed call leaves nothing
 * behind and the transaction stays usable, on every backend alike (PostgreSQL would otherwise
 * refuse every later statement of the transaction; SQLite would keep the call's earlier rows).
 */
export async function withSavepoint<T>(db: Kysely<StorageSchema>, work: () => Promise<T>): Promise<T> {
  savepointCounter = (savepointCounter + 1) % Number.MAX_SAFE_INTEGER;
  const name = sql.raw(`nc_call_${savepointCounter}`);
  await sql`savepoint ${name}`.execute(db);
  try {
    const result = await work();
    // Refused when the call was abandoned meanwhile: then its writes are undone below.
    await sql`release savepoint ${name}`.execute(db);
    return result;
  } catch (error) {
    // If even this fails the transaction is lost anyway; the call's own error says more.
    await sql`rollback to savepoint ${name}`.execute(db).catch(() => undefined);
    throw error;
  }
}

/**
 * Runs the functions given to it one at a time, in call order. Savepoints nest, so two calls of
 * one transaction that overlapped would release or roll back each other's: they take turns.
 */
export function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>) => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
}
