import { z } from 'zod';
import { TLP_LEVELS, tlpRank, type Tlp } from '#lib/tlp.ts';
import { DIGEST_ENTRY_KINDS, DIGEST_KINDS } from '#db/schema-digests.ts';
import { PRODUCT_KINDS, type ProductKind } from '#modules/advisories/advisory.content.ts';
import type { MarkedObject } from '#modules/access/policy.ts';

/**
 * What a digest says, independent of who reads it: the texts, the entries in the editor's order
 * (each with the marking that decides who may see it) and, for a month, the figures from our own
 * data. The mail, the preview and the portal all cut their reader's version out of this with
 * `versionFor`; what was sent is this, frozen (the snapshot), plus the recipient counts.
 */

export const DigestEntryContent = z.object({
  id: z.string(),
  kind: z.enum(DIGEST_ENTRY_KINDS),
  productId: z.string().nullable(),
  productKind: z.enum(PRODUCT_KINDS).nullable(),
  identifier: z.string().nullable(),
  title: z.string(),
  titleEn: z.string().nullable(),
  summary: z.string(),
  summaryEn: z.string().nullable(),
  url: z.string().nullable(),
  sourceName: z.string(),
  tlp: z.enum(TLP_LEVELS),
  /** The named organisations of the marking (AMBER and up): for the policy, never shown to a reader. */
  recipients: z.array(z.string()),
  ownerOrganisationId: z.string(),
  urgency: z.enum(['urgent', 'normal']).nullable(),
  vendors: z.array(z.string()),
  publishedAt: z.string().nullable(),
  /** A product first published before the period, with a new revision in it. */
  updated: z.boolean(),
});
export type DigestEntryContent = z.infer<typeof DigestEntryContent>;

const Count = z.number().int().min(0);
export const ConstituencyFigures = z.object({
  monitoring: z.object({ opened: Count, resolved: Count }),
  zdn: z.object({ indicatorsAdded: Count, sightings: Count }),
  /** Incident cases opened in the month by RSIT class; numbers only, never an organisation. */
  incidents: z.array(z.object({ category: z.string(), count: Count })),
});
export type ConstituencyFigures = z.infer<typeof ConstituencyFigures>;

export const DigestContent = z.object({
  digestId: z.string(),
  kind: z.enum(DIGEST_KINDS),
  period: z.string(),
  title: z.string(),
  titleEn: z.string(),
  introduction: z.string(),
  commentary: z.string(),
  entries: z.array(DigestEntryContent),
  figures: ConstituencyFigures.nullable(),
  certName: z.string(),
  /** The digest's page in the portal. */
  archiveUrl: z.string(),
});
export type DigestContent = z.infer<typeof DigestContent>;

export const RecipientSummary = z.object({ contacts: Count, organisations: Count, encrypted: Count, held: Count, classes: Count, withoutEntries: Count });
export type RecipientSummary = z.infer<typeof RecipientSummary>;

/** The snapshot kept at sending: the content as it went out and how many it reached. */
export const DigestSnapshot = z.object({ content: DigestContent, recipients: RecipientSummary, sentAt: z.string() });
export type DigestSnapshot = z.infer<typeof DigestSnapshot>;

/** The marking of an entry as the policy reads it. */
export function markingOf(e: Pick<DigestEntryContent, 'tlp' | 'ownerOrganisationId' | 'recipients'>): MarkedObject {
  return { tlp: e.tlp, ownerOrganisationId: e.ownerOrganisationId, recipients: e.recipients.map((organisationId) => ({ organisationId, userId: null })) };
}

/** One reader's version: only the entries they may see, in the editor's order. */
export function versionFor(content: DigestContent, allowedEntryIds: ReadonlySet<string>): DigestContent {
  return { ...content, entries: content.entries.filter((e) => allowedEntryIds.has(e.id)) };
}

/** The marking a version carries as a whole: the strictest of its entries (CLEAR when it has none). */
export function versionTlp(content: DigestContent): Tlp {
  return content.entries.reduce<Tlp>((max, e) => (tlpRank(e.tlp) > tlpRank(max) ? e.tlp : max), 'CLEAR');
}

export interface ProductFigures {
  byKind: Record<ProductKind, number>;
  advisoriesByUrgency: { urgent: number; normal: number };
  topVendors: { vendor: string; count: number }[];
}

/**
 * Figures about the products of a version, counted from the entries that reader may see: a reader
 * never learns from a count or a vendor name that there was a product they could not read.
 */
export function productFigures(content: DigestContent, topN = 5): ProductFigures {
  const products = content.entries.filter((e) => e.kind === 'product' && e.productKind);
  const byKind: Record<ProductKind, number> = { advisory: 0, info: 0, alert: 0 };
  const urgency = { urgent: 0, normal: 0 };
  const vendors = new Map<string, number>();
  for (const p of products) {
    byKind[p.productKind!]++;
    if (p.productKind === 'advisory') urgency[p.urgency ?? 'normal']++;
    for (const v of new Set(p.vendors.map((x) => x.trim()).filter(Boolean))) vendors.set(v, (vendors.get(v) ?? 0) + 1);
  }
  const topVendors = [...vendors.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, topN)
    .map(([vendor, count]) => ({ vendor, count }));
  return { byKind, advisoriesByUrgency: urgency, topVendors };
}
