import { z } from 'zod';
import { parseIpRange } from '#lib/ip.ts';

/**
 * MISP warninglists (MISP/misp-warninglists `lists/<name>/list.json`): lists of known-benign values
 * (public resolvers, sinkholes, CDN ranges, …) used to flag indicators that would cause false
 * positives. This file reads the format and compiles a list into a fast matcher.
 */

/** Our indicator types, declared here so this module does not depend on the indicator module. */
export type WarninglistIndicatorType =
  | 'ipv4'
  | 'ipv6'
  | 'cidr'
  | 'domain'
  | 'hostname'
  | 'url'
  | 'email'
  | 'email-subject'
  | 'filename'
  | 'md5'
  | 'sha1'
  | 'sha256'
  | 'sha512'
  | 'ja3'
  | 'ja4'
  | 'user-agent'
  | 'yara'
  | 'sigma'
  | 'cve'
  | 'asn';

export const WARNINGLIST_TYPES = ['string', 'substring', 'hostname', 'cidr', 'regex'] as const;
export type WarninglistType = (typeof WARNINGLIST_TYPES)[number];

export interface Warninglist {
  name: string;
  version: number;
  description: string;
  type: WarninglistType;
  /** MISP attribute types the list applies to; empty means every type. */
  matchingAttributes: string[];
  entries: string[];
}

/** A compiled list: call it to test a value; `invalidEntries` holds the entries it had to skip. */
export type WarninglistMatcher = ((type: WarninglistIndicatorType, value: string) => boolean) & {
  readonly invalidEntries: readonly string[];
};

/**
 * The MISP attribute types each of our types corresponds to. Composite MISP types (`domain|ip`,
 * `ip-dst|port`, `filename|sha256`) are included because MISP checks each half of a composite value
 * against the list, so a list meant for them is also meant for the plain value. ja4 has no MISP type
 * in describeTypes.json (PyMISP 99a1c797), so only lists without matching_attributes apply to it.
 */
const MISP_TYPES: Record<WarninglistIndicatorType, readonly string[]> = {
  ipv4: ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip'],
  ipv6: ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip'],
  cidr: ['ip-src', 'ip-dst'],
  domain: ['domain', 'domain|ip'],
  hostname: ['hostname', 'domain', 'hostname|port', 'domain|ip'],
  url: ['url', 'uri'],
  email: ['email', 'email-src', 'email-dst', 'target-email'],
  'email-subject': ['email-subject'],
  filename: ['filename', 'filename|md5', 'filename|sha1', 'filename|sha256', 'filename|sha512'],
  md5: ['md5', 'filename|md5'],
  sha1: ['sha1', 'filename|sha1'],
  sha256: ['sha256', 'filename|sha256'],
  sha512: ['sha512', 'filename|sha512'],
  ja3: ['ja3-fingerprint-md5'],
  ja4: [],
  'user-agent': ['user-agent'],
  yara: ['yara'],
  sigma: ['sigma'],
  cve: ['vulnerability'],
  asn: ['AS'],
};
const INDICATOR_TYPES = Object.keys(MISP_TYPES) as WarninglistIndicatorType[];

/** Types whose values are names or hex digits, where letter case carries no meaning. */
const CASE_INSENSITIVE: ReadonlySet<WarninglistIndicatorType> = new Set<WarninglistIndicatorType>([
  'ipv6',
  'domain',
  'hostname',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'ja3',
  'ja4',
  'cve',
  'asn',
]);

const WarninglistJson = z.object({
  name: z.string().trim().min(1, 'must not be empty'),
  // The MISP schema says integer; a few hand-made lists write it as a string of digits.
  version: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be a whole number').transform(Number)]),
  description: z.string(),
  // Optional in the MISP schema; absent means the list applies to every attribute type.
  matching_attributes: z.array(z.string()).default([]),
  type: z.enum(WARNINGLIST_TYPES),
  list: z.array(z.string()),
});

/** Validates a parsed MISP warninglist file (or its JSON text) and converts it to our shape. */
export function parseWarninglist(json: unknown): { ok: true; list: Warninglist } | { ok: false; error: string } {
  let input = json;
  if (typeof json === 'string') {
    try {
      input = JSON.parse(json) as unknown;
    } catch (err) {
      return { ok: false, error: `Not a warninglist: the text is not JSON (${err instanceof Error ? err.message : String(err)}).` };
    }
  }
  const parsed = WarninglistJson.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
    return { ok: false, error: `Not a valid MISP warninglist: ${details.join('; ')}` };
  }
  const d = parsed.data;
  return {
    ok: true,
    list: {
      name: d.name,
      version: d.version,
      description: d.description,
      type: d.type,
      matchingAttributes: d.matching_attributes,
      entries: d.list.map((e) => e.trim()).filter((e) => e.length > 0),
    },
  };
}

/** Lower case, no surrounding dots: 'Portal.Example.' and '.portal.example' are the same host. */
function normaliseHost(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^\*\./, '')
    .replace(/^\.+|\.+$/g, '');
}

/** The host of a URL, also for URLs written without a scheme ('example.test/path'). */
function urlHost(value: string): string | null {
  const text = value.trim();
  for (const candidate of [text, `http://${text}`]) {
    try {
      const host = new URL(candidate).hostname;
      if (host) return host.replace(/^\[|\]$/g, '');
    } catch {
      // Try the next form.
    }
  }
  return null;
}

