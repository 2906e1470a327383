import type { AdvisoryContent, AffectedProduct, ProductStatus } from '#modules/advisories/advisory.content.ts';

/**
 * "Is this advisory about something we run?": matches the affected products of an advisory against
 * the products a participant declared (vendor, product, optional version, CPE, PURL).
 *
 * Two questions, answered separately:
 *
 * 1. Is it the same product? By CPE 2.3 (vendor and product parts), by package URL (type, namespace
 *    and name) or by normalised vendor and product name. Each of these is an equality of a key that
 *    {@link productMatchKeys} also produces, so the database can pre-select candidates by key and
 *    this module makes the final decision.
 * 2. Is the declared version affected? Only asked when the participant named a version and the
 *    advisory names a range that can be read. Whenever the answer is not certain (no declared
 *    version, a range we cannot parse) the product counts as relevant: a warning too many costs a
 *    participant a minute, a warning too few can cost a hospital its systems.
 *
 * Nothing here touches the database; everything works on the content model and plain objects.
 */

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** A product as a participant declares it (see ProductInput in organisation.schema.ts). */
export interface DeclaredProduct {
  vendor: string;
  product: string;
  version?: string | null;
  cpe?: string | null;
  purl?: string | null;
}
export type Declared = DeclaredProduct;

/** The fields of an AffectedProduct the matcher reads. */
export type AffectedLike = Pick<AffectedProduct, 'vendor' | 'name'> & { versions?: string | null; cpe?: string | null; purl?: string | null };

export type MatchReason = 'cpe' | 'purl' | 'name';

export interface ProductMatch {
  /** The advisory concerns the declared product (same product, and the version is or may be affected). */
  relevant: boolean;
  /** How the products were found to be the same; null when they are not. Set even when the version rules it out. */
  reason: MatchReason | null;
  /**
   * True when a declared version was checked against a range that could be read (an empty range,
   * "all versions", counts as readable). False when the participant named no version or the range
   * could not be parsed: the product is then "relevant, version unknown".
   */
  versionKnown: boolean;
}

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

// ---------------------------------------------------------------------------------------------
// Identifiers: CPE, PURL, names
// ---------------------------------------------------------------------------------------------

interface Cpe {
  vendor: string;
  product: string;
  /** The version part, or null for ANY ("*") and NA ("-"). */
  version: string | null;
}

function cpeValue(part: string | undefined): string {
  return (part ?? '').replace(/\\(.)/g, '$1').trim().toLowerCase();
}

/** Reads a CPE 2.3 formatted string (and, leniently, a CPE 2.2 URI). */
export function parseCpe(input: string | null | undefined): Cpe | null {
  const s = (input ?? '').trim();
  let parts: string[];
  if (/^cpe:2\.3:/i.test(s)) parts = s.split(/(?<!\\):/).slice(3);
  else if (/^cpe:\/[aho]?:/i.test(s)) parts = s.split(':').slice(2);
  else return null;
  const vendor = cpeValue(parts[0]);
  const product = cpeValue(parts[1]);
  const version = cpeValue(parts[2]);
  if (vendor === '' || product === '' || ['*', '-'].includes(vendor) || ['*', '-'].includes(product)) return null;
  return { vendor, product, version: version === '' || version === '*' || version === '-' ? null : version };
}

interface Purl {
  type: string;
  namespace: string;
  name: string;
  version: string | null;
}

function purlDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reads a package URL: pkg:type/namespace/name@version?qualifiers#subpath. */
export function parsePurl(input: string | null | undefined): Purl | null {
  const s = (input ?? '').trim();
  if (!/^pkg:/i.test(s)) return null;
  let rest = s.slice(4).replace(/^\/+/, '');
  rest = rest.split('#', 1)[0]!.split('?', 1)[0]!;
  const slash = rest.indexOf('/');
  if (slash < 1) return null;
  const type = rest.slice(0, slash).toLowerCase();
  rest = rest.slice(slash + 1);
  let version: string | null = null;
  const at = rest.lastIndexOf('@');
  if (at > 0 && at > rest.lastIndexOf('/')) {
    version = purlDecode(rest.slice(at + 1)).trim() || null;
    rest = rest.slice(0, at);
  }
  const segments = rest
    .split('/')
    .filter((x) => x !== '')
    .map((x) => purlDecode(x).trim().toLowerCase());
  let name = segments.pop();
  if (!name) return null;
  if (type === 'pypi') name = name.replace(/[-_.]+/g, '-');
  return { type, namespace: segments.join('/'), name, version };
}

