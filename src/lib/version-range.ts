/**
 * Version numbers and version ranges as advisories write them: reading ("2.4.1", "10.2 SP1",
 * "1.0.0-rc1"), ordering, and deciding whether a version lies in a range (">=2.0 <2.4.1", "2.4.x",
 * "vers:generic/>=2.0|<2.4.1"). Every scheme is compared with one generic ordering: dotted numbers,
 * then pre- and post-release qualifiers.
 */

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

type SuffixToken = string | { n: string };

export interface Version {
  /** Dotted numeric part, as digit strings without leading zeros. */
  release: string[];
  /** -1 pre-release (rc, beta …), 0 plain release, 1 post-release (SP1, patch, build, "-1" …). */
  kind: -1 | 0 | 1;
  suffix: SuffixToken[];
}

/** Pre-release qualifiers, in ascending order. */
const PRE_RANK: Record<string, number> = {
  dev: 0,
  a: 1,
  alpha: 1,
  b: 2,
  beta: 2,
  m: 3,
  milestone: 3,
  pre: 4,
  preview: 4,
  rc: 5,
  cr: 5,
  snapshot: 6,
};
/** Qualifiers that mean "the release itself". */
const RELEASE_WORDS = new Set(['final', 'ga', 'release', 'stable', 'lts']);
/** Post-release qualifiers: service packs, updates, patches, builds. */
const POST_WORDS = new Set([
  'sp',
  'servicepack',
  'p',
  'patch',
  'pl',
  'post',
  'u',
  'update',
  'upd',
  'r',
  'rev',
  'revision',
  'hotfix',
  'hf',
  'fix',
  'build',
  'cu',
  'fp',
  'fixpack',
  'ur',
]);

