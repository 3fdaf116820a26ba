/** mulberry32: a tiny seeded PRNG, so a failing randomized test reproduces from its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Random = () => number;

/** One element of `pool`, chosen by `random`. */
export function pick<T>(random: Random, pool: readonly T[]): T {
  const value = pool[Math.floor(random() * pool.length)];
  if (value === undefined && pool.length === 0) throw new Error('pick from an empty pool');
  return value as T;
}

/** True with probability `p`. */
export function chance(random: Random, p: number): boolean {
  return random() < p;
}

/** A random subset of `pool`, in pool order (possibly empty). */
export function subset<T>(random: Random, pool: readonly T[]): T[] {
  return pool.filter(() => random() < 0.4);
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}