/** Legal-form suffixes ignored at the end of a vendor name, as word sequences. */
const LEGAL_SUFFIXES: readonly (readonly string[])[] = [
  ['inc'],
  ['incorporated'],
  ['corp'],
  ['corporation'],
  ['co'],
  ['company'],
  ['ltd'],
  ['limited'],
  ['llc'],
  ['llp'],
  ['lp'],
  ['plc'],
  ['gmbh'],
  ['ag'],
  ['kg'],
  ['bv'],
  ['b', 'v'],
  ['nv'],
  ['n', 'v'],
  ['sa'],
  ['s', 'a'],
  ['sas'],
  ['sarl'],
  ['srl'],
  ['spa'],
  ['s', 'p', 'a'],
  ['oy'],
  ['oyj'],
  ['ab'],
  ['as'],
  ['asa'],
  ['aps'],
  ['se'],
  ['kk'],
  ['pty'],
  ['pte'],
  ['bvba'],
  ['vof'],
  ['holding'],
  ['holdings'],
  ['group'],
];

function words(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function endsWith(ws: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length >= ws.length) return false; // never strip a name down to nothing
  return suffix.every((w, i) => ws[ws.length - suffix.length + i] === w);
}

function vendorWords(vendor: string): string[] {
  let ws = words(vendor);
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of LEGAL_SUFFIXES) {
      if (endsWith(ws, suffix)) {
        ws = ws.slice(0, ws.length - suffix.length);
        changed = true;
      }
    }
  }
  return ws;
}

function productWords(product: string, vendor: readonly string[]): string[] {
  const ws = words(product);
  // "Microsoft Exchange Server" by "Microsoft" is "Exchange Server".
  if (vendor.length > 0 && ws.length > vendor.length && vendor.every((w, i) => ws[i] === w)) return ws.slice(vendor.length);
  return ws;
}

/**
 * The normalised vendor and product: case, accents, punctuation, whitespace, `-`/`_` and legal
 * suffixes ("Inc.", "GmbH", "B.V.") are ignored, as is a product name that repeats the vendor.
 */
export function normalisedName(vendor: string, product: string): string | null {
  const v = vendorWords(vendor);
  const p = productWords(product, v);
  if (v.length === 0 || p.length === 0) return null;
  return `${v.join('')}|${p.join('')}`;
}

type AnyProduct = AffectedLike | DeclaredProduct;

function productName(p: AnyProduct): string {
  return 'product' in p ? p.product : p.name;
}

function nameKey(p: AnyProduct): string | null {
  const n = normalisedName(p.vendor, productName(p));
  return n === null ? null : `name:${n}`;
}

function cpeKey(p: AnyProduct): string | null {
  const c = parseCpe(p.cpe);
  return c ? `cpe:${c.vendor}:${c.product}` : null;
}

function purlKey(p: AnyProduct): string | null {
  const u = parsePurl(p.purl);
  return u ? `purl:${u.type}/${u.namespace}/${u.name}` : null;
}

/**
 * Keys under which a product (affected or declared) can be found: "name:vendor|product",
 * "cpe:vendor:product" and "purl:type/namespace/name", as far as the product has them. Two products
 * are the same product exactly when their key sets intersect, so a database can store these keys
 * and pre-select candidates with an index; {@link matchProduct} then checks the versions.
 */
export function productMatchKeys(p: AnyProduct): string[] {
  return [cpeKey(p), purlKey(p), nameKey(p)].filter((k): k is string => k !== null);
}

function sameProduct(a: AffectedLike, d: DeclaredProduct): MatchReason | null {
  const same = (f: (p: AnyProduct) => string | null) => {
    const k = f(a);
    return k !== null && k === f(d);
  };
  if (same(cpeKey)) return 'cpe';
  if (same(purlKey)) return 'purl';
  if (same(nameKey)) return 'name';
  return null;
}

