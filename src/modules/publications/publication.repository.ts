import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { PUBLICATION_OBJECT_TYPE, publicationVisibilitySql } from '#modules/access/policy-publications.ts';
import { decodeCursor, encodeCursor } from '#server/pagination.ts';
import type { PublicationAudience, PublicationKind, PublicationLanguage } from '#db/schema-publications.ts';
import type { Tlp } from '#lib/tlp.ts';

const columns = [
  'p.id',
  'p.owner_organisation_id',
  'p.kind',
  'p.title',
  'p.summary',
  'p.tags',
  'p.language',
  'p.tlp',
  'p.audience',
  'p.audience_segments',
  'p.audience_contact_roles',
  'p.status',
  'p.current_version',
  'p.first_published_at',
  'p.published_at',
  'p.withdrawn_at',
  'p.withdrawn_reason',
  'p.created_at',
  'p.updated_at',
] as const;
// A date column as text: the two drivers would otherwise disagree (Date at local midnight or string).
const reviewBy = sql<string | null>`p.review_by::text`.as('review_by');
const sortAt = sql`COALESCE(p.published_at, p.created_at)`;
const visible = (actor: Actor | null) => publicationVisibilitySql(actor, 'p');

/** The full-text query in both languages and word for word, as the advisories search does. */
function matches(text: string) {
  return sql<boolean>`(p.search @@ websearch_to_tsquery('dutch', ${text}) OR p.search @@ websearch_to_tsquery('english', ${text}) OR p.search @@ websearch_to_tsquery('simple', ${text}))`;
}
const rank = (text: string) =>
  sql<number>`ts_rank(p.search, websearch_to_tsquery('simple', ${text}) || websearch_to_tsquery('dutch', ${text}) || websearch_to_tsquery('english', ${text}))`;

