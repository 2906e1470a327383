import { createHash } from 'node:crypto';
import type { Ctx } from '#server/context.ts';
import type { ItemChange, StoredProduct } from '#db/schema-intake.ts';
import { TLP_LEVELS, tlpRank, type Tlp } from '#lib/tlp.ts';
import { matchProduct, type DeclaredProduct } from '#modules/advisories/relevance.ts';
import { declaredProducts } from '#modules/advisories/relevance.repository.ts';
import { chooseStory, TITLE_WINDOW_DAYS } from './clustering.ts';
import type { FetchedItem } from './fetchers/types.ts';
import * as sources from './source.repository.ts';
import * as stories from './story.repository.ts';

/**
 * Items in, stories out: a fetched item is stored once per source and external id, joins the story
 * clustering.ts picks (or opens one), and its story's lists and enrichment are written again. An
 * item seen again unchanged costs one lookup; a changed one records what changed and makes its
 * story unread for everyone.
 */

const MAX_SUMMARY = 4000;

/** The participants' declared products, read once per run. */
export type Declared = { organisationId: string; product: DeclaredProduct }[];

export async function loadDeclared(ctx: Ctx): Promise<Declared> {
  const rows = await declaredProducts(ctx.db);
  return rows.flatMap((r) =>
    r.product
      ? [
          {
            organisationId: r.organisation_id,
            product: { vendor: r.product.vendor, product: r.product.product, version: r.product.version, cpe: r.product.cpe, purl: r.product.purl },
          },
        ]
      : [],
  );
}

const unique = (values: Iterable<string>) => [...new Set(values)].sort();
const uniqueCaseless = (values: Iterable<string>) => {
  const seen = new Map<string, string>();
  for (const v of values) if (v.trim() && !seen.has(v.trim().toLowerCase())) seen.set(v.trim().toLowerCase(), v.trim());
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
};

/** The stricter of two markings: an item never becomes more open than its source says. */
export function stricter(a: Tlp, b: Tlp | null): Tlp {
  return b !== null && tlpRank(b) > tlpRank(a) ? b : a;
}

function normalise(item: FetchedItem, sourceTlp: Tlp): stories.ItemValues {
  const products = dedupeProducts(item.products);
  return {
    sourceId: '',
    storyId: '',
    externalId: item.externalId.slice(0, 1000),
    url: item.url,
    title: (item.title.trim() || item.externalId).slice(0, 1000),
    summary: item.summary.slice(0, MAX_SUMMARY),
    publishedAt: item.publishedAt,
    updatedAt: item.updatedAt,
    revision: item.revision,
    cves: unique(item.cves.map((c) => c.toUpperCase())),
    advisoryIds: unique(item.advisoryIds),
    vendors: uniqueCaseless(item.vendors),
    products,
    tlp: stricter(sourceTlp, item.tlp),
    csaf: item.csaf ?? null,
    contentHash: '',
  };
}

function dedupeProducts(products: readonly StoredProduct[]): StoredProduct[] {
  const seen = new Map<string, StoredProduct>();
  for (const p of products) {
    const key = [p.vendor, p.product, p.versions ?? '', p.cpe ?? '', p.purl ?? ''].join('\u0000').toLowerCase();
    if (!seen.has(key)) seen.set(key, { vendor: p.vendor, product: p.product, versions: p.versions ?? null, cpe: p.cpe ?? null, purl: p.purl ?? null });
  }
  return [...seen.values()].slice(0, 500);
}

function contentHash(v: stories.ItemValues): string {
  const { title, summary, url, publishedAt, updatedAt, revision, cves, advisoryIds, vendors, products, tlp } = v;
  return createHash('sha256')
    .update(JSON.stringify({ title, summary, url, publishedAt, updatedAt, revision, cves, advisoryIds, vendors, products, tlp }))
    .digest('hex');
}

/** What changed between the stored item and the new one, in words an analyst reads. */
export function describeChange(before: stories.ItemRow, after: stories.ItemValues, sourceName: string): ItemChange {
  const fields: string[] = [];
  const parts: string[] = [];
  if (before.title !== after.title) fields.push('title');
  if (before.summary !== after.summary) fields.push('summary');
  if ((before.url ?? null) !== after.url) fields.push('url');
  if (before.tlp !== after.tlp) {
    fields.push('tlp');
    parts.push(`TLP:${before.tlp} → TLP:${after.tlp}`);
  }
  const added = after.cves.filter((c) => !before.cves.includes(c));
  const removed = before.cves.filter((c) => !after.cves.includes(c));
  if (added.length || removed.length) fields.push('cves');
  if (added.length) parts.push(`CVEs added: ${added.join(', ')}`);
  if (removed.length) parts.push(`CVEs removed: ${removed.join(', ')}`);
  if (JSON.stringify(before.products) !== JSON.stringify(after.products)) fields.push('products');
  if (JSON.stringify(before.vendors) !== JSON.stringify(after.vendors)) fields.push('vendors');
  if ((before.revision ?? null) !== after.revision) {
    fields.push('revision');
    parts.unshift(`revision ${before.revision ?? '?'} → ${after.revision ?? '?'}`);
  }
  const changed = fields.filter((f) => !['tlp', 'cves', 'revision'].includes(f));
  if (changed.length) parts.push(`changed: ${changed.join(', ')}`);
  return { at: new Date().toISOString(), fields, note: `${sourceName} updated "${after.title}": ${parts.join('; ') || 'details changed'}` };
}

