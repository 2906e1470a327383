import { sql, type Kysely } from 'kysely';
import type { DB, TlpText } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { tlpVisibilitySql } from '#modules/access/policy.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';
import type { ProductKind } from './advisory.content.ts';
import type { ProductListQuery } from './advisory.schema.ts';
import { escapeLike } from '#db/like.ts';

export const OBJECT_TYPE = 'product';

const summaryColumns = [
  'p.id',
  'p.kind',
  'p.identifier',
  'p.status',
  'p.tlp',
  'p.draft_tlp',
  'p.draft_title',
  'p.title',
  'p.summary',
  'p.urgency',
  'p.cves',
  'p.vendors',
  'p.current_revision',
  'p.published_at',
  'p.updated_at',
  'p.withdrawn_at',
] as const;

export async function insertProduct(
  db: Kysely<DB>,
  p: { kind: ProductKind; owner: string; authorId: string | null; tlp: TlpText; recipients: string[]; content: unknown; title: string; importSource?: unknown },
): Promise<string> {
  const row = await db
    .insertInto('products')
    .values({
      kind: p.kind,
      owner_organisation_id: p.owner,
      author_id: p.authorId,
      draft_tlp: p.tlp,
      draft_recipients: p.recipients,
      draft_content: JSON.stringify(p.content),
      draft_title: p.title,
      import_source: p.importSource === undefined ? null : JSON.stringify(p.importSource),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findProduct(db: Kysely<DB>, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('products').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type ProductRecord = NonNullable<Awaited<ReturnType<typeof findProduct>>>;

export async function findIdByIdentifier(db: Kysely<DB>, identifier: string) {
  const row = await db.selectFrom('products').select('id').where('identifier', '=', identifier).executeTakeFirst();
  return row?.id ?? null;
}

/** Products are addressed by uuid or by identifier (WP-2026-0042): the uuid, or null when neither form names one. */
export async function resolveProductId(db: Kysely<DB>, idOrIdentifier: string): Promise<string | null> {
  return /^[0-9a-f-]{36}$/i.test(idOrIdentifier) ? idOrIdentifier : findIdByIdentifier(db, idOrIdentifier);
}

export async function insertVersion(db: Kysely<DB>, v: { productId: string; version: number; tlp: TlpText; recipients: string[]; content: unknown; savedBy: string | null }) {
  await db
    .insertInto('product_versions')
    .values({ product_id: v.productId, version: v.version, tlp: v.tlp, recipients: v.recipients, content: JSON.stringify(v.content), saved_by: v.savedBy })
    .execute();
}

export async function listVersions(db: Kysely<DB>, productId: string) {
  return db
    .selectFrom('product_versions as v')
    .leftJoin('users as u', 'u.id', 'v.saved_by')
    .select(['v.version', 'v.tlp', 'v.saved_at', 'v.saved_by', 'u.name as saved_by_name'])
    .where('v.product_id', '=', productId)
    .orderBy('v.version', 'desc')
    .execute();
}

export async function findVersion(db: Kysely<DB>, productId: string, version: number) {
  return db.selectFrom('product_versions').selectAll().where('product_id', '=', productId).where('version', '=', version).executeTakeFirst();
}

/** Editors of the draft since the last publication: they may not approve it. */
export async function editorsSince(db: Kysely<DB>, productId: string, since: Date | null): Promise<string[]> {
  let q = db.selectFrom('product_versions').select('saved_by').distinct().where('product_id', '=', productId).where('saved_by', 'is not', null);
  if (since) q = q.where('saved_at', '>', since);
  const rows = await q.execute();
  return rows.map((r) => r.saved_by).filter((id): id is string => id !== null);
}

export async function updateDraft(db: Kysely<DB>, id: string, d: { version: number; tlp: TlpText; recipients: string[]; content: unknown; title: string }) {
  await db
    .updateTable('products')
    .set({
      draft_version: d.version,
      draft_tlp: d.tlp,
      draft_recipients: d.recipients,
      draft_content: JSON.stringify(d.content),
      draft_title: d.title,
      status: 'draft',
      submitted_by: null,
      submitted_at: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function setWorkflow(
  db: Kysely<DB>,
  id: string,
  set: { status: 'draft' | 'in_review' | 'approved' | 'published' | 'withdrawn'; submittedBy?: string | null; changeSummary?: string | null },
) {
  await db
    .updateTable('products')
    .set({
      status: set.status,
      ...(set.submittedBy !== undefined ? { submitted_by: set.submittedBy, submitted_at: set.submittedBy ? new Date() : null } : {}),
      ...(set.changeSummary !== undefined ? { change_summary: set.changeSummary } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertApproval(db: Kysely<DB>, productId: string, version: number, userId: string) {
  await db.insertInto('product_approvals').values({ product_id: productId, draft_version: version, user_id: userId }).onConflict((c) => c.doNothing()).execute();
}

export async function approvalsOf(db: Kysely<DB>, productId: string, version: number) {
  return db
    .selectFrom('product_approvals as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.user_id', 'u.name', 'a.approved_at'])
    .where('a.product_id', '=', productId)
    .where('a.draft_version', '=', version)
    .orderBy('a.approved_at')
    .execute();
}

/** The next number for a kind and year; the row lock serialises concurrent first publications. */
export async function nextCounter(db: Kysely<DB>, kind: ProductKind, year: number): Promise<number> {
  const row = await db
    .insertInto('product_counters')
    .values({ kind, year, last_value: 1 })
    .onConflict((c) => c.columns(['kind', 'year']).doUpdateSet({ last_value: sql`product_counters.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}

export async function insertRevision(
  db: Kysely<DB>,
  r: {
    productId: string;
    revision: number;
    tlp: TlpText;
    recipients: string[];
    content: unknown;
    html: unknown;
    changeSummary: string;
    publishedBy: string | null;
    approvedBy: string[];
    publishedAt: Date;
    csafPath: string;
    csaf: string;
    sha256: string;
    sha512: string;
    signature: string;
    fingerprint: string;
  },
) {
  await db
    .insertInto('product_revisions')
    .values({
      product_id: r.productId,
      revision: r.revision,
      tlp: r.tlp,
      recipients: r.recipients,
      content: JSON.stringify(r.content),
      html: JSON.stringify(r.html),
      change_summary: r.changeSummary,
      published_by: r.publishedBy,
      approved_by: r.approvedBy,
      published_at: r.publishedAt,
      csaf_path: r.csafPath,
      csaf: r.csaf,
      csaf_sha256: r.sha256,
      csaf_sha512: r.sha512,
      csaf_signature: r.signature,
      signing_key_fingerprint: r.fingerprint,
    })
    .execute();
}

export async function markPublished(
  db: Kysely<DB>,
  id: string,
  p: {
    identifier: string;
    status: 'published' | 'withdrawn';
    tlp: TlpText;
    revision: number;
    title: string;
    titleEn: string | null;
    summary: string;
    urgency: 'urgent' | 'normal';
    cves: string[];
    vendors: string[];
    productNames: string[];
    searchNl: string;
    searchEn: string;
    publishedAt: Date;
    withdrawnReason?: string | null;
  },
) {
  await db
    .updateTable('products')
    .set({
      identifier: p.identifier,
      status: p.status,
      tlp: p.tlp,
      current_revision: p.revision,
      title: p.title,
      title_en: p.titleEn,
      summary: p.summary,
      urgency: p.urgency,
      cves: p.cves,
      vendors: p.vendors,
      product_names: p.productNames,
      published_at: p.publishedAt,
      first_published_at: sql<Date>`COALESCE(first_published_at, ${p.publishedAt})`,
      withdrawn_at: p.status === 'withdrawn' ? p.publishedAt : null,
      withdrawn_reason: p.withdrawnReason ?? null,
      change_summary: null,
      submitted_by: null,
      submitted_at: null,
      updated_at: p.publishedAt,
    })
    .where('id', '=', id)
    .execute();
  // Dutch and English stemming for the texts; identifiers, CVEs and vendors as plain words.
  await sql`UPDATE products SET search =
      setweight(to_tsvector('simple', ${[p.identifier, ...p.cves, ...p.vendors, ...p.productNames].join(' ')}), 'A')
      || setweight(to_tsvector('dutch', ${p.searchNl}), 'B')
      || setweight(to_tsvector('english', ${p.searchEn}), 'B')
    WHERE id = ${id}`.execute(db);
}

export async function replaceRecipients(db: Kysely<DB>, productId: string, organisationIds: string[]) {
  await db.deleteFrom('tlp_recipients').where('object_type', '=', OBJECT_TYPE).where('object_id', '=', productId).execute();
  if (organisationIds.length)
    await db
      .insertInto('tlp_recipients')
      .values(organisationIds.map((o) => ({ object_type: OBJECT_TYPE, object_id: productId, organisation_id: o, user_id: null })))
      .execute();
}

export async function recipientsOf(db: Kysely<DB>, productId: string) {
  return db
    .selectFrom('tlp_recipients')
    .select(['organisation_id as organisationId', 'user_id as userId'])
    .where('object_type', '=', OBJECT_TYPE)
    .where('object_id', '=', productId)
    .execute();
}

export async function listRevisions(db: Kysely<DB>, productId: string) {
  return db
    .selectFrom('product_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.published_by')
    .select(['r.revision', 'r.tlp', 'r.recipients', 'r.change_summary', 'r.published_at', 'r.csaf_path', 'u.name as published_by_name'])
    .where('r.product_id', '=', productId)
    .orderBy('r.revision', 'asc')
    .execute();
}

export async function findRevision(db: Kysely<DB>, productId: string, revision: number) {
  return db.selectFrom('product_revisions').selectAll().where('product_id', '=', productId).where('revision', '=', revision).executeTakeFirst();
}

/** The TLP rule of the access policy, in SQL, for the products table aliased `p`. */
export const visibleProducts = (actor: Actor | null) => tlpVisibilitySql(actor, OBJECT_TYPE, { id: 'p.id', tlp: 'p.tlp', owner: 'p.owner_organisation_id' });

/**
 * One page of products, newest first. Readers get published products their TLP clearance shows;
 * `includeUnpublished` (the CERT's editors) adds drafts and orders by last change.
 */
export async function listProducts(db: Kysely<DB>, actor: Actor | null, q: Partial<ProductListQuery> & { limit: number }, opts: { includeUnpublished: boolean; relevanceOrganisationId: string | null }) {
  const orderColumn = opts.includeUnpublished ? 'p.updated_at' : 'p.published_at';
  let query = db
    .selectFrom('products as p')
    .select(summaryColumns)
    .select(cursorTimestamp(orderColumn).as('cursor_at'))
    .select(
      opts.relevanceOrganisationId
        ? sql<boolean>`EXISTS (SELECT 1 FROM product_relevance r WHERE r.organisation_id = ${opts.relevanceOrganisationId} AND r.product_id = p.id)`.as('relevant')
        : sql<boolean>`false`.as('relevant'),
    );
  if (!opts.includeUnpublished) query = query.where('p.current_revision', 'is not', null).where(visibleProducts(actor));
  if (q.kind) query = query.where('p.kind', '=', q.kind);
  if (q.status) query = query.where('p.status', '=', q.status);
  if (q.tlp) query = query.where(sql<boolean>`COALESCE(p.tlp, p.draft_tlp) = ${q.tlp}`);
  if (q.cve) query = query.where(sql<boolean>`p.cves @> ARRAY[${q.cve}]::text[]`);
  if (q.vendor) query = query.where(sql<boolean>`EXISTS (SELECT 1 FROM unnest(p.vendors) v WHERE lower(v) = lower(${q.vendor}))`);
  if (q.product) query = query.where(sql<boolean>`EXISTS (SELECT 1 FROM unnest(p.product_names) n WHERE lower(n) LIKE '%' || lower(${escapeLike(q.product)}) || '%' ESCAPE '\\')`);
  if (q.from) query = query.where(sql.ref(orderColumn), '>=', sql<Date>`${q.from}::date`);
  if (q.to) query = query.where(sql.ref(orderColumn), '<', sql<Date>`${q.to}::date + 1`);
  if (q.q) {
    const text = q.q;
    const fullText = sql<boolean>`(p.search @@ websearch_to_tsquery('dutch', ${text}) OR p.search @@ websearch_to_tsquery('english', ${text}) OR p.search @@ websearch_to_tsquery('simple', ${text}))`;
    // Readers search the published text only, so the GIN index serves them (and a word that is only
    // in an unpublished draft finds nothing). Editors also find drafts by their working title.
    query = query.where(
      opts.includeUnpublished ? sql<boolean>`(${fullText} OR lower(p.draft_title) LIKE '%' || lower(${escapeLike(text)}) || '%' ESCAPE '\\')` : fullText,
    );
  }
  if (q.relevant && opts.relevanceOrganisationId)
    query = query.where(sql<boolean>`EXISTS (SELECT 1 FROM product_relevance r WHERE r.organisation_id = ${opts.relevanceOrganisationId} AND r.product_id = p.id)`);
  else if (q.relevant) query = query.where(sql<boolean>`false`);
  const after = decodeCursor(q.cursor);
  if (after) query = query.where(sql<boolean>`(${sql.ref(orderColumn)}, p.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query.orderBy(sql.ref(orderColumn), 'desc').orderBy('p.id', 'desc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
export type ProductSummaryRow = Awaited<ReturnType<typeof listProducts>>['rows'][number];

export async function certOrganisation(db: Kysely<DB>) {
  return db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', 'cert').executeTakeFirst();
}

