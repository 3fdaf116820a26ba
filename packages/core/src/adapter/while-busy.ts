/** Waits between attempts on a busy lock: short at first, capped so a freed lock is taken soon. */
export const BACKOFF_MS = [2, 5, 10, 20, 25] as const;

/**
 * Runs `work`, and again after a short asynchronous wait while it fails with a busy lock, for up to
 * `budgetMs`: the thread keeps serving meanwhile (other stores in the same process may be the ones
 * holding the lock). Then the last error is thrown. For work whose busy failure changed nothing
 * (SQLite's `BEGIN IMMEDIATE`, a pragma that needs the lock).
 */
export async function whileBusy<T>(work: () => T | Promise<T>, isBusy: (error: unknown) => boolean, budgetMs: number): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error) || Date.now() - started >= budgetMs) throw error;
      const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] as number;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
