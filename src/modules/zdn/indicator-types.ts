import { parse as parseName } from 'tldts';
import { normaliseDomain } from '#lib/domain.ts';
import { parseAsn, parseIpRange } from '#lib/ip.ts';

/** The indicator (IoC) types we share. Each has one canonical text form, so equal indicators compare equal. */
export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'cidr', 'domain', 'hostname', 'url', 'email', 'email-subject', 'filename', 'md5', 'sha1', 'sha256', 'sha512', 'ja3', 'ja4', 'user-agent', 'yara', 'sigma', 'cve', 'asn'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export function isIndicatorType(v: unknown): v is IndicatorType {
  return typeof v === 'string' && (INDICATOR_TYPES as readonly string[]).includes(v);
}

type Normalised = { value: string } | { error: string };

const NOUN: Record<IndicatorType, string> = {
  ipv4: 'an IPv4 address', ipv6: 'an IPv6 address', cidr: 'a CIDR range', domain: 'a domain name', hostname: 'a host name',
  url: 'a URL', email: 'an e-mail address', 'email-subject': 'an e-mail subject', filename: 'a file name',
  md5: 'an MD5 hash', sha1: 'a SHA-1 hash', sha256: 'a SHA-256 hash', sha512: 'a SHA-512 hash', ja3: 'a JA3 fingerprint',
  ja4: 'a JA4 fingerprint', 'user-agent': 'a user agent', yara: 'a YARA rule', sigma: 'a Sigma rule', cve: 'a CVE id', asn: 'an AS number',
};

/** The type as a noun with its article ('an IPv4 address'), for messages that name the kind of value but not the value. */
export function indicatorNoun(type: IndicatorType): string {
  return NOUN[type];
}

const HEX_LENGTH = { md5: 32, sha1: 40, sha256: 64, sha512: 128, ja3: 32 } as const;
const LINE_MAX = 1024;
const RULE_MAX = 100_000;
// Long enough for tracking-laden phishing links, short enough that a paste of a whole page is refused.
const URL_MAX = 8192;
/**
 * Literal text is matched byte for byte, so refanging would change the indicator: a YARA or Sigma
 * regex may well contain "[.]", and a subject line may really say "(at)".
 */
const LITERAL: ReadonlySet<IndicatorType> = new Set<IndicatorType>(['email-subject', 'filename', 'user-agent', 'yara', 'sigma']);

/** The value as shown in an error: single-quoted, control characters blanked, long values cut. */
function show(text: string): string {
  const flat = Array.from(text.length > 64 ? `${text.slice(0, 64)}…` : text, (c) => (c.charCodeAt(0) < 32 || c === '\u007f' ? ' ' : c)).join('');
  return `'${flat}'`;
}

function fail(type: IndicatorType, text: string, why?: string): { error: string } {
  return { error: `${show(text)} is not ${NOUN[type]}${why ? ` (${why})` : ''}` };
}

/** Index of the first control character other than those allowed, or -1. */
function controlAt(text: string, allowed: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 32 || code === 127) && !allowed.includes(text.charAt(i))) return i;
  }
  return -1;
}

function describeControl(text: string, i: number): string {
  const code = text.charCodeAt(i);
  const name = code === 0 ? 'NUL' : code === 10 || code === 13 ? 'a line break' : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `it contains ${name}`;
}

