import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { getOk } from './http.ts';
import { clipText, decodeEntities, extractAdvisoryIds, extractCves, htmlToText, looksLikeHtml, normaliseWhitespace } from './text.ts';
import type { FetchOutcome, FetchedItem, HttpGet } from './types.ts';

/**
 * RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds → items. The XML is refused whole when it declares a
 * DOCTYPE or entities (entity expansion, "billion laughs", and external entities); it is parsed with
 * fast-xml-parser, namespace prefixes dropped, with the text-bearing elements kept raw so that
 * CDATA, escaped HTML and Atom's text/html/xhtml types are each decoded exactly once.
 *
 * The cursor keeps a short hash of every entry's content (title, summary, link) per externalId, for
 * the entries of the last feed plus the most recent older ones up to FEED_CURSOR_SIZE: an entry is
 * returned when it is new or its content changed, and an entry that drops out of the feed and comes
 * back unchanged is not returned again while it is remembered.
 */

export interface FeedCursorEntry {
  id: string;
  /** Hash of title, summary and link. */
  hash: string;
}

export interface FeedCursor {
  version: 1;
  /** Most recent first: the entries of the last feed read, then older ones. */
  entries: FeedCursorEntry[];
}

export const FeedCursorSchema = z.object({
  version: z.literal(1),
  entries: z.array(z.object({ id: z.string(), hash: z.string() })),
});

/** How many entries the cursor remembers (at least; all entries of the last feed are kept). */
export const FEED_CURSOR_SIZE = 500;
/** The most entries one feed is read for. */
const MAX_ENTRIES = 5000;

export class FeedRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedRefused';
  }
}

// ------------------------------------------------------------------------------------------------
// XML

/** The text-bearing elements kept raw by the parser and decoded here. */
const TEXT_ELEMENTS = ['title', 'description', 'summary', 'content', 'encoded', 'subtitle'];

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  stopNodes: TEXT_ELEMENTS.map((e) => `*.${e}`),
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
});

/** Refuses a document type declaration or entity declaration anywhere outside CDATA and comments. */
export function refuseEntityDeclarations(xml: string, where: string): void {
  const outside = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  if (/<!DOCTYPE/i.test(outside) || /<!ENTITY/i.test(outside))
    throw new FeedRefused(`The feed ${where} was refused: it declares a DOCTYPE or entities, which feeds do not need and which can expand without bound ("billion laughs") or read other resources.`);
}

/** XML character data: CDATA sections verbatim, the rest with the XML entities and character references decoded. */
function xmlText(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const start = raw.indexOf('<![CDATA[', i);
    if (start < 0) {
      out += decodeXml(raw.slice(i));
      break;
    }
    out += decodeXml(raw.slice(i, start));
    const end = raw.indexOf(']]>', start + 9);
    out += raw.slice(start + 9, end < 0 ? raw.length : end);
    i = end < 0 ? raw.length : end + 3;
  }
  return out;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeXml(s: string): string {
  return s.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g, (whole, dec?: string, hex?: string, name?: string) => {
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : hex !== undefined ? Number.parseInt(hex, 16) : -1;
    if (name !== undefined) return XML_ENTITIES[name] ?? whole;
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD';
  });
}

type Node = Record<string, unknown>;
const rec = (v: unknown): Node | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : null);
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The raw text of an element (a string, or an object with "#text" when it has attributes). */
function rawOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const r = rec(v);
  if (r && typeof r['#text'] === 'string') return r['#text'];
  if (r && (typeof r['#text'] === 'number' || typeof r['#text'] === 'boolean')) return String(r['#text']);
  return null;
}
const attr = (v: unknown, name: string): string | null => {
  const a = rec(v)?.[`@_${name}`];
  return typeof a === 'string' ? decodeXml(a) : null;
};

/** Plain text of a kept-raw element. `html`: the content is HTML (escaped or in CDATA); `xhtml`: inline XHTML markup. */
function textOf(v: unknown, kind: 'text' | 'html' | 'xhtml'): string {
  const raw = rawOf(Array.isArray(v) ? v[0] : v);
  if (raw === null) return '';
  switch (kind) {
    case 'xhtml':
      return htmlToText(raw);
    case 'html':
      return htmlToText(xmlText(raw));
    case 'text': {
      // Plain text by definition, but feeds put escaped markup and HTML entities in titles too: no markup survives.
      const text = decodeEntities(xmlText(raw));
      return looksLikeHtml(text) ? htmlToText(text) : normaliseWhitespace(text);
    }
  }
}

