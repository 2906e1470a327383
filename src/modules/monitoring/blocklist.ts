import { parse as parseCsv } from 'csv-parse/sync';
import ipaddr from 'ipaddr.js';
import type { Severity } from '#db/schema-monitoring.ts';
import { ReportUnreadable, type ReportRow } from './report-rows.ts';

/**
 * Blocklist feeds as their publishers write them: Spamhaus DROP (JSON lines), abuse.ch URLhaus,
 * ThreatFox and Feodo Tracker (CSV with '#' comment lines), and plain lists of one value a line.
 * Every entry becomes a row naming an address (a CIDR by its network address), or a host name (a
 * URL by its host); which participant owns it is matchRows' business.
 */

export const FEED_FORMATS = ['spamhaus-drop', 'urlhaus-csv', 'threatfox-csv', 'feodo-csv', 'plain'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export interface FeedParse {
  rows: ReportRow[];
  failed: { line: number; raw: string; reason: string }[];
}

interface RowDefaults {
  type: string;
  severity: Severity;
  seenAt: number;
}

/** What one entry names: an address (with its CIDR when it was a network), or a host name. */
export type FeedTarget = { ip: string; host: ''; port: number; cidr?: string } | { ip: ''; host: string; port: number };

const HOST_NAME = /^(?=.{1,253}$)(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))*\.[a-z][a-z0-9-]{0,62}$/i;

function normaliseIp(value: string): string | null {
  const v = value.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(v)) return null;
  // Only the canonical dotted quad: "010.1.1.1" and "1.1" are not addresses a feed means.
  if (!v.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(v)) return null;
  return ipaddr.parse(v).toString();
}

/**
 * Reads one entry: an IPv4/IPv6 address, 'ip:port' or '[v6]:port', a CIDR (its network address), a
 * URL (its host and port), or a host name. Null when it is none of these.
 */
export function feedTarget(raw: string): FeedTarget | null {
  const value = raw.trim();
  if (!value) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    const inner = feedTarget(url.hostname);
    if (!inner || ('cidr' in inner && inner.cidr)) return null;
    return { ...inner, port: url.port ? Number(url.port) : 0 };
  }
  if (value.includes('/')) {
    try {
      const [addr, prefix] = ipaddr.parseCIDR(value);
      const network = addr.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(value) : ipaddr.IPv6.networkAddressFromCIDR(value);
      return { ip: network.toString(), host: '', port: 0, cidr: `${network.toString()}/${prefix}` };
    } catch {
      return null;
    }
  }
  const ip = normaliseIp(value);
  if (ip) return { ip, host: '', port: 0 };
  const withPort = /^(\[[0-9a-f:.]+\]|[^:]+):(\d{1,5})$/i.exec(value);
  if (withPort && Number(withPort[2]) <= 65535) {
    const inner = feedTarget(withPort[1]!);
    if (inner && !('cidr' in inner && inner.cidr)) return { ...inner, port: Number(withPort[2]) };
    return null;
  }
  const host = value.toLowerCase().replace(/\.$/, '');
  return HOST_NAME.test(host) ? { ip: '', host, port: 0 } : null;
}

