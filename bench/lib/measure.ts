import { performance } from 'node:perf_hooks';

/** Deterministic pseudo-random numbers in [0, 1): the same linear congruential generator as tlp-list. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * Deterministic pseudo-random numbers in [0, 1) with a full 2^32 period (mulberry32): for drawing many
 * distinct values, where lcg's float arithmetic loses precision and falls into short cycles.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** `count` distinct elements of `xs`, in random order. */
export function pickDistinct<T>(rnd: () => number, xs: readonly T[], count: number): T[] {
  const pool = [...xs];
  const out: T[] = [];
  while (out.length < count && pool.length) out.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]!);
  return out;
}

/** Nearest-rank percentile of samples in milliseconds, rounded to 0.01 ms. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return round(sorted[rank - 1]!);
}

export const round = (x: number, digits = 2): number => +x.toFixed(digits);

/** Collects the latency of each call under a name; `p(name, 99)` reads a percentile back. */
export class Latencies {
  readonly #samples = new Map<string, number[]>();

  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const result = await fn();
    const ms = performance.now() - t0;
    const list = this.#samples.get(name) ?? [];
    list.push(ms);
    this.#samples.set(name, list);
    return result;
  }

  /** Percentile over the samples of all the given names together. */
  p(names: string | readonly string[], pct: number): number {
    return percentile(
      (typeof names === 'string' ? [names] : names).flatMap((n) => this.#samples.get(n) ?? []),
      pct,
    );
  }

  count(names: string | readonly string[]): number {
    return (typeof names === 'string' ? [names] : names).reduce((sum, n) => sum + (this.#samples.get(n)?.length ?? 0), 0);
  }
}
