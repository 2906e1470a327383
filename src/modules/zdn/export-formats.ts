import { csvCell } from '#lib/csv.ts';
import { tlpRank, type Tlp } from '#lib/tlp.ts';
import { ipIndicator, ldhName, rpzHead, rpzOrigin, rpzRecords } from './export-formats-dns.ts';

/**
 * The ZDN indicator feed in the formats participants' security tools read. Pure functions: rows in,
 * one file out. The caller selects which rows a participant may receive; this module only makes sure
 * no value can break out of its line, cell, rule option or zone record, and that the TLP marking of
 * the most restricted row written travels with the file (a comment line where the format has comments,
 * and in the file name always, since CSV, datasets and EDLs have no comment syntax).
 *
 * Rows whose validUntil has passed at generatedAt are left out of every format: an expired block on a
 * reassigned address is an outage. Rows a format cannot express, or whose value does not have that
 * type's shape, are skipped, never repaired. Identical output lines are written once.
 */

// A copy of IndicatorType in indicator-types.ts, kept local so this module stands on its own.
export const EXPORT_INDICATOR_TYPES = ['ipv4', 'ipv6', 'cidr', 'domain', 'hostname', 'url', 'email', 'email-subject', 'filename', 'md5', 'sha1', 'sha256', 'sha512', 'ja3', 'ja4', 'user-agent', 'yara', 'sigma', 'cve', 'asn'] as const;
export type ExportIndicatorType = (typeof EXPORT_INDICATOR_TYPES)[number];

export interface ExportRow {
  id: string;
  type: ExportIndicatorType;
  /** Already normalised by the indicator types module. */
  value: string;
  tlp: Tlp;
  confidence: number;
  validUntil: Date | null;
  eventTitle: string;
  tags: string[];
  firstSeen: Date | null;
  lastSeen: Date | null;
  /** Positive integer, stable per indicator: the Suricata sid offset. */
  seq: number;
}

export const EXPORT_FORMATS = ['csv', 'plain', 'suricata', 'suricata-dataset', 'zeek', 'rpz', 'edl-paloalto', 'edl-fortinet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  generatedAt: Date;
  feedName: string;
  /** Only rows of this type; for the EDLs, rows of this type's list (ipv4 → all addresses and ranges). */
  type?: ExportIndicatorType;
  rpzOrigin?: string;
  /** Suricata sid = sidBase + seq; default 9,000,000. */
  sidBase?: number;
}

export interface RenderedExport {
  body: string;
  mediaType: string;
  fileName: string;
}

type T = ExportIndicatorType;
const IP: readonly T[] = ['ipv4', 'ipv6', 'cidr'];
const NAME: readonly T[] = ['domain', 'hostname'];
const HASH: readonly T[] = ['md5', 'sha1', 'sha256'];

/** EDL lists: a firewall list holds one kind of entry, so opts.type picks the list, not one type. */
const EDL_LISTS: Record<'edl-paloalto' | 'edl-fortinet', readonly { name: string; types: readonly T[] }[]> = {
  'edl-paloalto': [{ name: 'ip', types: IP }, { name: 'domain', types: NAME }, { name: 'url', types: ['url'] }],
  // FortiGate also takes a malware hash feed ('<hash> [description]'; md5, sha1 or sha256).
  'edl-fortinet': [{ name: 'ip', types: IP }, { name: 'domain', types: NAME }, { name: 'url', types: ['url'] }, { name: 'hash', types: HASH }],
};

/** Hex digits per hash type; ja3 is an MD5 of the ClientHello fields. */
const HEX: Partial<Record<T, number>> = { md5: 32, sha1: 40, sha256: 64, sha512: 128, ja3: 32 };

/**
 * Zeek Intel framework types. ja3, ja4 and the rest have no Intel type and are skipped; a CIDR row
 * is SUBNET, and an ipv4/ipv6 row holding a range would be too.
 */
const ZEEK_TYPE: Partial<Record<T, string>> = {
  ipv4: 'Intel::ADDR', ipv6: 'Intel::ADDR', cidr: 'Intel::SUBNET', domain: 'Intel::DOMAIN', hostname: 'Intel::DOMAIN',
  url: 'Intel::URL', email: 'Intel::EMAIL', md5: 'Intel::FILE_HASH', sha1: 'Intel::FILE_HASH', sha256: 'Intel::FILE_HASH',
  sha512: 'Intel::FILE_HASH', filename: 'Intel::FILE_NAME', 'user-agent': 'Intel::SOFTWARE',
};