const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 500)}…` : s);

class Collector {
  readonly out: FeedParse = { rows: [], failed: [] };
  constructor(private readonly d: RowDefaults) {}

  add(line: number, raw: string, value: string, evidence: Record<string, string>, port?: number): void {
    const target = feedTarget(value);
    if (!target) {
      this.out.failed.push({ line, raw: clip(raw), reason: `'${clip(value)}' is not an address, network, URL or host name.` });
      return;
    }
    const cidr = 'cidr' in target && target.cidr ? target.cidr : undefined;
    const ev = { ...evidence, ...(cidr ? { cidr } : {}) };
    this.out.rows.push({
      ...(cidr ? { cidr } : {}),
      line,
      ip: target.ip,
      host: target.host,
      asn: null,
      port: port ?? target.port,
      seenAt: this.d.seenAt,
      type: this.d.type,
      severity: this.d.severity,
      evidence: ev,
    });
  }
}

/** Spamhaus DROP/EDROP/DROPv6 as JSON lines; the closing `{"type":"metadata",…}` line is not an entry. */
function spamhausDrop(text: string, c: Collector): void {
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      c.out.failed.push({ line: i + 1, raw: clip(raw), reason: 'Not a JSON line.' });
      return;
    }
    if (!obj || typeof obj !== 'object') return void c.out.failed.push({ line: i + 1, raw: clip(raw), reason: 'Not a JSON object.' });
    const o = obj as Record<string, unknown>;
    if (o.type === 'metadata') return;
    if (typeof o.cidr !== 'string') return void c.out.failed.push({ line: i + 1, raw: clip(raw), reason: 'No "cidr" in the line.' });
    const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
    c.add(i + 1, raw, o.cidr, { sblid: text(o.sblid), rir: text(o.rir) });
  });
}

/** Parses a CSV body whose comment lines start with '#'; records keep their 1-based line numbers. */
function csvRecords(text: string): { line: number; raw: string; cells: string[] }[] {
  const lines = text.split(/\r?\n/);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      comment: '#',
      comment_no_infix: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as never;
  } catch (err) {
    throw new ReportUnreadable(`The feed is not valid CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  return records.map((r) => ({ line: r.info.lines, raw: lines[r.info.lines - 1] ?? r.record.join(','), cells: r.record }));
}

function csvFeed(text: string, c: Collector, columns: readonly string[], value: (cells: Record<string, string>) => { value: string; port?: number }): void {
  for (const r of csvRecords(text)) {
    // A header row that is not commented out names the first column.
    if (r.cells[0]?.toLowerCase() === columns[0]) continue;
    if (r.cells.length < columns.length - 2) {
      c.out.failed.push({ line: r.line, raw: clip(r.raw), reason: `Expected ${columns.length} columns, found ${r.cells.length}.` });
      continue;
    }
    const cells = Object.fromEntries(columns.map((name, i) => [name, r.cells[i] ?? '']));
    const v = value(cells);
    const evidence = Object.fromEntries(Object.entries(cells).filter(([, x]) => x !== ''));
    c.add(r.line, r.raw, v.value, evidence, v.port);
  }
}

const URLHAUS = ['id', 'dateadded', 'url', 'url_status', 'last_online', 'threat', 'tags', 'urlhaus_link', 'reporter'];
const THREATFOX = [
  'first_seen_utc',
  'ioc_id',
  'ioc_value',
  'ioc_type',
  'threat_type',
  'fk_malware',
  'malware_alias',
  'malware_printable',
  'last_seen_utc',
  'confidence_level',
  'reference',
  'tags',
  'anonymous',
  'reporter',
];
const FEODO = ['first_seen_utc', 'dst_ip', 'dst_port', 'c2_status', 'last_online', 'malware'];

const port = (s: string | undefined) => (s && /^\d{1,5}$/.test(s) && Number(s) <= 65535 ? Number(s) : undefined);

/** One value a line; '#' (and ';') start a comment; anything after the first blank is a remark. */
function plain(text: string, c: Collector): void {
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) return;
    const [value, ...rest] = line.split(/[\s,]+/);
    c.add(i + 1, raw, value!, rest.length ? { remark: rest.join(' ') } : {});
  });
}

/** Reads a feed into rows (and the lines it could not read, with the reason). */
export function parseFeed(format: FeedFormat, text: string, defaults: RowDefaults): FeedParse {
  const c = new Collector(defaults);
  const body = text.replace(/^\uFEFF/, '');
  switch (format) {
    case 'spamhaus-drop':
      spamhausDrop(body, c);
      break;
    case 'urlhaus-csv':
      csvFeed(body, c, URLHAUS, (r) => ({ value: r.url! }));
      break;
    case 'threatfox-csv':
      csvFeed(body, c, THREATFOX, (r) => ({ value: r.ioc_value! }));
      break;
    case 'feodo-csv':
      csvFeed(body, c, FEODO, (r) => ({ value: r.dst_ip!, port: port(r.dst_port) }));
      break;
    case 'plain':
      plain(body, c);
      break;
  }
  return c.out;
}