/** The affected versions: the `versions` text, else the CPE or PURL version, else all. Null if unreadable. */
function affectedRange(a: AffectedLike): VersionRange | null {
  const versions = (a.versions ?? '').trim();
  if (versions !== '') return parseRange(versions);
  const cpeVersion = parseCpe(a.cpe)?.version ?? null;
  if (cpeVersion !== null) return parseRange(cpeVersion);
  const purlVersion = parsePurl(a.purl)?.version ?? null;
  if (purlVersion !== null) return parseRange(purlVersion);
  return ALL;
}

/** The version the participant runs: stated, else from its CPE, else from its PURL. */
function declaredVersion(d: DeclaredProduct): string | null {
  const stated = d.version?.trim();
  if (stated) return stated;
  return parseCpe(d.cpe)?.version ?? parsePurl(d.purl)?.version ?? null;
}

/** Does this affected product concern this declared product? See the module comment for the rules. */
export function matchProduct(affected: AffectedLike, declared: DeclaredProduct): ProductMatch {
  const reason = sameProduct(affected, declared);
  if (reason === null) return { relevant: false, reason: null, versionKnown: false };
  const range = affectedRange(affected);
  // A range we cannot read: relevant, on purpose. Better to warn once too often than to miss it.
  if (range === null) return { relevant: true, reason, versionKnown: false };
  const raw = declaredVersion(declared);
  const version = raw === null ? null : parseVersion(raw);
  if (range.kind === 'all') return { relevant: true, reason, versionKnown: version !== null };
  // No (readable) declared version: relevant, version unknown.
  if (version === null) return { relevant: true, reason, versionKnown: false };
  return { relevant: rangeContains(range, version), reason, versionKnown: true };
}

// ---------------------------------------------------------------------------------------------
// Whole advisories
// ---------------------------------------------------------------------------------------------

const CONCERNING: ReadonlySet<ProductStatus> = new Set(['affected', 'under_investigation']);

/**
 * The affected products that can make an advisory relevant: those with status 'affected' or
 * 'under_investigation' for at least one vulnerability, and those with no status at all (an info
 * message lists products without vulnerabilities). A product that is only ever 'fixed' or
 * 'not_affected' is listed for completeness ("version 2.5 is not affected") and does not make the
 * advisory relevant to whoever runs it.
 */
export function concerningProductIds(content: Pick<AdvisoryContent, 'products' | 'vulnerabilities'>): Set<string> {
  const statuses = new Map<string, Set<ProductStatus>>();
  for (const v of content.vulnerabilities) {
    for (const s of v.productStatus) {
      const set = statuses.get(s.productId) ?? new Set<ProductStatus>();
      set.add(s.status);
      statuses.set(s.productId, set);
    }
  }
  const ids = new Set<string>();
  for (const p of content.products) {
    const set = statuses.get(p.id);
    if (!set || [...set].some((s) => CONCERNING.has(s))) ids.add(p.id);
  }
  return ids;
}

export interface RelevantMatch<D extends DeclaredProduct = DeclaredProduct> {
  /** The affected product's id in the advisory. */
  productId: string;
  /** The declared product it concerns, and its position in the list that was passed in. */
  declared: D;
  declaredIndex: number;
  reason: MatchReason;
  versionKnown: boolean;
}

/**
 * Which affected products of an advisory concern which declared products: one entry per relevant
 * pair, in product order. Empty when the advisory is not relevant to the declared products.
 */
export function relevantProducts<D extends DeclaredProduct>(
  content: Pick<AdvisoryContent, 'products' | 'vulnerabilities'>,
  declared: readonly D[],
): RelevantMatch<D>[] {
  if (declared.length === 0) return [];
  const concerning = concerningProductIds(content);
  const out: RelevantMatch<D>[] = [];
  for (const p of content.products) {
    if (!concerning.has(p.id)) continue;
    declared.forEach((d, declaredIndex) => {
      const m = matchProduct(p, d);
      if (m.relevant && m.reason !== null) out.push({ productId: p.id, declared: d, declaredIndex, reason: m.reason, versionKnown: m.versionKnown });
    });
  }
  return out;
}
