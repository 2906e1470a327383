import type { Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

/* Which participant organisations a published product is relevant to (product_relevance), and what it is matched on. */

/** Approved product assets of participant organisations: what relevance is matched against. */
export async function declaredProducts(db: Kysely<DB>, organisationId?: string) {
  let q = db
    .selectFrom('assets as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.organisation_id', 'a.product'])
    .where('a.type', '=', 'product')
    .where('a.status', '=', 'approved')
    .where('o.kind', '=', 'participant');
  if (organisationId) q = q.where('a.organisation_id', '=', organisationId);
  return q.execute();
}

export async function isRelevant(db: Kysely<DB>, productId: string, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('product_relevance')
    .select('product_id')
    .where('product_id', '=', productId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function replaceRelevance(db: Kysely<DB>, productId: string, organisationIds: string[]) {
  await db.deleteFrom('product_relevance').where('product_id', '=', productId).execute();
  if (organisationIds.length)
    await db
      .insertInto('product_relevance')
      .values(organisationIds.map((o) => ({ product_id: productId, organisation_id: o })))
      .execute();
}

export async function replaceRelevanceForOrganisation(db: Kysely<DB>, organisationId: string, productIds: string[]) {
  await db.deleteFrom('product_relevance').where('organisation_id', '=', organisationId).execute();
  if (productIds.length)
    await db
      .insertInto('product_relevance')
      .values(productIds.map((p) => ({ product_id: p, organisation_id: organisationId })))
      .execute();
}

/** Current revisions' content of all published products, in batches (relevance rebuild). */
export async function publishedContents(db: Kysely<DB>, afterId: string | null, limit: number) {
  let q = db
    .selectFrom('products as p')
    .innerJoin('product_revisions as r', (j) => j.onRef('r.product_id', '=', 'p.id').onRef('r.revision', '=', 'p.current_revision'))
    .select(['p.id', 'r.content'])
    .where('p.status', '!=', 'withdrawn')
    .orderBy('p.id')
    .limit(limit);
  if (afterId) q = q.where('p.id', '>', afterId);
  return q.execute();
}

export async function relevantOrganisationsOf(db: Kysely<DB>, productId: string): Promise<string[]> {
  const rows = await db.selectFrom('product_relevance').select('organisation_id').where('product_id', '=', productId).execute();
  return rows.map((r) => r.organisation_id);
}
