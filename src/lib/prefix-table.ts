/**
 * Longest-prefix match over IPv4 and IPv6 ranges, built once and then read without allocation.
 *
 * Nested and overlapping CIDR ranges are flattened into sorted, disjoint intervals, each labelled with
 * the most specific range that covers it. An IPv4 lookup reads the slot of its top bits, which holds
 * the answer unless an interval starts inside the slot; then it searches the few interval starts
 * there. Mostly one typed-array read, which is what lets a million prefixes answer ten million
 * lookups a second in one core. IPv6 ranges are
 * few in practice and use the same flattening over 128-bit BigInt bounds.
 */

export interface PrefixEntry<T> {
  /** First and last address of the range: numbers for IPv4, BigInts for IPv6. */
  start: number | bigint;
  end: number | bigint;
  value: T;
}

const NONE = -1;

interface Flat6 {
  starts: bigint[];
  labels: number[];
}

/**
 * Turns ranges (sorted by start, wider first) into boundaries: at each boundary the label of the
 * most specific covering range begins (NONE for a gap). CIDR ranges never partly overlap: they nest
 * or are disjoint, which is what makes one stack enough. IPv6 only (on BigInts); IPv4 has flattenV4.
 */
const V6_MAX = (1n << 128n) - 1n;

function flatten6(order: ArrayLike<number>, starts: readonly bigint[], ends: readonly bigint[], same: (kept: number, dropped: number) => void): Flat6 {
  const out: Flat6 = { starts: [], labels: [] };
  const stack: number[] = [];
  const mark = (at: bigint, label: number) => {
    const n = out.starts.length;
    if (n > 0 && out.starts[n - 1] === at) {
      out.labels[n - 1] = label;
      return;
    }
    if (n > 0 && out.labels[n - 1] === label) return;
    out.starts.push(at);
    out.labels.push(label);
  };
  const closeBefore = (at: bigint | null) => {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (at !== null && ends[top]! >= at) return;
      stack.pop();
      const next = ends[top]! + 1n;
      // A range ending at the last address has nothing after it.
      if (next <= V6_MAX) mark(next, stack.length ? stack[stack.length - 1]! : NONE);
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

/**
 * IPv4 ranges in the order flattening needs, start ascending and wider first, as indices: three
 * stable counting passes (prefix length, low and high 16 bits of the start), no comparator calls.
 * CIDR ranges only: the prefix length of a range is the number of leading bits its ends share.
 */
function sortV4(starts: Uint32Array, ends: Uint32Array): Uint32Array {
  const n = starts.length;
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  const digit = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let pass = 0; pass < 3; pass++) {
    if (pass === 0) for (let i = 0; i < n; i++) digit[i] = Math.clz32(starts[i]! ^ ends[i]!);
    else if (pass === 1) for (let i = 0; i < n; i++) digit[i] = starts[i]! & 0xffff;
    else for (let i = 0; i < n; i++) digit[i] = starts[i]! >>> 16;
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[digit[order[k]!]! + 1]!++;
    for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[counts[digit[i]!]!++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}

/**
 * flatten6() for IPv4 on typed arrays: the same boundaries, without a generic number-or-BigInt path
 * (which V8 cannot specialise), without growing arrays and without closures over the counters.
 */
function flattenV4(
  order: Uint32Array,
  starts: Uint32Array,
  ends: Uint32Array,
  parent: Int32Array,
  same: (kept: number, dropped: number) => void,
): { starts: Uint32Array; labels: Int32Array; count: number } {
  const out = { starts: new Uint32Array(2 * order.length + 1), labels: new Int32Array(2 * order.length + 1), count: 0 };
  // Nested CIDR ranges differ in length, so the stack holds at most 33.
  const stack = new Int32Array(34);
  let sp = 0;
  for (let k = 0; k <= order.length; k++) {
    const i = k < order.length ? order[k]! : -1;
    // Close the ranges that end before this one starts (all of them after the last).
    while (sp > 0) {
      const top = stack[sp - 1]!;
      if (i >= 0 && ends[top]! >= starts[i]!) break;
      sp--;
      const next = ends[top]! + 1;
      // A range ending at the last address has nothing after it.
      if (next <= 0xffffffff) markV4(out, next, sp ? stack[sp - 1]! : NONE);
    }
    if (i < 0) break;
    const top = sp ? stack[sp - 1]! : -1;
    if (top >= 0 && starts[top] === starts[i] && ends[top] === ends[i]) {
      same(top, i);
      parent[i] = top;
      continue;
    }
    // The range it lies in (CIDR ranges nest): how a network's covering range is found.
    parent[i] = top;
    stack[sp++] = i;
    markV4(out, starts[i]!, i);
  }
  return out;
}

/** At `at` the label becomes `label`: a new boundary, or a changed label of one at the same address. */
function markV4(out: { starts: Uint32Array; labels: Int32Array; count: number }, at: number, label: number): void {
  const n = out.count;
  if (n > 0 && out.starts[n - 1] === at) out.labels[n - 1] = label;
  else if (n === 0 || out.labels[n - 1] !== label) {
    out.starts[n] = at;
    out.labels[n] = label;
    out.count = n + 1;
  }
}

/** IPv4 ranges as parallel arrays: what PrefixTable.build turns entries into, and what callers with a million ranges give directly. */
export interface V4Ranges<T> {
  starts: Uint32Array;
  ends: Uint32Array;
  values: T[];
}

/*
 * A slot of the IPv4 index holds either the answer itself (a label, or NONE) when no boundary lies
 * inside the slot, or, encoded as -3 - b, the last boundary b at or before the slot's first address
 * when the answer depends on the address. With about one slot per eight boundaries most lookups are
 * one read of the slot array.
 */
const searchFrom = (encoded: number) => -3 - encoded;

export class PrefixTable<T> {
  /** Boundaries as [start, label] pairs side by side: one cache line serves the search and the answer. */
  private readonly v4: Uint32Array;
  private readonly v4Count: number;
  /** Per slot of the top `32 - shift` bits: the answer, or where to search (see above). */
  private readonly v4Slot: Int32Array;
  private readonly shift: number;
  private readonly v6Starts: bigint[];
  private readonly v6Labels: number[];
  private readonly values: T[];
  /** The declared IPv4 ranges, in start order, and the range each lies in: for overlap queries. */
  private readonly ranges4: { starts: Uint32Array; ends: Uint32Array; order: Uint32Array; sortedStarts: Uint32Array; parent: Int32Array };
  /** The declared IPv6 ranges (few): overlap queries scan them. */
  private readonly ranges6: { start: bigint; end: bigint; label: number }[];

  private constructor(
    v4: { starts: Uint32Array; labels: Int32Array; count: number },
    v6: Flat6,
    values: T[],
    ranges4: PrefixTable<T>['ranges4'],
    ranges6: PrefixTable<T>['ranges6'],
  ) {
    this.ranges4 = ranges4;
    this.ranges6 = ranges6;
    this.v4Count = v4.count;
    this.v4 = new Uint32Array(this.v4Count * 2);
    for (let i = 0; i < this.v4Count; i++) {
      this.v4[2 * i] = v4.starts[i]!;
      this.v4[2 * i + 1] = v4.labels[i]! >>> 0;
    }
    this.v6Starts = v6.starts;
    this.v6Labels = v6.labels;
    this.values = values;
    const slotBits = Math.min(24, Math.max(12, Math.ceil(Math.log2(Math.max(1, this.v4Count))) + 2));
    this.shift = 32 - slotBits;
    this.v4Slot = slotsOf(this.v4, this.v4Count, slotBits);
  }

  /**
   * Builds the table. Entries with the same range are merged with `merge` (by default the first one
   * given is kept): cheaper here, after sorting, than in a map beforehand.
   */
  static build<T>(v4: readonly PrefixEntry<T>[] | V4Ranges<T>, v6: readonly PrefixEntry<T>[] = [], merge: (kept: T, dropped: T) => T = (kept) => kept): PrefixTable<T> {
    const ranges = Array.isArray(v4) ? toV4Ranges(v4 as readonly PrefixEntry<T>[]) : (v4 as V4Ranges<T>);
    const values: T[] = ranges.values.slice();
    const order4 = sortV4(ranges.starts, ranges.ends);
    const parent = new Int32Array(order4.length);
    const flat4 = flattenV4(order4, ranges.starts, ranges.ends, parent, (kept, dropped) => (values[kept] = merge(values[kept]!, values[dropped]!)));
    const sortedStarts = new Uint32Array(order4.length);
    for (let k = 0; k < order4.length; k++) sortedStarts[k] = ranges.starts[order4[k]!]!;

    const base = values.length;
    const s6 = v6.map((e) => BigInt(e.start));
    const e6 = v6.map((e) => BigInt(e.end));
    for (const e of v6) values.push(e.value);
    const order6 = v6.map((_, i) => i).sort((a, b) => (s6[a]! < s6[b]! ? -1 : s6[a]! > s6[b]! ? 1 : e6[a]! > e6[b]! ? -1 : e6[a]! < e6[b]! ? 1 : a - b));
    const flat6 = flatten6(order6, s6, e6, (kept, dropped) => (values[base + kept] = merge(values[base + kept]!, values[base + dropped]!)));
    flat6.labels = flat6.labels.map((l) => (l === NONE ? NONE : l + base));
    const ranges6 = v6.map((_, i) => ({ start: s6[i]!, end: e6[i]!, label: base + i }));
    return new PrefixTable(flat4, flat6, values, { starts: ranges.starts, ends: ranges.ends, order: order4, sortedStarts, parent }, ranges6);
  }

  /** The value of the most specific range holding this IPv4 address (as an unsigned 32-bit number). */
  lookup4(ip: number): T | undefined {
    const label = this.label4(ip);
    return label === NONE ? undefined : this.values[label];
  }

  /** The index of the value for an IPv4 address, or -1: the hot path, without touching the values. */
  label4(ip: number): number {
    const slot = this.v4Slot[ip >>> this.shift]!;
    return slot >= NONE ? slot : this.search4(ip, searchFrom(slot));
  }

  /** The label of the last boundary at or before `ip`, searching onwards from boundary `lo` (at or before it, or -1). */
  private search4(ip: number, lo: number): number {
    const pairs = this.v4;
    const count = this.v4Count;
    // Galloping, then binary: a slot usually holds a boundary or two, rarely many.
    let step = 1;
    while (lo + step < count && pairs[2 * (lo + step)]! <= ip) {
      lo += step;
      step *= 2;
    }
    let hi = Math.min(lo + step - 1, count - 1);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pairs[2 * mid]! <= ip) lo = mid;
      else hi = mid - 1;
    }
    return lo < 0 ? NONE : pairs[2 * lo + 1]! | 0;
  }

  /**
   * The labels of the ranges a network touches (first..last): the most specific range holding all of
   * it, and every range that starts inside it. CIDR ranges nest, so no other range can overlap.
   * A range declared twice answers once (its values are merged).
   */
  overlapping4(first: number, last: number): number[] {
    const { starts, ends, order, sortedStarts, parent } = this.ranges4;
    const out = new Set<number>();
    // The most specific range holding `first`, widened until it holds `last` too.
    for (let i = this.label4(first); i >= 0; i = parent[i]!) {
      if (starts[i]! <= first && ends[i]! >= last) {
        out.add(i);
        break;
      }
    }
    // Ranges starting inside the network: a run of the start-ordered ranges.
    let lo = 0;
    let hi = sortedStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortedStarts[mid]! < first) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < sortedStarts.length && sortedStarts[k]! <= last; k++) {
      let i = order[k]!;
      // A duplicate range was merged into the first of its kind, whose label carries the values.
      while (parent[i]! >= 0 && starts[parent[i]!] === starts[i] && ends[parent[i]!] === ends[i]) i = parent[i]!;
      out.add(i);
    }
    return [...out];
  }

  /** overlapping4 for IPv6: the most specific range holding all of first..last, and those starting inside. */
  overlapping6(first: bigint, last: bigint): number[] {
    let covering: { start: bigint; end: bigint; label: number } | null = null;
    const out: number[] = [];
    for (const r of this.ranges6) {
      if (r.start >= first && r.start <= last) out.push(r.label);
      else if (r.start <= first && r.end >= last && (!covering || r.end - r.start < covering.end - covering.start)) covering = r;
    }
    if (covering) out.push(covering.label);
    return [...new Set(out)];
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
    const r = this.ranges4;
    return this.v4.byteLength + this.v4Slot.byteLength + r.order.byteLength + r.sortedStarts.byteLength + r.parent.byteLength + this.v6Starts.length * 24;
  }
}

