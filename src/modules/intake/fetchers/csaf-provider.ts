import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { createMessage, readKeys, readSignature, verify, type Key, type PublicKey } from 'openpgp';
import { z } from 'zod';
import { fromCsafTlp } from '#modules/advisories/csaf/csaf-tlp.ts';
import { describeIssues, getJson, getOk } from './http.ts';
import { clipText, extractAdvisoryIds, extractCves, htmlToText, isCveId, looksLikeHtml, normaliseWhitespace } from './text.ts';
import type { FetchOutcome, FetchedItem, FetchedProduct, HttpGet } from './types.ts';

/**
 * CSAF 2.0 provider reader (CSAF 2.0 §7.1 requirements 7, 11–20; §7.3 retrieval).
 *
 * `source.url` is a provider's provider-metadata.json, or an aggregator's aggregator.json, whose
 * `csaf_providers[].metadata.url` are read one by one. Each distribution is read through its ROLIE
 * feeds (`rolie.feeds[].url`) when it has them, else through its `directory_url` and the
 * changes.csv there. Every document to take is fetched with its hash file (.sha512 preferred, else
 * .sha256) and its detached armored signature (.asc); it is taken only when the hash matches and the
 * signature verifies with a key of the provider: a key pinned on the source, or else the keys in
 * `public_openpgp_keys[]`, each of which must carry the listed fingerprint. A document that fails a
 * check is skipped with a warning and tried again on every later run until it passes.
 *
 * Which documents are fetched: per listing (ROLIE feed or directory), the cursor keeps the newest
 * release date seen ("high-water mark"), the documents taken within LOOKBACK_DAYS of it with the
 * date they were listed with, and the documents that failed a check. A listed document is fetched
 * when it failed before, or when its listed date differs from the one it was taken with and lies
 * no more than LOOKBACK_DAYS before the high-water mark (or there is no mark yet). So an updated
 * document (new current_release_date, or ROLIE `updated`) is fetched again, an unchanged one is not,
 * and a document that appears late with a slightly older date is still found, while the cursor
 * stays small for providers with tens of thousands of documents. The mark never goes beyond a day
 * from now, so a document dated in the future cannot hide the ones published after it. At most `maxDocuments` documents
 * are fetched per run, oldest first; the rest follow on the next runs.
 */

// ------------------------------------------------------------------------------------------------
// Cursor

/** Per listing: see the module comment. Dates are ISO 8601 strings as the listing gave them. */
export interface CsafListingCursor {
  /** The newest listed date of a document taken or tried; null before the first. */
  highWater: string | null;
  /** Document URL → listed date it was taken with (only dates within LOOKBACK_DAYS of highWater). */
  seen: Record<string, string>;
  /** Document URL → listed date of a document that failed a check; fetched again on every run. */
  failed: Record<string, string>;
}

export interface CsafCursor {
  version: 1;
  /** provider-metadata.json URL → its listings (ROLIE feed URL or changes.csv URL → cursor). */
  providers: Record<string, { listings: Record<string, CsafListingCursor> }>;
}

const ListingCursorSchema = z.object({
  highWater: z.string().nullable(),
  seen: z.record(z.string(), z.string()),
  failed: z.record(z.string(), z.string()),
});
export const CsafCursorSchema = z.object({
  version: z.literal(1),
  providers: z.record(z.string(), z.object({ listings: z.record(z.string(), ListingCursorSchema) })),
});

/** How far before the high-water mark a newly listed document is still looked at. */
export const LOOKBACK_DAYS = 30;
const LOOKBACK_MS = LOOKBACK_DAYS * 86_400_000;
const FUTURE_TOLERANCE_MS = 86_400_000;
/** Documents fetched per run by default (each costs three requests). */
export const DEFAULT_MAX_DOCUMENTS = 500;
const CONCURRENCY = 4;
const MAX_PRODUCTS = 1000;

export interface CsafSource {
  /** provider-metadata.json, or an aggregator.json. */
  url: string;
  /** Armored public keys pinned on the source: when given, only these verify signatures. */
  publicKeys?: string[];
}

export interface ReadCsafOptions {
  /** The most documents fetched in one run (default 500); the rest follow on the next runs. */
  maxDocuments?: number;
}

// ------------------------------------------------------------------------------------------------
// Outside formats (as far as they are read)

