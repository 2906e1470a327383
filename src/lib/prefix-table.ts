/**
 * Longest-prefix match over IPv4 and IPv6 ranges, built once and then read without allocation.
 *
 * Nested and overlapping CIDR ranges are flattened into sorted, disjoint intervals, each labelled with
 * the most specific range that covers it. An IPv4 lookup reads a slot index by the top bits (about one
 * boundary per slot) and binary-searches the few interval starts in that slot: a handful of typed-array reads, which
 * is what lets a million prefixes answer millions of lookups a second in one core. IPv6 ranges are
 * few in practice and use the same flattening over 128-bit BigInt bounds.
 */

export interface PrefixEntry<T> {
  /** First and last address of the range: numbers for IPv4, BigInts for IPv6. */
  start: number | bigint;
  end: number | bigint;
  value: T;
}

const NONE = -1;

interface Flat<K> {
  starts: K[];
  labels: number[];
}

/**
 * Turns ranges (sorted by start, wider first) into boundaries: at each boundary the label of the
 * most specific covering range begins (NONE for a gap). CIDR ranges never partly overlap: they nest
 * or are disjoint, which is what makes one stack enough.
 */
function flatten<K extends number | bigint>(order: ArrayLike<number>, starts: ArrayLike<K>, ends: ArrayLike<K>, one: K, max: K, same: (kept: number, dropped: number) => void): Flat<K> {
  const out: Flat<K> = { starts: [], labels: [] };
  const stack: number[] = [];
  const mark = (at: K, label: number) => {
    const n = out.starts.length;
    if (n > 0 && out.starts[n - 1] === at) {
      out.labels[n - 1] = label;
      return;
    }
    if (n > 0 && out.labels[n - 1] === label) return;
    out.starts.push(at);
    out.labels.push(label);
  };
  const closeBefore = (at: K | null) => {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (at !== null && ends[top]! >= at) return;
      stack.pop();
      const next = ((ends[top]! as number) + (one as number)) as K; // same kind on both sides
      // A range ending at the last address has nothing after it.
      if (next <= max) mark(next, stack.length ? stack[stack.length - 1]! : NONE);
    }
  };
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    closeBefore(starts[i]!);
    // The same range given twice (sorted next to each other): one label, the values merged.
    const top = stack[stack.length - 1];
    if (top !== undefined && starts[top] === starts[i] && ends[top] === ends[i]) {
      same(top, i);
      continue;
    }
    stack.push(i);
    mark(starts[i]!, i);
  }
  closeBefore(null);
  return out;
}