/** Undoes the usual defanging: hxxp(s), fxp, [.] (.) {.} [dot], [@] (at), [:] and [://]. */
export function refang(text: string): string {
  const once = (t: string) =>
    t
      .replace(/\[(:\/\/|:)\]/g, '$1')
      .replace(/[[({]\s*(?:\.|dot)\s*[\])}]/gi, '.')
      .replace(/[[({]\s*(?:@|at)\s*[\])}]/gi, '@')
      .replace(/\bhxxp(s?):\/\//gi, 'http$1://')
      .replace(/\bfxp:\/\//gi, 'ftp://');
  // Nested defanging ('[(.)]') unfolds one layer per pass; repeating makes refang, and so normalising, idempotent.
  let out = once(text);
  for (let prev = text; out !== prev; ) [prev, out] = [out, once(out)];
  return out;
}

/** Why a dotted quad is not canonical, or null. Leading zeros are refused: ipaddr.js (and inet_aton) read '010' as octal 8. */
function octetProblem(quad: string): string | null {
  for (const octet of quad.split('.')) {
    if (Number(octet) > 255) return `octet ${octet} is above 255`;
    if (octet.length > 1 && octet.startsWith('0')) return `octet ${octet} has a leading zero, which some tools read as octal`;
  }
  return null;
}

function ipv4(text: string): Normalised {
  if (text.includes('/')) return fail('ipv4', text, 'it has a prefix length; use type cidr');
  if (text.includes(':')) {
    // An IPv4-mapped IPv6 address is the IPv4 address; anything else belongs to type ipv6.
    const r = parseIpRange(text);
    return r?.version === 4 ? { value: r.cidr.replace(/\/32$/, '') } : fail('ipv4', text, r ? 'it is an IPv6 address; use type ipv6' : undefined);
  }
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return fail('ipv4', text, 'expected four decimal octets separated by dots');
  const problem = octetProblem(text);
  return problem ? fail('ipv4', text, problem) : { value: text };
}

function ipv6(text: string): Normalised {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  if (bare.includes('/')) return fail('ipv6', text, 'it has a prefix length; use type cidr');
  if (bare.includes('%')) return fail('ipv6', text, 'a zone index is local to one host');
  if (/^[\d.]+$/.test(bare)) return fail('ipv6', text, 'it is an IPv4 address; use type ipv4');
  const r = bare.includes(':') ? parseIpRange(bare) : null;
  if (!r) return fail('ipv6', text);
  if (r.version === 4) return fail('ipv6', text, `it is IPv4-mapped; use type ipv4 with ${r.cidr.replace(/\/32$/, '')}`);
  return { value: r.cidr.replace(/\/128$/, '') };
}

function cidr(text: string): Normalised {
  if (text.includes('%')) return fail('cidr', text, 'a zone index is local to one host');
  const quad = /^([\d.]+)(\/|$)/.exec(text)?.[1];
  const problem = quad ? octetProblem(quad) : null;
  if (problem) return fail('cidr', text, problem);
  const r = parseIpRange(text);
  if (r) return { value: r.cidr };
  const prefix = /\/(\d+)$/.exec(text)?.[1];
  const max = text.includes(':') ? 128 : 32;
  return fail('cidr', text, prefix && Number(prefix) > max ? `prefix /${prefix} is longer than ${max} bits` : undefined);
}

function name(type: 'domain' | 'hostname', text: string): Normalised {
  const r = normaliseDomain(text);
  // domainToASCII (inside) already refuses a numeric top-level label such as '999.1.1.1'.
  return 'error' in r ? fail(type, text, r.error.replace(/\.$/, '').replace(/^This/, 'this')) : { value: r.domain };
}

function url(text: string): Normalised {
  if (text.length > URL_MAX) return fail('url', text, `it is longer than ${URL_MAX} characters`);
  if (/\s/.test(text) || controlAt(text, '') >= 0) return fail('url', text, 'it contains white space or control characters; percent-encode them');
  // The authority is cut out by hand so that the path and query can be kept exactly as given:
  // the WHATWG serialiser would re-encode them and resolve '..', which changes what is matched.
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\\]*)(.*)$/i.exec(text);
  if (!m?.[1]) return fail('url', text, 'expected scheme://host/path');
  const scheme = m[1].toLowerCase();
  if (!['http', 'https', 'ftp'].includes(scheme)) return fail('url', text, `scheme '${scheme}' is not http, https or ftp`);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return fail('url', text, 'it does not parse');
  }
  if (!parsed.hostname.includes('.') && !parsed.hostname.startsWith('[')) return fail('url', text, `host '${parsed.hostname}' has no dot`);
  const authority = m[2] ?? '';
  const userinfo = authority.slice(0, authority.lastIndexOf('@') + 1);
  const rest = m[3] ?? '';
  // RFC 3986 §6.2.3: an empty path is '/' for http(s) and ftp.
  return { value: `${scheme}://${userinfo}${parsed.host}${rest === '' || /^[?#]/.test(rest) ? `/${rest}` : rest}` };
}

function email(text: string): Normalised {
  const at = text.lastIndexOf('@');
  if (at < 0) return fail('email', text, "it has no '@'");
  const local = text.slice(0, at);
  if (!local || local.length > 64) return fail('email', text, 'the local part has 1 to 64 characters');
  if (!/^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/i.test(local)) return fail('email', text, 'the local part has characters outside the usual set');
  const d = normaliseDomain(text.slice(at + 1));
  if ('error' in d) return fail('email', text, `the domain is not valid: ${d.error.replace(/\.$/, '')}`);
  // The local part may be case-sensitive (RFC 5321 §2.4); only the domain is lower-cased.
  return { value: `${local}@${d.domain}` };
}