function stripZeros(d: string): string {
  return d.replace(/^0+(?=\d)/, '');
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads "2.4.1", "v3.2", "1.0.0-rc1", "10.2 SP1", "2023 R2", "5.1 update 3", "1.2.3+build.7".
 * Returns null when there is no leading number (e.g. "latest").
 */
export function parseVersion(input: string): Version | null {
  let s = input.trim().toLowerCase();
  s = s.replace(/^(?:version|versie|release|v)\s*(?=\d)/, '');
  s = s.replace(/\+.*$/, ''); // build metadata does not order
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(s);
  if (!m) return null;
  const release = m[1]!.split('.').map(stripZeros);
  const rest = m[2]!;
  if (/[^\p{L}\p{N}.\-_ ~()/]/u.test(rest)) return null;
  const raw = rest.match(/[a-z]+|\d+/g) ?? [];
  let tokens: SuffixToken[] = raw.map((t) => (/^\d/.test(t) ? { n: stripZeros(t) } : t));
  while (typeof tokens[0] === 'string' && RELEASE_WORDS.has(tokens[0])) tokens = tokens.slice(1);
  const first = tokens[0];
  let kind: Version['kind'] = 0;
  if (first === undefined) kind = 0;
  else if (typeof first !== 'string') kind = 1;
  else if (POST_WORDS.has(first)) kind = 1;
  else kind = -1; // "1.0.0-foo": semver reads an unknown qualifier as a pre-release
  return { release, kind, suffix: tokens };
}

function compareToken(a: SuffixToken, b: SuffixToken): number {
  if (typeof a !== 'string' && typeof b !== 'string') return compareDigits(a.n, b.n);
  if (typeof a !== 'string') return -1;
  if (typeof b !== 'string') return 1;
  const ra = PRE_RANK[a] ?? 4.5;
  const rb = PRE_RANK[b] ?? 4.5;
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareParsedVersions(a: Version, b: Version): number {
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a.release[i] ?? '0', b.release[i] ?? '0');
    if (c !== 0) return c;
  }
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  const m = Math.max(a.suffix.length, b.suffix.length);
  for (let i = 0; i < m; i++) {
    const x = a.suffix[i];
    const y = b.suffix[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareToken(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Orders two version strings; null when either cannot be read. */
export function compareVersions(a: string, b: string): number | null {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return va && vb ? compareParsedVersions(va, vb) : null;
}

// ---------------------------------------------------------------------------------------------
// Ranges
// ---------------------------------------------------------------------------------------------

interface Bound {
  v: Version;
  inclusive: boolean;
}
interface Interval {
  lower: Bound | null;
  upper: Bound | null;
}
export type VersionRange = { kind: 'all' } | { kind: 'set'; intervals: Interval[]; excluded: Version[] };

type Op = '<' | '<=' | '>' | '>=' | '=' | '!=';
interface Constraint {
  op: Op;
  v: Version;
}
type Item = { kind: 'constraint'; c: Constraint } | { kind: 'interval'; i: Interval } | { kind: 'all' };

const ALL = { kind: 'all' } as const;
const ALL_WORDS = new Set(['', '*', '-', 'all', 'any', 'all versions', 'alle versies', 'alle', 'vers:all/*']);
const RANGE_WORDS = new Set(['-', '–', '—', 'to', 'through', 'thru', 't/m', 'tm', 'until']);
const AND_WORDS = new Set(['and', 'en', '&&', '&']);

function point(v: Version): Interval {
  return { lower: { v, inclusive: true }, upper: { v, inclusive: true } };
}

function intervalContains(i: Interval, v: Version): boolean {
  if (i.lower) {
    const c = compareParsedVersions(v, i.lower.v);
    if (c < 0 || (c === 0 && !i.lower.inclusive)) return false;
  }
  if (i.upper) {
    const c = compareParsedVersions(v, i.upper.v);
    if (c > 0 || (c === 0 && !i.upper.inclusive)) return false;
  }
  return true;
}

export function rangeContains(range: VersionRange, v: Version): boolean {
  if (range.kind === 'all') return true;
  if (range.excluded.some((x) => compareParsedVersions(x, v) === 0)) return false;
  return range.intervals.some((i) => intervalContains(i, v));
}

/** "2.4.x", "2.*", "3.x.x": the prefix and the first version after it. */
function parseWildcard(word: string): { from: Version; to: Version } | null {
  const m = /^v?(\d+(?:\.\d+)*)(?:\.[x*])+$/i.exec(word);
  if (!m) return null;
  const parts = m[1]!.split('.').map(stripZeros);
  const next = [...parts];
  next[next.length - 1] = String(BigInt(next[next.length - 1]!) + 1n);
  // `to` sorts before every pre-release of the next version, so "2.4.x" excludes "2.5.0-rc1".
  return { from: { release: parts, kind: 0, suffix: [] }, to: { release: next, kind: -1, suffix: [] } };
}

/** One operand with its operator, as an item; null when it cannot be read. */
function itemFor(op: Op | null, word: string): Item | null {
  let w = word.trim();
  if (op === null && w.length > 1 && w.endsWith('+')) {
    op = '>=';
    w = w.slice(0, -1);
  }
  if (w === '*' || w === 'x') return op === null || op === '=' || op === '>=' || op === '<=' ? ALL : null;
  const span = op === null ? /^(v?\d+(?:\.\d+)+)[-–](v?\d+(?:\.\d+)+)$/i.exec(w) : null;
  if (span) {
    const lo = parseVersion(span[1]!);
    const hi = parseVersion(span[2]!);
    return lo && hi ? { kind: 'interval', i: { lower: { v: lo, inclusive: true }, upper: { v: hi, inclusive: true } } } : null;
  }
  const wild = parseWildcard(w);
  if (wild) {
    switch (op ?? '=') {
      case '=':
        return { kind: 'interval', i: { lower: { v: wild.from, inclusive: true }, upper: { v: wild.to, inclusive: false } } };
      case '<':
      case '>=':
        return { kind: 'constraint', c: { op: op!, v: wild.from } };
      case '<=':
        return { kind: 'constraint', c: { op: '<', v: wild.to } };
      case '>':
        return { kind: 'constraint', c: { op: '>=', v: wild.to } };
      case '!=':
        return null;
    }
  }
  const v = parseVersion(w);
  return v ? { kind: 'constraint', c: { op: op ?? '=', v } } : null;
}

/**
 * Turns loose constraints into intervals the way the vers specification does: sorted by version,
 * each lower bound opens an interval and the next upper bound closes it. For the usual
 * ">=2.0 <2.4.1" this is the intersection; for "<1.5, >=2.0" or "1.0, 1.1" it is the union, which is
 * what people mean when they write that.
 */
function toRange(items: Item[]): VersionRange {
  if (items.some((i) => i.kind === 'all')) return ALL;
  const intervals: Interval[] = [];
  const excluded: Version[] = [];
  const loose: Constraint[] = [];
  for (const item of items) {
    if (item.kind === 'interval') intervals.push(item.i);
    else if (item.kind === 'constraint') {
      if (item.c.op === '!=') excluded.push(item.c.v);
      else loose.push(item.c);
    }
  }
  const lowerFirst = (op: Op) => (op === '>=' || op === '>' ? 0 : op === '=' ? 1 : 2);
  loose.sort((a, b) => compareParsedVersions(a.v, b.v) || lowerFirst(a.op) - lowerFirst(b.op));
  let open: Bound | null = null;
  for (const c of loose) {
    switch (c.op) {
      case '=':
        intervals.push(point(c.v));
        break;
      case '!=':
        break; // kept apart in `excluded`
      case '>':
      case '>=':
        open ??= { v: c.v, inclusive: c.op === '>=' };
        break;
      case '<':
      case '<=':
        intervals.push({ lower: open, upper: { v: c.v, inclusive: c.op === '<=' } });
        open = null;
        break;
    }
  }
  if (open) intervals.push({ lower: open, upper: null });
  if (intervals.length === 0) intervals.push({ lower: null, upper: null }); // only exclusions
  return { kind: 'set', intervals, excluded };
}

const OP_RE = /^(>=|<=|!=|=>|=<|==|=|<|>)/;
function normaliseOp(op: string): Op {
  switch (op) {
    case '=>':
      return '>=';
    case '=<':
      return '<=';
    case '==':
      return '=';
    default:
      return op as Op;
  }
}

function parseVers(input: string): VersionRange | null {
  const m = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(input.trim());
  if (!m) return null;
  const body = m[2]!.replace(/\s+/g, '');
  if (body === '*') return ALL;
  if (body === '') return null;
  const items: Item[] = [];
  for (const part of body.split('|')) {
    const op = OP_RE.exec(part);
    let word = op ? part.slice(op[0].length) : part;
    try {
      word = decodeURIComponent(word);
    } catch {
      return null;
    }
    if (word === '') return null;
    const item = itemFor(op ? normaliseOp(op[0]) : null, word);
    if (!item) return null;
    items.push(item);
  }
  return toRange(items);
}

type Term = { type: 'word'; op: Op | null; raw: string; glued: boolean } | { type: 'range' };

/** One alternative of a plain range: operators, versions, separators. */
function parsePlainGroup(group: string): Item[] | null {
  const terms: Term[] = [];
  let pendingOp: Op | null = null;
  let hardSeparator = true;
  const token = /\s*(?:(,)|(>=|<=|!=|=>|=<|==|=|<|>)|([^\s,<>=!]+))/y;
  let pos = 0;
  while (pos < group.length) {
    token.lastIndex = pos;
    const m = token.exec(group);
    if (!m) {
      if (/^\s*$/.test(group.slice(pos))) break;
      return null;
    }
    pos = token.lastIndex;
    if (m[1]) {
      hardSeparator = true;
    } else if (m[2]) {
      if (pendingOp) return null;
      pendingOp = normaliseOp(m[2]);
    } else if (m[3]) {
      const word = m[3];
      const last = terms[terms.length - 1];
      if (RANGE_WORDS.has(word) && !pendingOp) {
        terms.push({ type: 'range' });
        hardSeparator = true;
      } else if (AND_WORDS.has(word)) {
        hardSeparator = true;
      } else if (!pendingOp && !hardSeparator && last?.type === 'word' && /^\p{L}/u.test(word) && !/^v\d/.test(word)) {
        // "10.2 SP1", "5.1 update 3": a qualifier that belongs to the version before it.
        last.raw += ` ${word}`;
        last.glued = true;
      } else if (!pendingOp && !hardSeparator && last?.type === 'word' && last.glued && /^\d/.test(word) && /\p{L}$/u.test(last.raw)) {
        last.raw += ` ${word}`; // "update 3"
      } else {
        terms.push({ type: 'word', op: pendingOp, raw: word, glued: false });
        pendingOp = null;
        hardSeparator = false;
      }
    }
  }
  if (pendingOp) return null;
  const items: Item[] = [];
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    if (t.type === 'range') {
      const lo = terms[i - 1];
      const hi = terms[i + 1];
      if (lo?.type !== 'word' || hi?.type !== 'word' || lo.op !== null || hi.op !== null) return null;
      const from = parseVersion(lo.raw) ?? parseWildcard(lo.raw)?.from;
      const wildTo = parseWildcard(hi.raw);
      const to = wildTo ? { v: wildTo.to, inclusive: false } : ((v) => (v ? { v, inclusive: true } : null))(parseVersion(hi.raw));
      if (!from || !to) return null;
      items.pop(); // the lower end was read as an exact version
      items.push({ kind: 'interval', i: { lower: { v: from, inclusive: true }, upper: to } });
      i++; // the upper end is consumed
      continue;
    }
    const item = itemFor(t.op, t.raw);
    if (!item) return null;
    items.push(item);
  }
  return items.length ? items : null;
}

function parsePlain(input: string): VersionRange | null {
  let s = input.trim().toLowerCase();
  if (ALL_WORDS.has(s)) return ALL;
  s = s
    .replace(/≥/g, '>=')
    .replace(/≤/g, '<=')
    .replace(/^(?:all|alle)\s+(?:versions?|versies)\b\s*(?:of\s+)?/, '')
    .replace(/\b(?:before|prior\s+to|earlier\s+than|older\s+than|lower\s+than|below|vóór|voor)\s+/g, '<')
    .replace(/\s*(?:and|or|en|of)\s+(?:later|above|newer|higher|greater|hoger|nieuwer|later)\b/g, '+')
    .replace(/\btot\s+en\s+met\b/g, 't/m')
    .trim();
  if (s === '') return ALL;
  const items: Item[] = [];
  for (const group of s.split(/\s*\|\|\s*|\s*;\s*|\s+or\s+|\s+of\s+/)) {
    if (group.trim() === '') continue;
    const parsed = parsePlainGroup(group);
    if (!parsed) return null;
    items.push(...parsed);
  }
  return items.length ? toRange(items) : null;
}

/**
 * Reads the `versions` of an affected product: empty or "all" (every version), an exact version,
 * plain operators (">=2.0 <2.4.1", "<= 3.1", "2.0 - 2.4", "2.4.x", comma- or space-separated,
 * alternatives with "||"), or a vers URI ("vers:generic/>=2.0|<2.4.1", with "!=" exclusions).
 * Every vers scheme is compared with the same generic ordering (dotted numbers, pre- and
 * post-release qualifiers). Returns null when the text cannot be read; callers treat that as
 * "relevant" rather than guess.
 */
export function parseRange(input: string | null | undefined): VersionRange | null {
  const s = (input ?? '').trim();
  if (/^vers:/i.test(s)) return parseVers(s);
  return parsePlain(s);
}

/** True/false when the version is in/out of the range; null when either cannot be read. */
export function versionInRange(version: string, range: string): boolean | null {
  const v = parseVersion(version);
  const r = parseRange(range);
  return v && r ? rangeContains(r, v) : null;
}