/** Atom's type attribute → how to read the element. */
function atomKind(v: unknown): 'text' | 'html' | 'xhtml' {
  const t = attr(Array.isArray(v) ? v[0] : v, 'type')?.toLowerCase() ?? 'text';
  return t === 'html' || t === 'text/html' ? 'html' : t === 'xhtml' || t === 'application/xhtml+xml' ? 'xhtml' : 'text';
}

/** A plain text element (guid, id, link, dates). */
function plain(v: unknown): string | null {
  const first = list(v).find((x) => rawOf(x) !== null);
  const raw = first === undefined ? null : rawOf(first);
  if (raw === null) return null;
  const t = xmlText(raw).trim();
  return t === '' ? null : t;
}

// ------------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const ZONES: Record<string, number> = { UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7 };
const RFC822 =
  /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?$/;
const ISO8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** RFC 822 / RFC 2822 (RSS 2.0) and ISO 8601 / RFC 3339 (Atom, Dublin Core); null when unreadable. A date without zone is UTC. */
export function parseFeedDate(input: string | null | undefined): Date | null {
  if (!input) return null;
  const s = input.trim();
  const r = RFC822.exec(s);
  if (r) {
    const month = MONTHS[r[2]!.toLowerCase()];
    if (month === undefined) return null;
    let year = Number(r[3]);
    if (r[3]!.length === 2) year += year < 50 ? 2000 : 1900;
    const zone = r[7] ?? 'GMT';
    let offsetMin: number;
    if (/^[+-]\d{4}$/.test(zone)) offsetMin = (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
    else {
      const hours = ZONES[zone.toUpperCase()];
      offsetMin = (hours ?? 0) * 60; // military and unknown zones: UTC (RFC 2822 §4.3)
    }
    const t = Date.UTC(year, month, Number(r[1]), Number(r[4]), Number(r[5]), Number(r[6] ?? 0)) - offsetMin * 60_000;
    return validDate(t, Number(r[1]), Number(r[4]), Number(r[5]), Number(r[6] ?? 0));
  }
  const m = ISO8601.exec(s);
  if (m) {
    const zone = m[8] ?? 'Z';
    let offsetMin = 0;
    if (zone.toUpperCase() !== 'Z') {
      const digits = zone.slice(1).replace(':', '');
      offsetMin = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
    }
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms) - offsetMin * 60_000;
    if (Number(m[2]) < 1 || Number(m[2]) > 12) return null;
    return validDate(t, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  }
  return null;
}

function validDate(t: number, day: number, hour: number, minute: number, second: number): Date | null {
  if (!Number.isFinite(t) || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  return new Date(t);
}

// ------------------------------------------------------------------------------------------------
// Entries

interface Entry {
  externalId: string | null;
  url: string | null;
  title: string;
  summary: string;
  publishedAt: Date | null;
  updatedAt: Date | null;
}

function absolute(href: string | null, base: URL): string | null {
  if (!href) return null;
  try {
    const u = new URL(href, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function rssEntry(item: Node, base: URL): Entry {
  // With prefixes removed, an atom:link inside an item becomes an object among the link strings.
  const link = absolute(plain(list(item.link).filter((l) => typeof l === 'string' || rec(l)?.['#text'] !== undefined)), base);
  const guid = plain(item.guid);
  const description = item.description !== undefined ? textOf(item.description, 'html') : '';
  const summary = description || (item.encoded !== undefined ? textOf(item.encoded, 'html') : '');
  const published = parseFeedDate(plain(item.pubDate) ?? plain(item.date) ?? plain(item.issued) ?? plain(item.created));
  const modified = parseFeedDate(plain(item.modified) ?? plain(item.updated));
  return {
    externalId: guid ?? attr(item, 'about') ?? null,
    url: link ?? (attr(item.guid, 'isPermaLink') !== 'false' && guid && /^https?:\/\//i.test(guid) ? absolute(guid, base) : null) ?? absolute(attr(item, 'about'), base),
    title: item.title !== undefined ? textOf(item.title, 'text') : '',
    summary,
    publishedAt: published,
    updatedAt: modified ?? published,
  };
}

function atomEntry(entry: Node, base: URL): Entry {
  const links = list(entry.link);
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
  const summary = entry.summary !== undefined ? textOf(entry.summary, atomKind(entry.summary)) : '';
  const content = entry.content !== undefined && attr(Array.isArray(entry.content) ? entry.content[0] : entry.content, 'src') === null ? textOf(entry.content, atomKind(entry.content)) : '';
  const updated = parseFeedDate(plain(entry.updated));
  return {
    externalId: plain(entry.id),
    url: absolute(attr(alternate, 'href'), base),
    title: entry.title !== undefined ? textOf(entry.title, atomKind(entry.title)) : '',
    summary: summary || content,
    publishedAt: parseFeedDate(plain(entry.published)) ?? updated,
    updatedAt: updated,
  };
}

/** Parses a feed document; throws FeedRefused when it is not RSS or Atom, or declares entities. */
export function parseFeed(xml: string, url: string): { format: 'rss2' | 'rss1' | 'atom'; entries: Entry[] } {
  refuseEntityDeclarations(xml, url);
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (err) {
    throw new FeedRefused(`The feed ${url} is not well-formed XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const base = new URL(url);
  const rss = rec(doc.rss);
  if (rss) {
    const channel = rec(list(rss.channel)[0]);
    return { format: 'rss2', entries: list(channel?.item).slice(0, MAX_ENTRIES).map((i) => rssEntry(rec(i) ?? {}, base)) };
  }
  const rdf = rec(doc.RDF);
  if (rdf) {
    const channel = rec(list(rdf.channel)[0]);
    const items = [...list(rdf.item), ...list(channel?.item)];
    return { format: 'rss1', entries: items.slice(0, MAX_ENTRIES).map((i) => rssEntry(rec(i) ?? {}, base)) };
  }
  const feed = rec(doc.feed);
  if (feed) return { format: 'atom', entries: list(feed.entry).slice(0, MAX_ENTRIES).map((e) => atomEntry(rec(e) ?? {}, base)) };
  throw new FeedRefused(`The document at ${url} is not an RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 feed: its root element is <${Object.keys(doc).find((k) => !k.startsWith('?')) ?? 'nothing'}>.`);
}

const contentHash = (e: Entry): string => createHash('sha256').update(JSON.stringify([e.title, e.summary, e.url])).digest('hex').slice(0, 16);

/**
 * Reads an RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 feed and returns the entries that are new or changed
 * since `cursor`. externalId is the guid (RSS) or id (Atom), else the link; summary is the
 * description / summary / content as plain text; CVEs and advisory ids come from title and summary.
 */
export async function readFeed(get: HttpGet, url: string, cursor: FeedCursor | null): Promise<FetchOutcome<FeedCursor>> {
  const warnings: string[] = [];
  let previous: FeedCursorEntry[] = [];
  if (cursor !== null) {
    const parsed = FeedCursorSchema.safeParse(cursor);
    if (parsed.success) previous = parsed.data.entries;
    else warnings.push(`The stored cursor of the feed ${url} was not understood; every entry is taken again.`);
  }
  const res = await getOk(get, url, 'feed', { accept: 'application/atom+xml, application/rss+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.8' });
  const { entries } = parseFeed(res.body.toString('utf8'), res.url.href);
  const known = new Map(previous.map((e) => [e.id, e.hash]));
  const items: FetchedItem[] = [];
  const current: FeedCursorEntry[] = [];
  const inFeed = new Set<string>();
  entries.forEach((e, i) => {
    const externalId = e.externalId ?? e.url;
    if (!externalId) {
      warnings.push(`Feed ${url}: entry ${i + 1}${e.title ? ` ("${clipText(e.title, 80)}")` : ''} skipped: it has no guid, id or link.`);
      return;
    }
    if (inFeed.has(externalId)) return;
    inFeed.add(externalId);
    const hash = contentHash(e);
    current.push({ id: externalId, hash });
    if (known.get(externalId) === hash) return;
    const text = `${e.title}\n${e.summary}`;
    items.push({
      externalId,
      url: e.url,
      title: clipText(e.title || e.url || externalId, 500),
      summary: clipText(e.summary),
      publishedAt: e.publishedAt,
      updatedAt: e.updatedAt,
      cves: extractCves(text),
      advisoryIds: extractAdvisoryIds(text),
      vendors: [],
      products: [],
      tlp: null,
      csaf: null,
      revision: null,
    });
  });
  const older = previous.filter((e) => !inFeed.has(e.id)).slice(0, Math.max(0, FEED_CURSOR_SIZE - current.length));
  return { items, cursor: { version: 1, entries: [...current, ...older] }, warnings };
}