function hex(type: keyof typeof HEX_LENGTH, text: string): Normalised {
  const n = HEX_LENGTH[type];
  const bad = /[^0-9a-f]/i.exec(text)?.[0];
  if (bad) return fail(type, text, `expected ${n} hex digits; '${bad}' is not one`);
  if (text.length !== n) return fail(type, text, `expected ${n} hex digits, got ${text.length}`);
  return { value: text.toLowerCase() };
}

function line(type: IndicatorType, text: string): Normalised {
  if (text.length > LINE_MAX) return fail(type, text, `it is longer than ${LINE_MAX} characters`);
  const i = controlAt(text, '\t');
  return i >= 0 ? fail(type, text, describeControl(text, i)) : { value: text };
}

/** Braces balance outside strings, regexes and comments (YARA's hex strings `{ 4D 5A }` are balanced themselves). */
function yaraBracesBalance(rule: string): boolean {
  let depth = 0;
  for (let i = 0; i < rule.length; i++) {
    const c = rule[i];
    if (c === '/' && rule[i + 1] === '/') i = rule.indexOf('\n', i) < 0 ? rule.length : rule.indexOf('\n', i);
    else if (c === '/' && rule[i + 1] === '*') i = rule.indexOf('*/', i + 2) < 0 ? rule.length : rule.indexOf('*/', i + 2) + 1;
    else if (c === '"' || c === '/') {
      // YARA divides with '\', so a lone '/' opens a regex; both literals end at an unescaped delimiter.
      for (i++; i < rule.length && rule[i] !== c && rule[i] !== '\n'; i++) if (rule[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

function rule(type: 'yara' | 'sigma', text: string): Normalised {
  // Line endings are unified so that the same rule pasted from Windows and Unix compares equal.
  const value = text.replace(/\r\n?/g, '\n');
  if (value.length > RULE_MAX) return fail(type, text, `it is longer than ${RULE_MAX} characters`);
  const i = controlAt(value, '\t\n');
  if (i >= 0) return fail(type, text, describeControl(value, i));
  if (type === 'yara') {
    if (!/\brule\s+[A-Za-z_]\w*/.test(value)) return fail(type, text, "it has no 'rule <name>'");
    if (!yaraBracesBalance(value)) return fail(type, text, 'its braces do not balance');
  } else if (!/^title\s*:/m.test(value) || !/^detection\s*:/m.test(value)) {
    return fail(type, text, "it needs top-level 'title:' and 'detection:'");
  }
  return { value };
}

/** Validates and normalises one value of a type. Refangs first (hxxp, [.], (.), [dot], [@], [:]), except literal-text types. */
export function normaliseIndicator(type: IndicatorType, raw: string): Normalised {
  // Bound the work done on a pasted megabyte before any regex sees it.
  if (raw.length > 2 * RULE_MAX) return fail(type, raw, 'it is far too long');
  const text = (LITERAL.has(type) ? raw : refang(raw)).trim();
  if (!text) return { error: `An empty value is not ${NOUN[type]}.` };
  switch (type) {
    case 'ipv4': return ipv4(text);
    case 'ipv6': return ipv6(text);
    case 'cidr': return cidr(text);
    case 'domain':
    case 'hostname': return name(type, text);
    case 'url': return url(text);
    case 'email': return email(text);
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'ja3': return hex(type, text);
    case 'ja4':
      return /^[tqd]\d{2}[di][0-9]{2}[0-9]{2}[a-z0-9]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/i.test(text) ? { value: text.toLowerCase() } : fail(type, text, 'expected the form t13d1516h2_8daaf6152771_b186095e22b6');
    case 'cve': return /^CVE-\d{4}-\d{4,}$/i.test(text) ? { value: text.toUpperCase() } : fail(type, text, 'expected CVE-YYYY-NNNN');
    case 'asn': {
      const asn = parseAsn(text);
      return asn ? { value: asn } : fail(type, text, 'expected AS1 to AS4294967295');
    }
    case 'email-subject':
    case 'filename':
    case 'user-agent': return line(type, text);
    case 'yara':
    case 'sigma': return rule(type, text);
  }
}

/** Default lifetime in days; null = no expiry. */
export const DEFAULT_VALIDITY_DAYS: Record<IndicatorType, number | null> = {
  // Addresses are reassigned quickly (cloud, DHCP, cleaned hosts): a stale IP blocks an innocent party.
  ipv4: 30, ipv6: 30, cidr: 30,
  url: 90,
  // Names live longer than their hosting, but get cleaned up or sinkholed eventually.
  domain: 180, hostname: 180, email: 180,
  // Campaign lures and tooling are reused for a while; user agents and file names are weak alone.
  'email-subject': 30, filename: 90, 'user-agent': 90, ja3: 180, ja4: 180, asn: 365,
  // A hash, a rule or a vulnerability does not stop being what it is.
  md5: null, sha1: null, sha256: null, sha512: null, yara: null, sigma: null, cve: null,
};

/** A STIX 2.1 pattern string literal: backslash and single quote are escaped. */
function literal(value: string): string {
  return `'${value.replace(/[\\']/g, '\\$&')}'`;
}

const STIX_PATH: Partial<Record<IndicatorType, string>> = {
  ipv4: 'ipv4-addr:value', ipv6: 'ipv6-addr:value', domain: 'domain-name:value', hostname: 'domain-name:value',
  url: 'url:value', email: 'email-addr:value', 'email-subject': 'email-message:subject', filename: 'file:name',
  md5: 'file:hashes.MD5', sha1: "file:hashes.'SHA-1'", sha256: "file:hashes.'SHA-256'", sha512: "file:hashes.'SHA-512'",
  // No STIX SCO holds TLS fingerprints; custom x- object types are valid pattern syntax.
  ja3: 'x-ja3:hash', ja4: 'x-ja4:fingerprint',
  'user-agent': "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'",
};

/**
 * The STIX 2.1 indicator pattern for a value, which is normalised first. YARA and Sigma rules are
 * their own pattern (pattern_type 'yara'/'sigma'). Null for cve (a vulnerability is an SDO, not an
 * observable) and for a value that is not valid for its type.
 */
export function stixPattern(type: IndicatorType, value: string): { pattern: string; patternType: 'stix' | 'yara' | 'sigma' } | null {
  const n = normaliseIndicator(type, value);
  if ('error' in n) return null;
  const v = n.value;
  if (type === 'yara' || type === 'sigma') return { pattern: v, patternType: type };
  if (type === 'cve') return null;
  // STIX ipv4-addr/ipv6-addr values may be CIDR blocks.
  if (type === 'cidr') return { pattern: `[${v.includes(':') ? 'ipv6' : 'ipv4'}-addr:value = ${literal(v)}]`, patternType: 'stix' };
  if (type === 'asn') return { pattern: `[autonomous-system:number = ${v.slice(2)}]`, patternType: 'stix' };
  const path = STIX_PATH[type];
  return path ? { pattern: `[${path} = ${literal(v)}]`, patternType: 'stix' } : null;
}

const [NET, DELIVERY, INSTALL] = ['Network activity', 'Payload delivery', 'Payload installation'];
const MISP_EXPORT: Record<IndicatorType, readonly [type: string, category: string]> = {
  ipv4: ['ip-dst', NET], ipv6: ['ip-dst', NET], cidr: ['ip-dst', NET], domain: ['domain', NET], hostname: ['hostname', NET], url: ['url', NET],
  email: ['email-src', DELIVERY], 'email-subject': ['email-subject', DELIVERY], filename: ['filename', DELIVERY],
  md5: ['md5', DELIVERY], sha1: ['sha1', DELIVERY], sha256: ['sha256', DELIVERY], sha512: ['sha512', DELIVERY],
  // MISP's describeTypes (PyMISP 99a1c797) has no JA4 type; 'text' is allowed in every category.
  ja3: ['ja3-fingerprint-md5', NET], ja4: ['text', NET], 'user-agent': ['user-agent', NET],
  yara: ['yara', INSTALL], sigma: ['sigma', INSTALL], cve: ['vulnerability', 'External analysis'], asn: ['AS', NET],
};

/** MISP attribute type and category for export; every pair is valid per MISP's describeTypes.json. */
export function mispTypeFor(type: IndicatorType): { type: string; category: string } {
  const [mispType, category] = MISP_EXPORT[type];
  return { type: mispType, category };
}

/** MISP types we import, by our type ('ip' decides by content). */
const MISP_IMPORT: readonly (readonly [IndicatorType | 'ip', readonly string[]])[] = [
  ['ip', ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port']],
  ['domain', ['domain', 'domain|ip']],
  ['hostname', ['hostname', 'hostname|port']],
  ['url', ['url']],
  ['email', ['email-src', 'email-dst', 'email', 'email-reply-to']],
  ['email-subject', ['email-subject']],
  ['filename', ['filename']],
  ['md5', ['md5', 'filename|md5']],
  ['sha1', ['sha1', 'filename|sha1']],
  ['sha256', ['sha256', 'filename|sha256']],
  ['sha512', ['sha512', 'filename|sha512']],
  ['ja3', ['ja3-fingerprint-md5']],
  ['user-agent', ['user-agent']],
  ['yara', ['yara']],
  ['sigma', ['sigma']],
  ['cve', ['vulnerability']],
  ['asn', ['AS']],
];
const MISP_TYPES = new Map(MISP_IMPORT.flatMap(([ours, theirs]) => theirs.map((t) => [t, ours] as const)));

/**
 * Import direction: a MISP attribute type → our type and the (not yet normalised) value. IP values
 * pick ipv4/ipv6/cidr by content; a /32 or /128 is the single address. Null for types we do not keep.
 */
export function fromMispAttribute(mispType: string, value: string): { type: IndicatorType; value: string } | null {
  const ours = MISP_TYPES.get(mispType);
  if (!ours) return null;
  const bar = value.indexOf('|');
  // filename|<hash> carries the hash second; ip|port, domain|ip and hostname|port carry ours first.
  const part = (!mispType.includes('|') || bar < 0 ? value : mispType.startsWith('filename|') ? value.slice(bar + 1) : value.slice(0, bar)).trim();
  if (ours !== 'ip') return { type: ours, value: part };
  const r = parseIpRange(part);
  // The text, not parseIpRange's rewrite, goes on: normaliseIndicator must still see (and refuse) '010.0.0.1'.
  if (r?.cidr.endsWith(r.version === 4 ? '/32' : '/128')) return { type: r.version === 4 ? 'ipv4' : 'ipv6', value: part.replace(/\/\d+$/, '') };
  // Unparsable values are routed by their look, so that normaliseIndicator reports the precise error.
  return { type: part.includes('/') ? 'cidr' : part.includes(':') ? 'ipv6' : 'ipv4', value: part };
}

/**
 * The second indicator a composite MISP attribute carries: the address of 'domain|ip', the file name
 * of 'filename|<hash>'. Null for the others ('ip-dst|port' and 'hostname|port' add a port, which is
 * no indicator of its own).
 */
export function mispCompanion(mispType: string, value: string): { type: IndicatorType; value: string } | null {
  const bar = value.indexOf('|');
  if (bar < 0) return null;
  if (mispType === 'domain|ip') return fromMispAttribute('ip-dst', value.slice(bar + 1));
  if (mispType.startsWith('filename|') && MISP_TYPES.has(mispType)) return { type: 'filename', value: value.slice(0, bar).trim() };
  return null;
}

type Finder = IndicatorType | 'ip' | 'hash' | 'name';

/**
 * Executables, scripts, archives and documents: "invoice.zip" in a report is a file, though .zip is
 * also a TLD. Extensions that are mostly seen as TLDs (.com, .so) are left to the name finder.
 */
const FILE_EXT = 'exe|dll|scr|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|hta|lnk|msi|msix|iso|img|vhd|jar|zip|rar|7z|gz|tgz|cab|doc|docx|docm|xls|xlsx|xlsm|ppt|pptx|pdf|rtf|one|html?|svg|elf|sh|py|apk|dmg';

/** Scanned in priority order: a span taken by an earlier finder (a URL) is not searched again (for its host). */
const FINDERS: readonly (readonly [Finder, RegExp])[] = [
  ['url', /\b(?:https?|ftp):\/\/[^\s<>"'`]+/gi],
  // Every finder starts only at the start of a run (lookbehind): otherwise a long run of letters is quadratic.
  ['email', /(?<![a-z0-9._%+-])[a-z0-9._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}[\p{L}\p{N}-]+/giu],
  ['ja4', /\b[tqd]\d{2}[di]\d{4}[a-z0-9]{2}_[0-9a-f]{12}_[0-9a-f]{12}\b/gi],
  ['cve', /\bCVE-\d{4}-\d{4,}\b/gi],
  ['ip', /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:\/\d{1,3})?(?![\w:])/gi],
  ['ip', /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?(?!\w|\.\d)/g],
  ['hash', /(?<![\w-])[0-9a-f]{32,128}(?![\w-])/gi],
  // Upper case only: 'as 2021' in prose is not an AS number.
  ['asn', /\bASN?\s?\d{1,10}\b/g],
  ['filename', new RegExp(String.raw`(?<![\w.-])[\w-][\w.-]*\.(?:${FILE_EXT})(?![\w.-]*\w)`, 'gi')],
  ['name', /(?<![\p{L}\p{N}_.@-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}[\p{L}\p{N}-]{0,62}(?![\p{L}\p{N}_-])/giu],
];

// RFC 2606/6761 names are not in the public suffix list but are what examples and tests use.
const RESERVED_TLDS = new Set(['example', 'test', 'invalid']);
const HASH_BY_LENGTH: Record<number, IndicatorType> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };

/** Strips sentence punctuation and unbalanced closing brackets that follow a URL in prose. */
function trimUrl(raw: string): string {
  const count = (c: string) => raw.split(c).length - 1;
  // Closing brackets without an opening partner, counted once so that a run of ')' stays linear.
  const surplus: Record<string, number> = { ')': count(')') - count('('), ']': count(']') - count('['), '}': count('}') - count('{') };
  let end = raw.length;
  for (;;) {
    const last = raw.charAt(end - 1);
    if (last && '.,;:!?*'.includes(last)) end--;
    else if ((surplus[last] ?? 0) > 0) {
      surplus[last] = (surplus[last] ?? 0) - 1;
      end--;
    } else return raw.slice(0, end);
  }
}

function classify(kind: Finder, raw: string, text: string, at: number): { type: IndicatorType; raw: string } | null {
  if (kind === 'ip') return { type: raw.includes('/') ? 'cidr' : raw.includes(':') ? 'ipv6' : 'ipv4', raw };
  if (kind === 'asn') return { type: 'asn', raw: raw.replace(/\D/g, '') };
  if (kind === 'hash') {
    // A 32-digit hex string is an MD5 unless the text just before it names JA3.
    if (raw.length === 32 && /ja3/i.test(text.slice(Math.max(0, at - 24), at))) return { type: 'ja3', raw };
    const type = HASH_BY_LENGTH[raw.length];
    return type ? { type, raw } : null;
  }
  if (kind === 'name') {
    const info = parseName(raw.toLowerCase(), { allowPrivateDomains: true });
    // Without a known suffix, "stage2.payload" in prose would become a domain.
    if (!info.isIcann && !info.isPrivate && !RESERVED_TLDS.has(info.publicSuffix ?? '')) return null;
    return { type: info.domain === raw.toLowerCase() ? 'domain' : 'hostname', raw };
  }
  return { type: kind, raw };
}

/**
 * Free text (an analyst's paste, a report) → candidate indicators, deduplicated, in order of appearance;
 * refangs; skips invalid ones. The host of a URL and the domain of an e-mail address are not reported
 * on their own: the URL may sit on a compromised but legitimate site that must not be blocked whole.
 */
export function extractIndicators(text: string): { type: IndicatorType; value: string }[] {
  const plain = refang(text);
  const taken = new Uint8Array(plain.length);
  const found: { at: number; type: IndicatorType; value: string }[] = [];
  for (const [kind, re] of FINDERS) {
    for (const m of plain.matchAll(re)) {
      const raw = kind === 'url' ? trimUrl(m[0]) : m[0];
      const at = m.index;
      if (taken.subarray(at, at + raw.length).includes(1)) continue;
      if (kind === 'ip' && !/[0-9a-f]/i.test(raw)) continue;
      const candidate = classify(kind, raw, plain, at);
      const r = candidate && normaliseIndicator(candidate.type, candidate.raw);
      if (!candidate || !r || 'error' in r) continue;
      taken.fill(1, at, at + raw.length);
      found.push({ at, type: candidate.type, value: r.value });
    }
  }
  const unique = new Map<string, { type: IndicatorType; value: string }>();
  for (const { type, value } of found.sort((a, b) => a.at - b.at)) if (!unique.has(`${type} ${value}`)) unique.set(`${type} ${value}`, { type, value });
  return [...unique.values()];
}