const ProviderMetadata = z.object({
  canonical_url: z.string().optional(),
  distributions: z
    .array(
      z.object({
        directory_url: z.string().optional(),
        rolie: z.object({ feeds: z.array(z.object({ url: z.string(), tlp_label: z.string().optional(), summary: z.string().optional() })) }).optional(),
      }),
    )
    .optional(),
  public_openpgp_keys: z.array(z.object({ url: z.string(), fingerprint: z.string().optional() })).optional(),
  publisher: z.object({ name: z.string(), category: z.string().optional(), namespace: z.string().optional() }),
  role: z.string().optional(),
});
type ProviderMetadata = z.infer<typeof ProviderMetadata>;

const Aggregator = z.object({
  aggregator: z.object({ name: z.string().optional() }),
  csaf_providers: z.array(z.object({ metadata: z.object({ url: z.string() }) })),
});

const RolieLink = z.object({ rel: z.string(), href: z.string() });
const RolieFeed = z.object({
  feed: z.object({
    entry: z
      .array(
        z.object({
          id: z.string().optional(),
          link: z.array(RolieLink).optional(),
          updated: z.string().optional(),
          published: z.string().optional(),
          content: z.object({ src: z.string().optional(), type: z.string().optional() }).optional(),
        }),
      )
      .optional(),
  }),
});

const CsafCore = z.object({
  document: z.object({
    category: z.string(),
    csaf_version: z.string(),
    title: z.string().min(1),
    publisher: z.object({ name: z.string(), category: z.string() }),
    tracking: z.object({
      id: z.string().min(1),
      version: z.string(),
      initial_release_date: z.string(),
      current_release_date: z.string(),
      aliases: z.array(z.string()).optional(),
    }),
    distribution: z.object({ text: z.string().optional(), tlp: z.object({ label: z.string() }).optional() }).optional(),
    notes: z.array(z.object({ category: z.string(), text: z.string(), title: z.string().optional() })).optional(),
    references: z.array(z.object({ url: z.string(), summary: z.string().optional() })).optional(),
  }),
  product_tree: z.unknown().optional(),
  vulnerabilities: z
    .array(z.object({ cve: z.string().optional(), ids: z.array(z.object({ system_name: z.string(), text: z.string() })).optional() }))
    .optional(),
});
type CsafCore = z.infer<typeof CsafCore>;

// ------------------------------------------------------------------------------------------------
// Helpers

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
const fileName = (url: string): string => {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url) || url;
  } catch {
    return url;
  }
};
const normaliseFingerprint = (f: string): string => f.replace(/\s+/g, '').toUpperCase();
const timeOf = (iso: string): number => Date.parse(iso);
const isoDate = (s: string | undefined): Date | null => {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t);
};

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ------------------------------------------------------------------------------------------------
// Keys

/** Reads armored (or binary) public keys; the private parts, if any, are dropped. */
async function readPublicKeys(data: Buffer | string): Promise<PublicKey[]> {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const keys: Key[] = text.includes('-----BEGIN PGP')
    ? await readKeys({ armoredKeys: text })
    : await readKeys({ binaryKeys: new Uint8Array(typeof data === 'string' ? Buffer.from(data, 'latin1') : data) });
  return keys.map((k) => k.toPublic());
}

async function pinnedKeys(armored: readonly string[]): Promise<PublicKey[]> {
  const keys: PublicKey[] = [];
  for (const [i, a] of armored.entries()) {
    try {
      keys.push(...(await readPublicKeys(a)));
    } catch (err) {
      throw new Error(`The OpenPGP key pinned on the source (number ${i + 1}) cannot be read: ${reasonOf(err)}.`);
    }
  }
  return keys;
}

/**
 * The provider's keys from public_openpgp_keys[]: each fetched key must have the listed fingerprint.
 * Throws when no key is usable (every document would fail).
 */
