import type { Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

/* The SQL of disclosure (advisory and CVE record from a case) and of CVD delegation (security.txt). */

export async function setAdvisory(db: Kysely<DB>, caseId: string, productId: string): Promise<void> {
  await db.updateTable('cvd_cases').set({ advisory_id: productId, updated_at: new Date() }).where('id', '=', caseId).execute();
}

/** The case's advisory as the CVE record needs it: identity, marking and its current (published) revision. */
export async function advisoryForRecord(db: Kysely<DB>, productId: string) {
  return db
    .selectFrom('products as p')
    .leftJoin('product_revisions as r', (j) => j.onRef('r.product_id', '=', 'p.id').onRef('r.revision', '=', 'p.current_revision'))
    .select(['p.id', 'p.identifier', 'p.tlp', 'p.current_revision', 'p.first_published_at', 'p.published_at', 'p.withdrawn_at', 'r.csaf_path', 'r.content'])
    .where('p.id', '=', productId)
    .executeTakeFirst();
}

export async function organisationForDelegation(db: Kysely<DB>, id: string) {
  return db.selectFrom('organisations').select(['id', 'name', 'kind', 'cvd_delegated']).where('id', '=', id).executeTakeFirst();
}

export async function setDelegated(db: Kysely<DB>, id: string, delegated: boolean): Promise<void> {
  await db.updateTable('organisations').set({ cvd_delegated: delegated, updated_at: new Date() }).where('id', '=', id).execute();
}

/** The organisation's approved domains (whole names, no wildcards), oldest first: where its security.txt will live. */
export async function approvedDomains(db: Kysely<DB>, organisationId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('assets')
    .select('value')
    .where('organisation_id', '=', organisationId)
    .where('type', '=', 'domain')
    .where('status', '=', 'approved')
    .where('value', 'not like', '%*%')
    .orderBy('created_at')
    .orderBy('value')
    .limit(limit)
    .execute();
  return rows.map((r) => r.value);
}

export async function certName(db: Kysely<DB>): Promise<string | null> {
  const row = await db.selectFrom('organisations').select('name').where('kind', '=', 'cert').executeTakeFirst();
  return row?.name ?? null;
}