export interface ListFilter {
  q?: string | undefined;
  kind?: PublicationKind | undefined;
  tag?: string | undefined;
  language?: PublicationLanguage | undefined;
  status?: 'draft' | 'published' | 'withdrawn' | undefined;
  tlp?: Tlp | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** The publications the actor may see (policy-publications in SQL), newest first, or best match first when searching. */
export async function listVisible(db: Kysely<DB>, actor: Actor | null, f: ListFilter) {
  let query = db
    .selectFrom('publications as p')
    .select(columns)
    .select(reviewBy)
    // The cursor at microsecond precision, as pagination.ts's cursorTimestamp does for a plain column.
    .select(sql<string>`to_char(${sortAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'))
    .where(visible(actor));
  if (f.kind) query = query.where('p.kind', '=', f.kind);
  if (f.tag) query = query.where(sql<boolean>`${f.tag} = ANY(p.tags)`);
  if (f.language) query = query.where('p.language', '=', f.language);
  if (f.status) query = query.where('p.status', '=', f.status);
  if (f.tlp) query = query.where('p.tlp', '=', f.tlp);
  if (f.q) {
    // A search answers one page, best match first: ranks make no stable cursor.
    const rows = await query.where(matches(f.q)).orderBy(rank(f.q), 'desc').orderBy('p.id').limit(f.limit).execute();
    return { rows, nextCursor: null };
  }
  const after = decodeCursor(f.cursor);
  if (after) query = query.where(sql<boolean>`(${sortAt}, p.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query
    .orderBy(sortAt, 'desc')
    .orderBy('p.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > f.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
export type PublicationRow = Awaited<ReturnType<typeof listVisible>>['rows'][number];

export async function findPublication(db: Kysely<DB>, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db
    .selectFrom('publications as p')
    .select(columns)
    .select(reviewBy)
    .select(sql<string>`''`.as('cursor_at'))
    .where('p.id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The same rule as the list, for one publication. */
export async function isVisible(db: Kysely<DB>, actor: Actor | null, id: string): Promise<boolean> {
  const row = await db.selectFrom('publications as p').select('p.id').where('p.id', '=', id).where(visible(actor)).executeTakeFirst();
  return row !== undefined;
}

/** Editors: what is due for review (review-by date today or earlier), oldest first. */
export async function listReviewDue(db: Kysely<DB>, today: string) {
  return db
    .selectFrom('publications as p')
    .select(columns)
    .select(reviewBy)
    .select(sql<string>`''`.as('cursor_at'))
    .where('p.status', '<>', 'withdrawn')
    .where(sql<boolean>`p.review_by <= ${today}::date`)
    .orderBy('p.review_by')
    .orderBy('p.id')
    .limit(500)
    .execute();
}

export interface PublicationValues {
  kind: PublicationKind;
  title: string;
  summary: string;
  tags: string[];
  language: PublicationLanguage;
  tlp: Tlp;
  audience: PublicationAudience;
  audienceSegments: string[];
  audienceContactRoles: string[];
  reviewBy: string | null;
}

export async function insertPublication(db: Kysely<DB>, owner: string, createdBy: string | null, v: PublicationValues): Promise<string> {
  const row = await db
    .insertInto('publications')
    .values({
      owner_organisation_id: owner,
      kind: v.kind,
      title: v.title,
      summary: v.summary,
      tags: v.tags,
      language: v.language,
      tlp: v.tlp,
      audience: v.audience,
      audience_segments: v.audienceSegments,
      audience_contact_roles: v.audienceContactRoles,
      review_by: v.reviewBy,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePublication(db: Kysely<DB>, id: string, v: Partial<PublicationValues>): Promise<void> {
  await db
    .updateTable('publications')
    .set({
      ...(v.kind !== undefined && { kind: v.kind }),
      ...(v.title !== undefined && { title: v.title }),
      ...(v.summary !== undefined && { summary: v.summary }),
      ...(v.tags !== undefined && { tags: v.tags }),
      ...(v.language !== undefined && { language: v.language }),
      ...(v.tlp !== undefined && { tlp: v.tlp }),
      ...(v.audience !== undefined && { audience: v.audience }),
      ...(v.audienceSegments !== undefined && { audience_segments: v.audienceSegments }),
      ...(v.audienceContactRoles !== undefined && { audience_contact_roles: v.audienceContactRoles }),
      ...(v.reviewBy !== undefined && { review_by: v.reviewBy }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Rewrites the search vector: title and tags weigh most, then the summary, then the Markdown of the
 * current version (or, before the first publication, of the latest). An uploaded PDF is searched by
 * its title, summary and tags only.
 */
export async function refreshSearch(db: Kysely<DB>, id: string): Promise<void> {
  await sql`UPDATE publications p SET search =
      setweight(to_tsvector('simple', p.title || ' ' || array_to_string(p.tags, ' ')), 'A')
      || setweight(to_tsvector(CASE p.language WHEN 'nl' THEN 'dutch'::regconfig ELSE 'english'::regconfig END, p.title || ' ' || array_to_string(p.tags, ' ')), 'A')
      || setweight(to_tsvector(CASE p.language WHEN 'nl' THEN 'dutch'::regconfig ELSE 'english'::regconfig END, p.summary), 'B')
      || setweight(to_tsvector(CASE p.language WHEN 'nl' THEN 'dutch'::regconfig ELSE 'english'::regconfig END, COALESCE((
           SELECT v.markdown FROM publication_versions v WHERE v.publication_id = p.id
             AND (p.current_version IS NULL OR v.version = p.current_version)
           ORDER BY v.version DESC LIMIT 1), '')), 'C')
    WHERE p.id = ${id}`.execute(db);
}

export async function recipientsOf(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('tlp_recipients')
    .select(['organisation_id as organisationId', 'user_id as userId'])
    .where('object_type', '=', PUBLICATION_OBJECT_TYPE)
    .where('object_id', '=', id)
    .orderBy('organisation_id')
    .execute();
}

export async function replaceRecipients(
  db: Kysely<DB>,
  id: string,
  recipients: readonly { organisationId: string; userId?: string | null | undefined }[],
): Promise<void> {
  await db.deleteFrom('tlp_recipients').where('object_type', '=', PUBLICATION_OBJECT_TYPE).where('object_id', '=', id).execute();
  if (recipients.length === 0) return;
  await db
    .insertInto('tlp_recipients')
    .values(recipients.map((r) => ({ object_type: PUBLICATION_OBJECT_TYPE, object_id: id, organisation_id: r.organisationId, user_id: r.userId ?? null })))
    .execute();
}

// ---- versions

const versionColumns = [
  'v.id',
  'v.publication_id',
  'v.version',
  'v.source',
  'v.file_name',
  'v.pdf_sha256',
  'v.size_bytes',
  'v.change_note',
  'v.created_at',
  'v.published_at',
  'v.public_downloads',
] as const;

/** Every version, newest first, with its download count (readers once a day, plus public downloads). */
export async function listVersions(db: Kysely<DB>, publicationId: string) {
  return db
    .selectFrom('publication_versions as v')
    .select(versionColumns)
    .select(sql<number>`(SELECT count(*)::int FROM publication_downloads d WHERE d.version_id = v.id) + v.public_downloads`.as('downloads'))
    .where('v.publication_id', '=', publicationId)
    .orderBy('v.version', 'desc')
    .execute();
}
export type VersionRow = Awaited<ReturnType<typeof listVersions>>[number];

export async function findVersionContent(db: Kysely<DB>, publicationId: string, version: number) {
  return db
    .selectFrom('publication_versions as v')
    .select([...versionColumns, 'v.markdown', 'v.pdf'])
    .where('v.publication_id', '=', publicationId)
    .where('v.version', '=', version)
    .executeTakeFirst();
}
export type VersionContent = NonNullable<Awaited<ReturnType<typeof findVersionContent>>>;

export async function latestMarkdown(db: Kysely<DB>, publicationId: string, version: number | null) {
  let q = db.selectFrom('publication_versions').select(['markdown', 'version']).where('publication_id', '=', publicationId);
  if (version !== null) q = q.where('version', '=', version);
  return (await q.orderBy('version', 'desc').limit(1).executeTakeFirst())?.markdown ?? null;
}

/** The next version number; the caller holds the publication's row lock, so two writers never share one. */
export async function nextVersion(db: Kysely<DB>, publicationId: string): Promise<number> {
  const row = await db
    .selectFrom('publication_versions')
    .select(sql<number>`COALESCE(max(version), 0)::int`.as('n'))
    .where('publication_id', '=', publicationId)
    .executeTakeFirstOrThrow();
  return row.n + 1;
}

export async function insertVersion(
  db: Kysely<DB>,
  v: {
    publicationId: string;
    version: number;
    source: 'markdown' | 'upload';
    markdown: string | null;
    fileName: string;
    pdf: Uint8Array | null;
    sha256: string | null;
    changeNote: string;
    createdBy: string | null;
  },
): Promise<void> {
  await db
    .insertInto('publication_versions')
    .values({
      publication_id: v.publicationId,
      version: v.version,
      source: v.source,
      markdown: v.markdown,
      file_name: v.fileName,
      pdf: v.pdf,
      pdf_sha256: v.sha256,
      size_bytes: v.pdf ? v.pdf.byteLength : null,
      rendered_at: null,
      change_note: v.changeNote,
      created_by: v.createdBy,
    })
    .execute();
}

/** Keeps the PDF Chromium printed from a Markdown version; the first one stored stays (its hash was shown). */
export async function storeRenderedPdf(db: Kysely<DB>, versionId: string, pdf: Uint8Array, sha256: string): Promise<void> {
  await db
    .updateTable('publication_versions')
    .set({ pdf, pdf_sha256: sha256, size_bytes: pdf.byteLength, rendered_at: new Date() })
    .where('id', '=', versionId)
    .where('pdf', 'is', null)
    .execute();
}

export async function markPublished(db: Kysely<DB>, id: string, version: number, at: Date): Promise<void> {
  await db
    .updateTable('publication_versions')
    .set({ published_at: at })
    .where('publication_id', '=', id)
    .where('version', '=', version)
    .where('published_at', 'is', null)
    .execute();
  await db
    .updateTable('publications')
    .set({
      status: 'published',
      current_version: version,
      published_at: at,
      first_published_at: sql`COALESCE(first_published_at, ${at})`,
      withdrawn_at: null,
      withdrawn_reason: null,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

export async function markWithdrawn(db: Kysely<DB>, id: string, reason: string, at: Date): Promise<void> {
  await db.updateTable('publications').set({ status: 'withdrawn', withdrawn_at: at, withdrawn_reason: reason, updated_at: at }).where('id', '=', id).execute();
}

/** A reader's download counts once per person per day; a download from the public site always counts. */
export async function countDownload(db: Kysely<DB>, versionId: string, userId: string | null): Promise<void> {
  if (userId === null) {
    await db
      .updateTable('publication_versions')
      .set({ public_downloads: sql`public_downloads + 1` })
      .where('id', '=', versionId)
      .execute();
    return;
  }
  await db
    .insertInto('publication_downloads')
    .values({ version_id: versionId, user_id: userId, day: sql<string>`CURRENT_DATE` })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The CERT's organisation name, printed on every PDF. */
export async function certName(db: Kysely<DB>): Promise<string> {
  return (await db.selectFrom('organisations').select('name').where('kind', '=', 'cert').executeTakeFirst())?.name ?? 'CERT';
}