async function providerKeys(get: HttpGet, meta: ProviderMetadata, base: URL, metadataUrl: string, warnings: string[]): Promise<PublicKey[]> {
  const listed = meta.public_openpgp_keys ?? [];
  if (!listed.length) throw new Error(`The CSAF provider ${metadataUrl} lists no OpenPGP key (public_openpgp_keys) and no key is pinned on the source: signatures cannot be checked.`);
  const usable: PublicKey[] = [];
  const problems: string[] = [];
  for (const entry of listed) {
    const keyUrl = new URL(entry.url, base).href;
    if (!entry.fingerprint) {
      problems.push(`the key ${keyUrl} is listed without a fingerprint and is not used (pin it on the source instead)`);
      continue;
    }
    const wanted = normaliseFingerprint(entry.fingerprint);
    try {
      const res = await getOk(get, keyUrl, 'OpenPGP key');
      const keys = await readPublicKeys(res.body);
      const match = keys.find((k) => k.getFingerprint().toUpperCase() === wanted);
      if (match) usable.push(match);
      else problems.push(`the key at ${keyUrl} has fingerprint ${keys.map((k) => k.getFingerprint().toUpperCase()).join(', ') || '(none)'}, not the listed ${wanted}: refused`);
    } catch (err) {
      problems.push(`the key ${keyUrl} could not be read: ${reasonOf(err)}`);
    }
  }
  if (!usable.length) throw new Error(`No usable OpenPGP key for the CSAF provider ${metadataUrl}: ${problems.join('; ')}.`);
  for (const p of problems) warnings.push(`CSAF provider ${metadataUrl}: ${p}.`);
  return usable;
}

// ------------------------------------------------------------------------------------------------
// Listings

interface ListedDocument {
  url: string;
  date: string;
  time: number;
  /** Hash files to try, best first. */
  hashUrls: string[];
  signatureUrl: string;
}

interface Listing {
  /** The ROLIE feed URL, or the changes.csv URL. */
  key: string;
  kind: 'rolie' | 'directory';
  documents: ListedDocument[];
}

const hashRank = (url: string): number => (/\.sha512$/i.test(url) ? 0 : /\.sha256$/i.test(url) ? 1 : 2);

/** Keeps each URL once, with its newest date. */
function dedupeListed(docs: ListedDocument[]): ListedDocument[] {
  const byUrl = new Map<string, ListedDocument>();
  for (const d of docs) {
    const known = byUrl.get(d.url);
    if (!known || d.time > known.time) byUrl.set(d.url, d);
  }
  return [...byUrl.values()];
}

async function readRolieListing(get: HttpGet, feedUrl: string, warnings: string[]): Promise<Listing> {
  const { json, url: base } = await getJson(get, feedUrl, 'ROLIE feed');
  const parsed = RolieFeed.safeParse(json);
  if (!parsed.success) throw new Error(`The ROLIE feed ${feedUrl} is not a ROLIE feed: ${describeIssues(parsed.error.issues)}.`);
  const documents: ListedDocument[] = [];
  for (const [i, entry] of (parsed.data.feed.entry ?? []).entries()) {
    const label = entry.id ? `entry ${entry.id}` : `entry ${i + 1}`;
    const links = entry.link ?? [];
    const src = entry.content?.src ?? links.find((l) => l.rel === 'self')?.href;
    const date = entry.updated ?? entry.published;
    if (!src || !date || Number.isNaN(timeOf(date))) {
      warnings.push(`ROLIE feed ${feedUrl}: ${label} skipped: it has no ${!src ? 'document link (content.src or rel "self")' : 'readable "updated" date'}.`);
      continue;
    }
    let url: string;
    try {
      url = new URL(src, base).href;
    } catch {
      warnings.push(`ROLIE feed ${feedUrl}: ${label} skipped: its document link "${src}" is not a URL.`);
      continue;
    }
    const resolve = (href: string) => {
      try {
        return new URL(href, base).href;
      } catch {
        return null;
      }
    };
    const hashUrls = links
      .filter((l) => l.rel === 'hash')
      .map((l) => resolve(l.href))
      .filter((h): h is string => h !== null)
      .sort((a, b) => hashRank(a) - hashRank(b));
    const signature = links.find((l) => l.rel === 'signature');
    documents.push({
      url,
      date,
      time: timeOf(date),
      hashUrls: hashUrls.length ? hashUrls : [`${url}.sha512`, `${url}.sha256`],
      signatureUrl: (signature && resolve(signature.href)) ?? `${url}.asc`,
    });
  }
  return { key: feedUrl, kind: 'rolie', documents: dedupeListed(documents) };
}

