import type { Ctx } from '#server/context.ts';
import type { AssetProduct } from '#db/schema.ts';
import type { AdvisoryContent } from './advisory.content.ts';
import { relevantProducts, type DeclaredProduct } from './relevance.ts';
import * as repo from './relevance.repository.ts';
import { parseStoredContent } from './advisory.service.ts';

/**
 * "Relevant to you": which participant organisations a product concerns, stored so that the portal
 * list filters on it in SQL. Computed at publication, and again for one organisation when its
 * declared products change.
 */

function declared(p: AssetProduct): DeclaredProduct {
  return { vendor: p.vendor, product: p.product, version: p.version ?? null, cpe: p.cpe ?? null, purl: p.purl ?? null };
}

function byOrganisation(rows: { organisation_id: string; product: AssetProduct | null }[]): Map<string, DeclaredProduct[]> {
  const map = new Map<string, DeclaredProduct[]>();
  for (const r of rows) {
    if (!r.product) continue;
    map.set(r.organisation_id, [...(map.get(r.organisation_id) ?? []), declared(r.product)]);
  }
  return map;
}

export async function computeRelevantOrganisations(ctx: Ctx, content: AdvisoryContent): Promise<string[]> {
  if (content.products.length === 0) return [];
  const orgs = byOrganisation(await repo.declaredProducts(ctx.db));
  return [...orgs.entries()].filter(([, products]) => relevantProducts(content, products).length > 0).map(([orgId]) => orgId);
}

/** Rebuilds one organisation's relevance over every published product (after its assets change). */
export async function refreshRelevanceForOrganisation(ctx: Ctx, organisationId: string): Promise<number> {
  const products = byOrganisation(await repo.declaredProducts(ctx.db, organisationId)).get(organisationId) ?? [];
  const hits: string[] = [];
  if (products.length) {
    let after: string | null = null;
    for (;;) {
      const batch = await repo.publishedContents(ctx.db, after, 500);
      for (const row of batch) if (relevantProducts(parseStoredContent(row.content), products).length > 0) hits.push(row.id);
      if (batch.length < 500) break;
      after = batch[batch.length - 1]?.id ?? null;
    }
  }
  await repo.replaceRelevanceForOrganisation(ctx.db, organisationId, hits);
  return hits.length;
}