export interface IngestCounts {
  newItems: number;
  updatedItems: number;
  storyIds: string[];
}

/** Stores a run's items (inside the run's transaction) and rewrites every story they touched. */
export async function ingestItems(ctx: Ctx, source: sources.SourceRow, items: readonly FetchedItem[], declared: Declared): Promise<IngestCounts> {
  const touched = new Map<string, string | null>();
  let newItems = 0;
  let updatedItems = 0;
  const now = new Date();
  for (const fetched of items) {
    const v = normalise(fetched, source.tlp);
    v.sourceId = source.id;
    v.contentHash = contentHash(v);
    const existing = await stories.findItem(ctx.db, source.id, v.externalId);
    if (existing) {
      if (existing.content_hash === v.contentHash) continue;
      const change = describeChange(existing, v, source.name);
      v.storyId = existing.story_id;
      await stories.updateItem(ctx.db, existing.id, v, [...existing.changes, change].slice(-20));
      touched.set(existing.story_id, change.note);
      updatedItems++;
      continue;
    }
    const candidates = await stories.candidateStories(ctx.db, v.cves, v.advisoryIds, TITLE_WINDOW_DAYS);
    const chosen = chooseStory(
      v,
      candidates.map((c) => ({ id: c.id, title: c.title, cves: c.cves, advisoryIds: c.advisory_ids, lastActivityAt: c.last_activity_at })),
      now,
    );
    v.storyId = chosen ? chosen.story.id : (await stories.insertStory(ctx.db, v.title)).id;
    await stories.insertItem(ctx.db, v);
    if (!touched.has(v.storyId) || touched.get(v.storyId) === null) touched.set(v.storyId, chosen ? `Also reported by ${source.name}: "${v.title}"` : null);
    newItems++;
  }
  for (const [storyId, note] of touched) await refreshStory(ctx, storyId, declared, { note });
  return { newItems, updatedItems, storyIds: [...touched.keys()] };
}

/** Which source's item speaks for a story: a CSAF document, then KEV, then whoever was first. */
const AUTHORITY: Record<string, number> = { csaf: 0, kev: 1, rss: 2, mailbox: 3, epss: 4 };

/** Recomputes a story from its items, the KEV and EPSS tables and the declared products. */
export async function refreshStory(ctx: Ctx, storyId: string, declared: Declared, activity: { note: string | null } | null): Promise<void> {
  const items = await stories.itemsOfStory(ctx.db, storyId);
  if (!items.length) return;
  const lead = [...items].sort((a, b) => (AUTHORITY[a.source_kind] ?? 9) - (AUTHORITY[b.source_kind] ?? 9))[0]!;
  const cves = unique(items.flatMap((i) => i.cves));
  const products = dedupeProducts(items.flatMap((i) => i.products));
  const kev = await sources.kevFor(ctx.db, cves);
  const epss = await sources.epssFor(ctx.db, cves);
  const top = epss.reduce<(typeof epss)[number] | null>((best, s) => (best === null || s.epss > best.epss ? s : best), null);
  const concerned = new Set<string>();
  for (const p of products)
    for (const d of declared) {
      if (concerned.has(d.organisationId)) continue;
      if (matchProduct({ vendor: p.vendor, name: p.product, versions: p.versions, cpe: p.cpe, purl: p.purl }, d.product).relevant)
        concerned.add(d.organisationId);
    }
  await stories.writeStory(
    ctx.db,
    storyId,
    {
      title: lead.title,
      summary: lead.summary,
      cves,
      advisoryIds: unique(items.flatMap((i) => i.advisory_ids)),
      vendors: uniqueCaseless(items.flatMap((i) => i.vendors)),
      products,
      sourceIds: unique(items.map((i) => i.source_id)),
      itemCount: items.length,
      tlp: items.reduce<Tlp>((t, i) => stricter(t, i.tlp), TLP_LEVELS[0]),
      kev: kev.length > 0,
      knownRansomware: kev.some((k) => k.known_ransomware),
      epssMax: top?.epss ?? null,
      epssPercentile: top?.percentile ?? null,
      concernedOrganisations: concerned.size,
    },
    activity,
  );
}

/** After a KEV or EPSS update: the stories whose CVEs it concerns are enriched again (not marked unread). */
export async function reenrich(ctx: Ctx, cves: readonly string[] | 'all'): Promise<number> {
  const declared = await loadDeclared(ctx);
  const ids = await stories.storiesWithCves(ctx.db, cves === 'all' ? await stories.allStoryCves(ctx.db) : cves);
  for (const id of ids) await refreshStory(ctx, id, declared, null);
  return ids.length;
}