async function readDirectoryListing(get: HttpGet, directoryUrl: string, warnings: string[]): Promise<Listing> {
  const dir = new URL(directoryUrl.endsWith('/') ? directoryUrl : `${directoryUrl}/`);
  const changesUrl = new URL('changes.csv', dir).href;
  const res = await getOk(get, changesUrl, 'changes.csv');
  let rows: string[][];
  try {
    rows = parseCsv(res.body.toString('utf8'), { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new Error(`The changes.csv ${changesUrl} cannot be read: ${reasonOf(err)}.`);
  }
  const documents: ListedDocument[] = [];
  rows.forEach((row, i) => {
    const [path, date] = row;
    if (!path || !date || Number.isNaN(timeOf(date))) {
      warnings.push(`changes.csv ${changesUrl}: line ${i + 1} skipped: it is not "path","current_release_date".`);
      return;
    }
    let url: URL;
    try {
      url = new URL(path, dir);
    } catch {
      warnings.push(`changes.csv ${changesUrl}: line ${i + 1} skipped: "${path}" is not a path.`);
      return;
    }
    if (!url.href.startsWith(dir.href)) {
      warnings.push(`changes.csv ${changesUrl}: line ${i + 1} skipped: "${path}" lies outside the directory ${dir.href}.`);
      return;
    }
    documents.push({ url: url.href, date, time: timeOf(date), hashUrls: [`${url.href}.sha512`, `${url.href}.sha256`], signatureUrl: `${url.href}.asc` });
  });
  return { key: changesUrl, kind: 'directory', documents: dedupeListed(documents) };
}

// ------------------------------------------------------------------------------------------------
// Checking one document

type Checked = { ok: true; item: FetchedItem } | { ok: false; reason: string };

async function checkHash(get: HttpGet, doc: ListedDocument, body: Buffer): Promise<string | null> {
  const tried: string[] = [];
  for (const hashUrl of doc.hashUrls) {
    let res;
    try {
      res = await get(hashUrl);
    } catch (err) {
      tried.push(`${fileName(hashUrl)}: ${reasonOf(err)}`);
      continue;
    }
    if (res.status !== 200) {
      tried.push(`${fileName(hashUrl)}: HTTP ${res.status}`);
      continue;
    }
    const first = res.body.toString('utf8').trim().split(/\s+/)[0] ?? '';
    const algorithm = /\.sha512$/i.test(hashUrl) ? 'sha512' : /\.sha256$/i.test(hashUrl) ? 'sha256' : first.length === 128 ? 'sha512' : first.length === 64 ? 'sha256' : null;
    const expectedLength = algorithm === 'sha512' ? 128 : 64;
    if (!algorithm || !/^[0-9a-fA-F]+$/.test(first) || first.length !== expectedLength) return `the hash file ${fileName(hashUrl)} holds no ${algorithm?.toUpperCase() ?? 'SHA-512 or SHA-256'} digest`;
    const actual = createHash(algorithm).update(body).digest('hex');
    if (actual !== first.toLowerCase()) return `the ${algorithm === 'sha512' ? 'SHA-512' : 'SHA-256'} hash in ${fileName(hashUrl)} does not match the document`;
    return null;
  }
  return `no hash file could be fetched (${tried.join('; ')})`;
}

async function checkSignature(get: HttpGet, doc: ListedDocument, body: Buffer, keys: PublicKey[]): Promise<string | null> {
  const name = fileName(doc.signatureUrl);
  let armored: string;
  try {
    armored = (await getOk(get, doc.signatureUrl, 'signature')).body.toString('utf8');
  } catch (err) {
    return `the signature ${name} could not be fetched (${reasonOf(err).replace(/^Could not fetch the signature \S+: /, '')})`;
  }
  try {
    const result = await verify({
      message: await createMessage({ binary: new Uint8Array(body) }),
      signature: await readSignature({ armoredSignature: armored }),
      verificationKeys: keys,
    });
    const outcomes = await Promise.all(
      result.signatures.map((s) =>
        s.verified.then(
          () => null,
          (err: unknown) => reasonOf(err),
        ),
      ),
    );
    if (outcomes.some((o) => o === null)) return null;
    return `the signature ${name} does not verify with the provider's key${keys.length > 1 ? 's' : ''} (${outcomes.filter((o): o is string => o !== null).join('; ') || 'no signature in the file'})`;
  } catch (err) {
    return `the signature ${name} cannot be read: ${reasonOf(err)}`;
  }
}

async function checkDocument(get: HttpGet, doc: ListedDocument, keys: PublicKey[]): Promise<Checked> {
  let body: Buffer;
  try {
    body = (await getOk(get, doc.url, 'CSAF document', { accept: 'application/json' })).body;
  } catch (err) {
    return { ok: false, reason: `it could not be fetched (${reasonOf(err).replace(/^Could not fetch the CSAF document \S+: /, '')})` };
  }
  const hashProblem = await checkHash(get, doc, body);
  if (hashProblem) return { ok: false, reason: hashProblem };
  const signatureProblem = await checkSignature(get, doc, body, keys);
  if (signatureProblem) return { ok: false, reason: signatureProblem };
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `it is not JSON (${reasonOf(err)})` };
  }
  const parsed = CsafCore.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `it is not a CSAF document (${describeIssues(parsed.error.issues)})` };
  return { ok: true, item: csafItem(parsed.data, json, doc.url) };
}