/**
 * Suricata dataset file formats (doc/userguide/rules/datasets.rst, src/datasets.c), one entry per line:
 *   type string  base64 of the raw bytes (the buffer compared, e.g. dns.query or http.user_agent)
 *   type md5     32 hex digits;  type sha256  64 hex digits
 *   type ipv4    dotted quad;    type ip      IPv6 (or IPv4) address
 * No comment syntax (a '#' line is read as data and fails to load), LF line ends (the loader drops the
 * last byte of each line), and lines are read into a 1024-byte buffer, so longer entries are skipped.
 * An md5/sha256 set compares a buffer's raw 16/32-byte digest, so the hex hash lists also serve the
 * filemd5/filesha1/filesha256 keywords (same one-hash-a-line format; there is no sha1 dataset type).
 * ja3.hash is the 32-character hex text, not a digest, so JA3 goes in a string set.
 */
const DATASET_KIND: Partial<Record<T, 'hex' | 'ipv4' | 'ip' | 'string'>> = {
  md5: 'hex', sha1: 'hex', sha256: 'hex', ipv4: 'ipv4', ipv6: 'ip',
  domain: 'string', hostname: 'string', url: 'string', 'user-agent': 'string', ja3: 'string', ja4: 'string',
};
const DATASET_LINE_MAX = 1022;

/** Which opts.type values give output for a format (so an API can refuse or offer them). */
export function exportTypes(format: ExportFormat): readonly T[] {
  if (format === 'csv' || format === 'plain') return EXPORT_INDICATOR_TYPES;
  if (format === 'suricata') return [...IP, ...NAME, 'url', 'ja3', 'user-agent'];
  if (format === 'suricata-dataset') return EXPORT_INDICATOR_TYPES.filter((t) => DATASET_KIND[t]);
  if (format === 'zeek') return EXPORT_INDICATOR_TYPES.filter((t) => ZEEK_TYPE[t]);
  if (format === 'rpz') return [...IP, ...NAME];
  return EDL_LISTS[format].flatMap((list) => list.types);
}

/** These formats hold one kind of value per file, so the caller must say which (opts.type). */
export function exportNeedsType(format: ExportFormat): boolean {
  return format === 'plain' || format === 'suricata-dataset' || format === 'edl-paloalto' || format === 'edl-fortinet';
}