/** The part of the value a host-based list compares: the host of a URL, the domain of an address. */
function hostOf(type: WarninglistIndicatorType, value: string): string | null {
  if (type === 'url') return urlHost(value);
  if (type === 'email') {
    const at = value.lastIndexOf('@');
    return at >= 0 ? value.slice(at + 1) : value;
  }
  return value;
}

function compileString(entries: string[], substring: boolean): (type: WarninglistIndicatorType, value: string) => boolean {
  // An empty entry would be a substring of everything.
  const kept = entries.filter((e) => e.length > 0);
  const exact = new Set(kept);
  const folded = new Set(kept.map((e) => e.toLowerCase()));
  if (substring) {
    const exactList = [...exact];
    const foldedList = [...folded];
    return (type, value) => {
      const ci = CASE_INSENSITIVE.has(type);
      const v = ci ? value.toLowerCase() : value;
      return (ci ? foldedList : exactList).some((e) => v.includes(e));
    };
  }
  return (type, value) => (CASE_INSENSITIVE.has(type) ? folded.has(value.toLowerCase()) : exact.has(value));
}

function compileHostname(entries: string[]): (type: WarninglistIndicatorType, value: string) => boolean {
  const hosts = new Set(entries.map(normaliseHost).filter((h) => h.length > 0));
  return (type, value) => {
    const raw = hostOf(type, value);
    if (raw === null) return false;
    const host = normaliseHost(raw);
    if (!host) return false;
    if (hosts.has(host)) return true;
    // An address is not a name: '192.0.2.1' must not match an entry '0.2.1'.
    if (parseIpRange(host)) return false;
    // Walk up the labels: a.b.example → b.example → example.
    for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      if (hosts.has(host.slice(dot + 1))) return true;
    }
    return false;
  };
}

interface HexRange {
  start: string;
  end: string;
}

/**
 * Sorted, non-overlapping ranges. CIDR networks are either nested or disjoint, so keeping only the
 * outermost of each nest loses nothing: a value inside an inner network is inside the outer one.
 * Adjacent networks are not merged, so a value must still fit inside one listed network.
 */
function outermostRanges(ranges: HexRange[]): HexRange[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
  const kept: HexRange[] = [];
  for (const r of sorted) {
    const last = kept[kept.length - 1];
    if (last && r.start <= last.end) continue;
    kept.push(r);
  }
  return kept;
}

function compileCidr(entries: string[], invalid: string[]): (type: WarninglistIndicatorType, value: string) => boolean {
  const parsed: HexRange[] = [];
  for (const entry of entries) {
    const range = parseIpRange(entry);
    if (range) parsed.push({ start: range.start, end: range.end });
    else invalid.push(entry);
  }
  const ranges = outermostRanges(parsed);
  return (type, value) => {
    const text = type === 'url' ? urlHost(value) : value;
    const target = text === null ? null : parseIpRange(text);
    if (!target) return false;
    // Binary search for the last range starting at or before the value's start.
    let lo = 0;
    let hi = ranges.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (ranges[mid]!.start <= target.start) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && target.end <= ranges[found]!.end;
  };
}

/** PCRE flags with the same meaning in JavaScript; others (x, U, D, …) make the entry unusable. */
const JS_FLAGS = new Set(['i', 'm', 's', 'u']);

/** Compiles one MISP regex entry ('/…/flags' as in PHP's preg_match, or a bare pattern); null when JavaScript cannot. */
export function compileMispRegex(entry: string): RegExp | null {
  const delimited = /^\/(.*)\/([a-zA-Z]*)$/s.exec(entry);
  const source = delimited ? delimited[1]! : entry;
  const flags = delimited ? delimited[2]! : '';
  if ([...flags].some((f) => !JS_FLAGS.has(f)) || new Set(flags).size !== flags.length) return null;
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

function compileRegex(entries: string[], invalid: string[]): (type: WarninglistIndicatorType, value: string) => boolean {
  const regexes: RegExp[] = [];
  for (const entry of entries) {
    const re = compileMispRegex(entry);
    if (re) regexes.push(re);
    else invalid.push(entry);
  }
  return (_type, value) => regexes.some((re) => re.test(value));
}

/**
 * Compiles a warninglist once into a matcher: true when the value is on the list and the list
 * applies to the type (one of its MISP types is in matching_attributes, or that list is empty).
 */
export function compileWarninglist(list: Warninglist): WarninglistMatcher {
  const wanted = new Set(list.matchingAttributes);
  const applies = new Set(INDICATOR_TYPES.filter((t) => wanted.size === 0 || MISP_TYPES[t].some((m) => wanted.has(m))));
  const invalid: string[] = [];
  let test: (type: WarninglistIndicatorType, value: string) => boolean;
  switch (list.type) {
    case 'string':
      test = compileString(list.entries, false);
      break;
    case 'substring':
      test = compileString(list.entries, true);
      break;
    case 'hostname':
      test = compileHostname(list.entries);
      break;
    case 'cidr':
      test = compileCidr(list.entries, invalid);
      break;
    case 'regex':
      test = compileRegex(list.entries, invalid);
      break;
  }
  const matcher = (type: WarninglistIndicatorType, value: string): boolean => applies.has(type) && test(type, value.trim());
  return Object.assign(matcher, { invalidEntries: Object.freeze([...invalid]) });
}