// ------------------------------------------------------------------------------------------------
// CSAF document → item

const rec = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

interface BranchContext {
  vendor?: string;
  family?: string;
  name?: string;
  version?: string;
  extras: string[];
}

/**
 * Vendors and products of a product tree. Branches are walked: vendor, product_family / product_name
 * (the product), product_version / product_version_range (the versions; deeper levels such as
 * service_pack or architecture are added to them); every leaf is a product with its CPE and purl as
 * written. full_product_names are added with the fallback vendor; relationships are left out (they
 * combine products already listed). Unique, at most MAX_PRODUCTS.
 */
export function csafProducts(tree: unknown, fallbackVendor: string): { vendors: string[]; products: FetchedProduct[] } {
  const vendors = new Set<string>();
  const products = new Map<string, FetchedProduct>();
  const add = (fpn: unknown, ctx: BranchContext) => {
    const p = rec(fpn);
    if (!p || products.size >= MAX_PRODUCTS) return;
    const helper = rec(p.product_identification_helper);
    const product: FetchedProduct = {
      vendor: ctx.vendor ?? fallbackVendor,
      product: ctx.name ?? ctx.family ?? str(p.name) ?? str(p.product_id) ?? 'Unknown product',
      versions: [ctx.version, ...ctx.extras].filter((x): x is string => x !== undefined).join(' ') || null,
      cpe: str(helper?.cpe),
      purl: str(helper?.purl),
    };
    const key = JSON.stringify(product);
    if (!products.has(key)) products.set(key, product);
  };
  const walk = (branches: unknown, ctx: BranchContext, depth: number) => {
    if (depth > 30) return;
    for (const b of arr(branches)) {
      const branch = rec(b);
      const name = str(branch?.name);
      if (!branch || !name) continue;
      const next: BranchContext = { ...ctx, extras: [...ctx.extras] };
      switch (branch.category) {
        case 'vendor':
          next.vendor = name;
          vendors.add(name);
          break;
        case 'product_family':
          next.family = name;
          break;
        case 'product_name':
          next.name = name;
          break;
        case 'product_version':
        case 'product_version_range':
          next.version = name;
          break;
        default:
          next.extras.push(name);
      }
      if (branch.product) add(branch.product, next);
      walk(branch.branches, next, depth + 1);
    }
  };
  const t = rec(tree);
  walk(t?.branches, { extras: [] }, 0);
  for (const fpn of arr(t?.full_product_names)) add(fpn, { extras: [] });
  for (const p of products.values()) vendors.add(p.vendor);
  vendors.delete(UNKNOWN_VENDOR);
  return { vendors: [...vendors].sort(), products: [...products.values()] };
}

const UNKNOWN_VENDOR = 'Unknown vendor';

function csafItem(doc: CsafCore, raw: unknown, url: string): FetchedItem {
  const d = doc.document;
  const noteText = (d.notes ?? [])
    .filter((n) => n.category === 'summary' || n.category === 'description')
    .map((n) => (looksLikeHtml(n.text) ? htmlToText(n.text) : normaliseWhitespace(n.text)))
    .filter((t) => t !== '')
    .join('\n\n');
  const vulnerabilities = doc.vulnerabilities ?? [];
  const cveText = vulnerabilities.flatMap((v) => [v.cve ?? '', ...(v.ids ?? []).map((i) => i.text)]).join('\n');
  const idText = [...(d.references ?? []).flatMap((r) => [r.url, r.summary ?? '']), ...vulnerabilities.flatMap((v) => (v.ids ?? []).map((i) => i.text))].join('\n');
  const aliases = (d.tracking.aliases ?? []).map((a) => a.trim()).filter((a) => a !== '' && !isCveId(a.toUpperCase()));
  const advisoryIds = [...new Set([d.tracking.id.trim(), ...aliases, ...extractAdvisoryIds(idText)])].sort();
  const fallbackVendor = d.publisher.category === 'vendor' ? d.publisher.name : UNKNOWN_VENDOR;
  const { vendors, products } = csafProducts(doc.product_tree, fallbackVendor);
  return {
    externalId: d.tracking.id.trim(),
    url,
    title: clipText(normaliseWhitespace(d.title), 500),
    summary: clipText(noteText),
    publishedAt: isoDate(d.tracking.initial_release_date),
    updatedAt: isoDate(d.tracking.current_release_date),
    cves: extractCves(cveText),
    advisoryIds,
    vendors,
    products,
    tlp: fromCsafTlp(d.distribution?.tlp?.label, d.distribution?.text),
    csaf: raw,
    revision: d.tracking.version,
  };
}