const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
const CONTROL_ALL = /[\p{Cc}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/gu;

/** Free text for a comment or a Suricata msg: control, line-separator and bidi-override characters become spaces. */
function flat(text: string, max = 200): string {
  return Array.from(text.replace(CONTROL_ALL, ' ')).slice(0, max).join('');
}

function hexValue(type: T, value: string): string | null {
  const n = HEX[type];
  return n !== undefined && value.length === n && /^[0-9a-f]+$/i.test(value) ? value.toLowerCase() : null;
}

/**
 * 'https://evil.test/a?b#c' → 'evil.test/a?b': the form Zeek's Intel::URL (host + URI, as Zeek builds it
 * from HTTP) and PAN-OS URL lists expect. The fragment never reaches a server. A bare host gets '/',
 * which is also what stops PAN-OS from matching 'evil.test' as a prefix of 'evil.test.example'.
 */
function urlWithoutScheme(value: string): string | null {
  if (CONTROL.test(value)) return null;
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#\s]+)([^#]*)/i.exec(value);
  if (!m?.[1]) return null;
  const rest = m[2] ?? '';
  return `${m[1]}${rest.startsWith('/') ? rest : `/${rest}`}`;
}

// ---------------------------------------------------------------------------------------------- Suricata

/**
 * A content string: printable ASCII except the characters the rule language gives meaning to
 * ('"', ';', '\\', '|', and ':' which the Suricata manual lists too) goes literally; every other byte
 * of the UTF-8 value as |hex|. Lossless, and nothing can end the option or the rule early.
 */
export function suricataContent(value: string): string {
  let out = '';
  let hex: string[] = [];
  for (const b of new TextEncoder().encode(value)) {
    if (b >= 0x20 && b <= 0x7e && !'"\\;:|'.includes(String.fromCharCode(b))) {
      if (hex.length) out += `|${hex.join(' ')}|`;
      hex = [];
      out += String.fromCharCode(b);
    } else hex.push(b.toString(16).toUpperCase().padStart(2, '0'));
  }
  return hex.length ? `${out}|${hex.join(' ')}|` : out;
}

/** msg text: flattened to one line; '\\', '"' and ';' escaped with a backslash, the only escapes msg takes. */
export function suricataMsg(text: string): string {
  return flat(text).replace(/[\\";]/g, (c) => `\\${c}`);
}

const byteLength = (s: string) => new TextEncoder().encode(s).length;

/**
 * Header and detection options for one row, or null when Suricata rules are not the place for it.
 * Addresses: '$HOME_NET any <> ip any', so traffic in either direction between the home network and
 * the indicator alerts (an inbound scan as much as an outbound beacon). Names: the DNS query, with
 * dotprefix so 'evil.test' matches itself and its subdomains but not 'notevil.test'. URLs: exact
 * http.host (which Suricata lower-cases and strips of the port) and the URI as prefix; an https URL
 * only matches where TLS is inspected. File hashes are for datasets/filemd5 lists, not rules.
 */
function suricataDetection(row: ExportRow): { header: string; options: string[] } | null {
  if (IP.includes(row.type)) {
    const ip = ipIndicator(row.value);
    return ip && { header: `ip $HOME_NET any <> ${ip.text} any`, options: [] };
  }
  if (NAME.includes(row.type)) {
    const name = ldhName(row.value);
    return name === null ? null : { header: 'dns any any -> any any', options: ['dns.query;', 'dotprefix;', `content:"${suricataContent(`.${name}`)}";`, 'nocase;', 'endswith;'] };
  }
  if (row.type === 'url') {
    let url: URL;
    try {
      // WHATWG URL silently drops tabs and newlines, which would change the indicator.
      if (CONTROL.test(row.value)) return null;
      url = new URL(row.value);
    } catch {
      return null;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
    const host = url.hostname;
    return {
      header: 'http $HOME_NET any -> any any',
      options: ['flow:established,to_server;', 'http.host;', `content:"${suricataContent(host)}";`, `bsize:${byteLength(host)};`, 'http.uri;', `content:"${suricataContent(url.pathname + url.search)}";`, 'startswith;'],
    };
  }
  if (row.type === 'ja3') {
    const md5 = hexValue('ja3', row.value);
    return md5 === null ? null : { header: 'tls $HOME_NET any -> any any', options: ['ja3.hash;', `content:"${md5}";`] };
  }
  if (row.type === 'user-agent' && row.value !== '') {
    // bsize pins the match to the whole header value, not any user agent containing it.
    return { header: 'http $HOME_NET any -> any any', options: ['flow:established,to_server;', 'http.user_agent;', `content:"${suricataContent(row.value)}";`, `bsize:${byteLength(row.value)};`] };
  }
  return null;
}

function suricataRule(row: ExportRow, sidBase: number): string | null {
  const sid = sidBase + row.seq;
  if (!Number.isSafeInteger(row.seq) || row.seq < 1 || sid > 0xffffffff) return null;
  const detection = suricataDetection(row);
  if (!detection) return null;
  const confidence = Number.isFinite(row.confidence) ? Math.max(0, Math.min(100, Math.round(row.confidence))) : 0;
  const options = [
    `msg:"${suricataMsg(`Wachtpost ZDN ${row.type} ${row.eventTitle}`)}";`,
    ...detection.options,
    `metadata:tlp ${row.tlp}, confidence ${confidence};`,
    `sid:${sid};`,
    'rev:1;',
  ];
  return `alert ${detection.header} (${options.join(' ')})`;
}

// ---------------------------------------------------------------------------------------------- Zeek

export const ZEEK_FIELDS = ['indicator', 'indicator_type', 'meta.source', 'meta.desc', 'meta.url'] as const;

/**
 * One Zeek input field. Empty is '-' (unset). Tabs, line breaks (U+2028 too) and other control characters are written
 * as \xNN rather than blanked: Zeek's ASCII reader decodes \xNN in string fields, so the indicator
 * survives exactly. For the same reason a backslash is \x5c, and a leading '#' (Zeek skips such lines
 * as comments) and a field that is exactly '-' or '(empty)' get their first character escaped.
 */
export function zeekField(text: string): string {
  if (text === '') return '-';
  // Per UTF-8 byte, since Zeek decodes \xNN to one byte (U+0085 is two).
  let out = text.replace(/[\\\p{Cc}\p{Zl}\p{Zp}]/gu, (c) => Array.from(new TextEncoder().encode(c), (b) => `\\x${b.toString(16).padStart(2, '0')}`).join(''));
  if (out.startsWith('#') || out === '-' || out === '(empty)') out = `\\x${out.charCodeAt(0).toString(16)}${out.slice(1)}`;
  return out;
}

function zeekIndicator(row: ExportRow): [string, string] | null {
  const zeekType = ZEEK_TYPE[row.type];
  if (!zeekType) return null;
  if (IP.includes(row.type)) {
    const ip = ipIndicator(row.value);
    return ip && [ip.text, ip.text.includes('/') ? 'Intel::SUBNET' : 'Intel::ADDR'];
  }
  const value = HEX[row.type] ? hexValue(row.type, row.value) : row.type === 'url' ? urlWithoutScheme(row.value) : row.value;
  return value ? [value, zeekType] : null;
}

// ---------------------------------------------------------------------------------------------- EDL

/** One EDL entry. Entries never hold whitespace or control characters (firewalls split lines on them). */
function edlEntry(format: 'edl-paloalto' | 'edl-fortinet', row: ExportRow): string | null {
  let entry: string | null = null;
  if (IP.includes(row.type)) entry = ipIndicator(row.value)?.text ?? null;
  else if (NAME.includes(row.type)) entry = ldhName(row.value);
  else if (HASH.includes(row.type)) entry = hexValue(row.type, row.value);
  else if (row.type === 'url') {
    // PAN-OS URL lists take no scheme; FortiGate category feeds take the URL as is. Both read '*' (and
    // PAN-OS '^') as wildcards, which would widen the entry, so such URLs are skipped.
    const fortinet = /^https?:\/\/[^/?#]+[^#]*/i.exec(row.value)?.[0] ?? null;
    entry = format === 'edl-paloalto' ? urlWithoutScheme(row.value) : fortinet;
    if (entry && /[*^]/.test(entry)) entry = null;
  }
  return entry && !/[\s\p{Cc}]/u.test(entry) ? entry : null;
}

// ---------------------------------------------------------------------------------------------- assembly

/** Lines for one row; an empty list means the row is skipped. */
type LinesFor = (row: ExportRow) => readonly string[];

function one(line: string | null): readonly string[] {
  return line === null ? [] : [line];
}

function datasetLine(type: T, value: string): string | null {
  const kind = DATASET_KIND[type];
  let line: string | null = null;
  if (kind === 'hex') line = hexValue(type, value);
  else if (kind === 'ipv4' || kind === 'ip') {
    // Datasets hold addresses, not ranges.
    const ip = ipIndicator(value);
    line = ip && !ip.text.includes('/') && (ip.range.version === 4) === (kind === 'ipv4') ? ip.text : null;
  } else if (kind === 'string') {
    const text = NAME.includes(type) ? ldhName(value) : type === 'ja3' ? hexValue(type, value) : value;
    line = text ? Buffer.from(text, 'utf8').toString('base64') : null;
  }
  return line !== null && line.length <= DATASET_LINE_MAX ? line : null;
}

const CSV_HEADER = ['id', 'type', 'value', 'tlp', 'confidence', 'valid_until', 'first_seen', 'last_seen', 'event', 'tags'];

interface Layout {
  /** Comment prefix, or null where the format has no comments. */
  comment: '#' | ';' | null;
  head: readonly string[];
  lines: LinesFor;
  mediaType: string;
  extension: string;
  newline: '\n' | '\r\n';
}

function layout(format: ExportFormat, opts: ExportOptions): Layout {
  const text = 'text/plain; charset=utf-8';
  switch (format) {
    case 'csv':
      // csvCell (src/lib/csv.ts) already quotes per RFC 4180 and prefixes ' to a cell starting with
      // = + - @ TAB or CR, so a spreadsheet never runs an indicator as a formula. No BOM: the
      // consumers are SIEMs and scripts, for which it would become part of the first column name.
      return {
        comment: null, head: [CSV_HEADER.join(',')], mediaType: 'text/csv; charset=utf-8', extension: 'csv', newline: '\r\n',
        lines: (r) => [[r.id, r.type, r.value, r.tlp, r.confidence, r.validUntil, r.firstSeen, r.lastSeen, r.eventTitle, r.tags.join(';')].map(csvCell).join(',')],
      };
    case 'plain':
      // A value with a line break would become two indicators; no comments, the consumer is unknown.
      return { comment: null, head: [], mediaType: text, extension: 'txt', newline: '\n', lines: (r) => one(r.value !== '' && !CONTROL.test(r.value) ? r.value : null) };
    case 'suricata': {
      const sidBase = opts.sidBase ?? 9_000_000;
      if (!Number.isSafeInteger(sidBase) || sidBase < 0) throw new RangeError('sidBase must be a non-negative integer.');
      return { comment: '#', head: [], mediaType: text, extension: 'rules', newline: '\n', lines: (r) => one(suricataRule(r, sidBase)) };
    }
    case 'suricata-dataset':
      return { comment: null, head: [], mediaType: text, extension: 'lst', newline: '\n', lines: (r) => one(datasetLine(r.type, r.value)) };
    case 'zeek':
      return {
        comment: '#', head: [`#fields\t${ZEEK_FIELDS.join('\t')}`], mediaType: text, extension: 'intel', newline: '\n',
        lines: (r) => {
          const indicator = zeekIndicator(r);
          const desc = `${r.eventTitle} (TLP:${r.tlp}, confidence ${r.confidence})`;
          return one(indicator && [indicator[0], indicator[1], opts.feedName, desc, ''].map(zeekField).join('\t'));
        },
      };
    case 'rpz': {
      const origin = rpzOrigin(opts.rpzOrigin);
      return { comment: ';', head: rpzHead(origin, opts.generatedAt), mediaType: text, extension: 'rpz', newline: '\n', lines: (r) => rpzRecords(r.type, r.value, origin) };
    }
    case 'edl-paloalto':
    case 'edl-fortinet':
      // No comment lines: PAN-OS documents comments only after an entry, FortiGate not at all.
      return { comment: null, head: [], mediaType: text, extension: 'txt', newline: '\n', lines: (r) => one(edlEntry(format, r)) };
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'wachtpost-zdn';
}

/** Renders the feed in one format. Throws RangeError for options a route should have refused (see exportTypes, exportNeedsType). */
export function renderExport(format: ExportFormat, rows: readonly ExportRow[], opts: ExportOptions): RenderedExport {
  const now = opts.generatedAt.getTime();
  if (Number.isNaN(now)) throw new RangeError('generatedAt is not a valid date.');
  const type = opts.type;
  if (exportNeedsType(format) && !type) throw new RangeError(`The ${format} format needs an indicator type.`);
  if (type && !exportTypes(format).includes(type)) throw new RangeError(`The ${format} format does not take type ${type}.`);
  const edl = format === 'edl-paloalto' || format === 'edl-fortinet' ? EDL_LISTS[format].find((list) => type && list.types.includes(type)) : undefined;
  const wanted = (t: T) => (edl ? edl.types.includes(t) : !type || t === type);

  const l = layout(format, opts);
  const lines: string[] = [];
  const seen = new Set<string>();
  let tlp: Tlp = 'CLEAR';
  let count = 0;
  for (const row of rows) {
    if (!wanted(row.type) || (row.validUntil !== null && row.validUntil.getTime() <= now)) continue;
    const out = l.lines(row);
    if (out.length === 0) continue;
    count++;
    if (tlpRank(row.tlp) > tlpRank(tlp)) tlp = row.tlp;
    for (const line of out) {
      if (seen.has(line)) continue;
      seen.add(line);
      lines.push(line);
    }
  }

  const marking = `TLP:${tlp}`;
  const comment = l.comment === null ? [] : [`${l.comment} ${flat(opts.feedName)} | generated ${opts.generatedAt.toISOString()} | ${marking} | ${count} indicators`];
  const body = [...comment, ...l.head, ...lines].map((line) => `${line}${l.newline}`).join('');
  // e.g. zdn-feed-paloalto-ip-tlp-amber-strict.txt
  const stem = [slug(opts.feedName), edl ? format.slice(4) : '', edl?.name ?? type ?? '', marking.toLowerCase().replace(/[:+]/g, '-')];
  const fileName = `${stem.filter(Boolean).join('-')}.${l.extension}`;
  return { body, mediaType: l.mediaType, fileName };
}