/**
 * The slot array, filled interval by interval: the slots an interval covers whole get its label
 * (with fill, a memset), the slot where the next interval starts inside gets the search encoding.
 */
function slotsOf(pairs: Uint32Array, count: number, slotBits: number): Int32Array {
  const slots = new Int32Array(2 ** slotBits).fill(NONE);
  const shift = 32 - slotBits;
  const inner = 2 ** shift - 1;
  // An address is a uint32 here, so `>>> shift` is its slot and `& inner` its place inside the slot.
  if (count > 0 && (pairs[0]! & inner) !== 0) slots[pairs[0]! >>> shift] = -3 - -1;
  for (let j = 0; j < count; j++) {
    const start = pairs[2 * j]!;
    const label = pairs[2 * j + 1]! | 0;
    const nextSlot = j + 1 < count ? pairs[2 * (j + 1)]! >>> shift : slots.length;
    const from = (start >>> shift) + ((start & inner) !== 0 ? 1 : 0);
    // Most intervals cover a few slots: a plain loop; fill (a memset) pays off for long runs.
    if (nextSlot - from > 32) slots.fill(label, from, nextSlot);
    else for (let k = from; k < nextSlot; k++) slots[k] = label;
    // The next interval starts inside a slot this one starts before or at: search from here.
    if (j + 1 < count && (pairs[2 * (j + 1)]! & inner) !== 0 && start >>> shift < nextSlot + ((start & inner) === 0 ? 1 : 0)) slots[nextSlot] = -3 - j;
  }
  return slots;
}

function toV4Ranges<T>(entries: readonly PrefixEntry<T>[]): V4Ranges<T> {
  const n = entries.length;
  const out: V4Ranges<T> = { starts: new Uint32Array(n), ends: new Uint32Array(n), values: new Array<T>(n) };
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    out.starts[i] = Number(e.start);
    out.ends[i] = Number(e.end);
    out.values[i] = e.value;
  }
  return out;
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