// ------------------------------------------------------------------------------------------------
// Provider and aggregator

const emptyListingCursor = (): CsafListingCursor => ({ highWater: null, seen: {}, failed: {} });

function isCandidate(doc: ListedDocument, lc: CsafListingCursor): boolean {
  if (lc.failed[doc.url] !== undefined) return true;
  if (lc.seen[doc.url] === doc.date) return false;
  if (lc.highWater === null) return true;
  return doc.time >= timeOf(lc.highWater) - LOOKBACK_MS;
}

interface RunState {
  get: HttpGet;
  budget: number;
  warnings: string[];
  items: FetchedItem[];
  /** Document URLs already handled in this run (a document listed twice is fetched once). */
  handled: Map<string, Checked>;
}

/** Reads one provider; returns its new listing cursors. Throws when the provider cannot be read at all. */
async function readProvider(
  run: RunState,
  metadataUrl: string,
  pinned: PublicKey[] | null,
  old: Record<string, CsafListingCursor>,
  preloaded?: { json: unknown; url: URL },
): Promise<Record<string, CsafListingCursor>> {
  const { get, warnings } = run;
  const { json, url: base } = preloaded ?? (await getJson(get, metadataUrl, 'CSAF provider metadata'));
  const parsed = ProviderMetadata.safeParse(json);
  if (!parsed.success) throw new Error(`The CSAF provider metadata ${metadataUrl} is not valid: ${describeIssues(parsed.error.issues)}.`);
  const meta = parsed.data;
  const keys = pinned ?? (await providerKeys(get, meta, base, metadataUrl, warnings));

  // Listings: ROLIE feeds where a distribution has them, else its directory.
  const listingRefs: { kind: 'rolie' | 'directory'; url: string }[] = [];
  for (const dist of meta.distributions ?? []) {
    if (dist.rolie?.feeds.length) for (const f of dist.rolie.feeds) listingRefs.push({ kind: 'rolie', url: new URL(f.url, base).href });
    else if (dist.directory_url) listingRefs.push({ kind: 'directory', url: new URL(dist.directory_url, base).href });
  }
  if (!listingRefs.length) throw new Error(`The CSAF provider metadata ${metadataUrl} lists no ROLIE feed and no directory_url.`);

  const listings: Listing[] = [];
  const failedListings: string[] = [];
  const next: Record<string, CsafListingCursor> = {};
  for (const ref of listingRefs) {
    try {
      listings.push(ref.kind === 'rolie' ? await readRolieListing(get, ref.url, warnings) : await readDirectoryListing(get, ref.url, warnings));
    } catch (err) {
      failedListings.push(reasonOf(err));
      // Keep what we knew about this listing, so the next run starts from there.
      const key = ref.kind === 'rolie' ? ref.url : new URL('changes.csv', ref.url.endsWith('/') ? ref.url : `${ref.url}/`).href;
      if (old[key]) next[key] = old[key];
    }
  }
  if (!listings.length) throw new Error(`No listing of the CSAF provider ${metadataUrl} could be read: ${failedListings.join('; ')}.`);
  for (const f of failedListings) warnings.push(`${f}.`);

  // Candidates of all listings, oldest first, within the run's budget.
  const candidates = new Map<string, ListedDocument>();
  for (const l of listings) {
    const lc = old[l.key] ?? emptyListingCursor();
    for (const d of l.documents) if (!run.handled.has(d.url) && isCandidate(d, lc) && !candidates.has(d.url)) candidates.set(d.url, d);
  }
  const ordered = [...candidates.values()].sort((a, b) => a.time - b.time || a.url.localeCompare(b.url));
  const now = ordered.slice(0, Math.max(0, run.budget));
  run.budget -= now.length;
  if (ordered.length > now.length) warnings.push(`CSAF provider ${metadataUrl}: ${ordered.length - now.length} more documents are fetched on the next run.`);

  const results = await mapLimit(now, CONCURRENCY, (d) => checkDocument(get, d, keys));
  now.forEach((d, i) => {
    const r = results[i]!;
    run.handled.set(d.url, r);
    if (r.ok) run.items.push(r.item);
    else warnings.push(`${d.url}: skipped: ${r.reason}.`);
  });

  for (const l of listings) {
    const lc = old[l.key] ?? emptyListingCursor();
    let hw = lc.highWater !== null ? timeOf(lc.highWater) : Number.NEGATIVE_INFINITY;
    const seen: Record<string, string> = {};
    const failed: Record<string, string> = {};
    for (const d of l.documents) {
      const r = run.handled.get(d.url);
      if (r) {
        hw = Math.max(hw, d.time);
        if (r.ok) seen[d.url] = d.date;
        else failed[d.url] = d.date;
      } else if (lc.failed[d.url] !== undefined) failed[d.url] = lc.failed[d.url]!;
      else if (lc.seen[d.url] !== undefined) seen[d.url] = lc.seen[d.url]!;
    }
    // A document dated in the future (a provider's clock or typo) must not lift the mark past today,
    // or every document published afterwards would look too old.
    hw = Math.min(hw, Date.now() + FUTURE_TOLERANCE_MS);
    for (const [u, date] of Object.entries(seen)) if (timeOf(date) < hw - LOOKBACK_MS) delete seen[u];
    next[l.key] = { highWater: Number.isFinite(hw) ? new Date(hw).toISOString() : null, seen, failed };
  }
  return next;
}