/** Indices 0..n-1 sorted by 16-bit digits, least significant digit first (stable counting passes). */
function radixOrder(n: number, digits: ReadonlyArray<(i: number) => number>): Uint32Array {
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (const digit of digits) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[digit(order[k]!) + 1]!++;
    for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[counts[digit(i)]!++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}

export class PrefixTable<T> {
  /** Boundaries as [start, label] pairs side by side: one cache line serves the search and the answer. */
  private readonly v4: Uint32Array;
  private readonly v4Count: number;
  /** For each slot of the top `slotBits` bits, the index of the last boundary at or before the slot's first address. */
  private readonly v4Slot: Int32Array;
  private readonly shift: number;
  private readonly v6Starts: bigint[];
  private readonly v6Labels: number[];
  private readonly values: T[];

  private constructor(v4: Flat<number>, v6: Flat<bigint>, values: T[]) {
    this.v4Count = v4.starts.length;
    this.v4 = new Uint32Array(this.v4Count * 2);
    for (let i = 0; i < this.v4Count; i++) {
      this.v4[2 * i] = v4.starts[i]!;
      this.v4[2 * i + 1] = v4.labels[i]! >>> 0;
    }
    this.v6Starts = v6.starts;
    this.v6Labels = v6.labels;
    this.values = values;
    // About one boundary per slot: a lookup is then one slot read and one or two comparisons.
    const slotBits = Math.min(22, Math.max(12, Math.ceil(Math.log2(Math.max(1, this.v4Count))) + 1));
    this.shift = 32 - slotBits;
    const slots = 2 ** slotBits;
    this.v4Slot = new Int32Array(slots + 1);
    let b = -1;
    for (let slot = 0; slot <= slots; slot++) {
      const first = slot * 2 ** this.shift;
      while (b + 1 < this.v4Count && this.v4[2 * (b + 1)]! <= first) b++;
      this.v4Slot[slot] = b;
    }
  }

  /**
   * Builds the table. Entries with the same range are merged with `merge` (by default the first one
   * given is kept): cheaper here, after sorting, than in a map beforehand.
   */
  static build<T>(v4: readonly PrefixEntry<T>[], v6: readonly PrefixEntry<T>[] = [], merge: (kept: T, dropped: T) => T = (kept) => kept): PrefixTable<T> {
    const values: T[] = [];
    // IPv4: order by start, wider first, with a stable radix sort (no comparator calls for a million).
    const n4 = v4.length;
    const s4 = new Uint32Array(n4);
    const e4 = new Uint32Array(n4);
    const rank = new Uint32Array(n4);
    for (let i = 0; i < n4; i++) {
      const e = v4[i]!;
      s4[i] = Number(e.start);
      e4[i] = Number(e.end);
      values.push(e.value);
      rank[i] = 32 - Math.round(Math.log2(e4[i]! - s4[i]! + 1));
    }
    const order4 = radixOrder(n4, [(i) => rank[i]!, (i) => s4[i]! & 0xffff, (i) => s4[i]! >>> 16]);
    const flat4 = flatten<number>(order4, s4, e4, 1, 0xffffffff, (kept, dropped) => (values[kept] = merge(values[kept]!, values[dropped]!)));

    const base = values.length;
    const s6 = v6.map((e) => BigInt(e.start));
    const e6 = v6.map((e) => BigInt(e.end));
    for (const e of v6) values.push(e.value);
    const order6 = v6.map((_, i) => i).sort((a, b) => (s6[a]! < s6[b]! ? -1 : s6[a]! > s6[b]! ? 1 : e6[a]! > e6[b]! ? -1 : e6[a]! < e6[b]! ? 1 : a - b));
    const flat6 = flatten<bigint>(order6, s6, e6, 1n, (1n << 128n) - 1n, (kept, dropped) => (values[base + kept] = merge(values[base + kept]!, values[base + dropped]!)));
    flat6.labels = flat6.labels.map((l) => (l === NONE ? NONE : l + base));
    return new PrefixTable(flat4, flat6, values);
  }

  /** The value of the most specific range holding this IPv4 address (as an unsigned 32-bit number). */
  lookup4(ip: number): T | undefined {
    const label = this.label4(ip);
    return label === NONE ? undefined : this.values[label];
  }

  /** The index of the value for an IPv4 address, or -1: the hot path, without touching the values. */
  label4(ip: number): number {
    const pairs = this.v4;
    const slot = ip >>> this.shift;
    // The answer lies between this slot's last boundary and the next slot's.
    let lo = this.v4Slot[slot]!;
    let hi = this.v4Slot[slot + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pairs[2 * mid]! <= ip) lo = mid;
      else hi = mid - 1;
    }
    return lo < 0 ? NONE : pairs[2 * lo + 1]! | 0;
  }

  valueAt(label: number): T | undefined {
    return label === NONE ? undefined : this.values[label];
  }

  /** The value of the most specific range holding this IPv6 address (as a 128-bit BigInt). */
  lookup6(ip: bigint): T | undefined {
    const starts = this.v6Starts;
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || starts[0]! > ip) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= ip) lo = mid;
      else hi = mid - 1;
    }
    const label = this.v6Labels[lo]!;
    return label === NONE ? undefined : this.values[label];
  }

  /** Memory held by the lookup structures, in bytes (values not counted). */
  get byteSize(): number {
    return this.v4.byteLength + this.v4Slot.byteLength + this.v6Starts.length * 24;
  }
}

/** '192.0.2.7' → 3221225991; null when not a dotted quad. */
export function ipv4ToNumber(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const b = Number(p);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return n;
}
