// A tiny seeded pseudo-random generator (mulberry32) for reproducible property tests and synthetic benchmark data.

/** A seeded generator of floats in [0, 1) with helpers. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** Up to k distinct elements of a list, in list order. */
  some<T>(list: readonly T[], k: number): T[];
}

/** A generator seeded with a 32-bit integer: the same seed gives the same sequence. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(list: readonly T[]): T => list[int(list.length)] as T,
    some: <T>(list: readonly T[], k: number): T[] => {
      const chosen = new Set<number>();
      for (let i = 0; i < k; i++) chosen.add(int(list.length));
      return list.filter((_, i) => chosen.has(i));
    },
  };
}
