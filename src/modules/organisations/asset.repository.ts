import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';
import type { NormalisedAsset } from './asset-normalise.ts';

const assetColumns = [
  'a.id',
  'a.organisation_id',
  'o.name as organisation_name',
  'a.type',
  'a.value',
  'a.include_subdomains',
  'a.product',
  'a.status',
  'a.reject_reason',
  'a.created_at',
  'a.decided_at',
  'a.range_start',
  'a.range_end',
] as const;

function assets(db: Kysely<DB>) {
  return db.selectFrom('assets as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select(assetColumns);
}
export type AssetListRow = Awaited<ReturnType<ReturnType<typeof assets>['execute']>>[number];

export async function findAsset(db: Kysely<DB>, id: string) {
  return assets(db).where('a.id', '=', id).executeTakeFirst();
}

export async function listForOrganisation(db: Kysely<DB>, organisationId: string) {
  return assets(db).where('a.organisation_id', '=', organisationId).orderBy('a.type').orderBy('a.value').execute();
}

export async function listByStatus(db: Kysely<DB>, q: { scope: readonly string[] | null; status?: string | undefined; cursor?: string | undefined; limit: number }) {
  let query = assets(db).select(cursorTimestamp('a.created_at').as('cursor_at'));
  if (q.scope) query = q.scope.length ? query.where('a.organisation_id', 'in', q.scope) : query.where(sql<boolean>`false`);
  if (q.status) query = query.where('a.status', '=', q.status as 'proposed');
  const after = decodeCursor(q.cursor);
  if (after) query = query.where(sql<boolean>`(a.created_at, a.id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  // Oldest first: the approvals queue is worked from the front.
  const rows = await query.orderBy('a.created_at', 'asc').orderBy('a.id', 'asc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

export async function duplicateOf(db: Kysely<DB>, organisationId: string, a: NormalisedAsset) {
  return db
    .selectFrom('assets')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('type', '=', a.type)
    .where('value', '=', a.value)
    .where('status', '!=', 'rejected')
    .executeTakeFirst();
}

/**
 * Claims by other organisations that cover the same addresses or names: overlapping IP ranges, the
 * same AS number, or a domain equal to, under, or above the other (when subdomains are included).
 */
export async function overlapsFor(db: Kysely<DB>, organisationId: string, a: { type: string; value: string; include_subdomains: boolean; range_start: string | null; range_end: string | null }) {
  if (a.type === 'product') return [];
  let q = db
    .selectFrom('assets as x')
    .innerJoin('organisations as o', 'o.id', 'x.organisation_id')
    .select(['x.id as assetId', 'x.value', 'o.id as organisationId', 'o.name as organisationName'])
    .where('x.organisation_id', '!=', organisationId)
    .where('x.status', '!=', 'rejected')
    .where('x.type', '=', a.type as 'asn');
  if (a.type === 'ip_range' && a.range_start && a.range_end) {
    q = q.where('x.range_start', '<=', a.range_end).where('x.range_end', '>=', a.range_start);
  } else if (a.type === 'domain') {
    q = q.where((eb) =>
      eb.or([
        eb('x.value', '=', a.value),
        eb.and([eb('x.include_subdomains', '=', true), eb(eb.val(a.value), 'like', sql<string>`'%.' || x.value`)]),
        ...(a.include_subdomains ? [eb('x.value', 'like', `%.${a.value}`)] : []),
      ]),
    );
  } else {
    q = q.where('x.value', '=', a.value);
  }
  return q.limit(20).execute();
}

export async function insertAsset(db: Kysely<DB>, organisationId: string, a: NormalisedAsset, proposedBy: string | null, status: 'proposed' | 'approved') {
  return db
    .insertInto('assets')
    .values({
      organisation_id: organisationId,
      type: a.type,
      value: a.value,
      include_subdomains: a.includeSubdomains,
      range_start: a.rangeStart,
      range_end: a.rangeEnd,
      product: a.product ? JSON.stringify(a.product) : null,
      status,
      proposed_by: proposedBy,
      ...(status === 'approved' && { decided_by: proposedBy, decided_at: new Date() }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function decide(db: Kysely<DB>, id: string, decision: { status: 'approved' | 'rejected'; by: string; reason: string | null }) {
  const r = await db
    .updateTable('assets')
    .set({ status: decision.status, decided_by: decision.by, decided_at: new Date(), reject_reason: decision.reason })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