/**
 * Reads a CSAF provider (or every provider of an aggregator) and returns the documents that are new
 * or changed since `cursor` and passed the hash and signature checks. Throws (with the URL and the
 * reason) when nothing could be read; problems with single documents, listings or, for an
 * aggregator, single providers are warnings.
 */
export async function readCsafProvider(
  get: HttpGet,
  source: CsafSource,
  cursor: CsafCursor | null,
  options: ReadCsafOptions = {},
): Promise<FetchOutcome<CsafCursor>> {
  const warnings: string[] = [];
  let previous: CsafCursor = { version: 1, providers: {} };
  if (cursor !== null) {
    const parsed = CsafCursorSchema.safeParse(cursor);
    if (parsed.success) previous = parsed.data;
    else warnings.push(`The stored cursor of ${source.url} was not understood; the provider is read from the start.`);
  }
  const pinned = source.publicKeys?.length ? await pinnedKeys(source.publicKeys) : null;
  const first = await getJson(get, source.url, 'CSAF provider metadata or aggregator');
  const json = first.json;
  const run: RunState = { get, budget: options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS, warnings, items: [], handled: new Map() };
  const next: CsafCursor = { version: 1, providers: {} };

  const aggregator = Aggregator.safeParse(json);
  if (rec(json)?.aggregator !== undefined) {
    if (!aggregator.success) throw new Error(`The CSAF aggregator ${source.url} is not valid: ${describeIssues(aggregator.error.issues)}.`);
    const providerUrls = [...new Set(aggregator.data.csaf_providers.map((p) => new URL(p.metadata.url, source.url).href))];
    const problems: string[] = [];
    for (const url of providerUrls) {
      const old = previous.providers[url]?.listings ?? {};
      try {
        next.providers[url] = { listings: await readProvider(run, url, pinned, old) };
      } catch (err) {
        problems.push(reasonOf(err));
        if (previous.providers[url]) next.providers[url] = previous.providers[url];
      }
    }
    if (providerUrls.length && problems.length === providerUrls.length) throw new Error(`No provider of the CSAF aggregator ${source.url} could be read: ${problems.join('; ')}.`);
    for (const p of problems) warnings.push(`${p}.`);
  } else {
    const url = new URL(source.url).href;
    next.providers[url] = { listings: await readProvider(run, url, pinned, previous.providers[url]?.listings ?? {}, first) };
  }
  return { items: run.items, cursor: next, warnings };
}
