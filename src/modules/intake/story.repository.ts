import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { IntakeItemsTable, IntakeStoriesTable, ItemChange, StoredProduct, StoryDecision } from '#db/schema-intake.ts';
import type { Tlp } from '#lib/tlp.ts';
import { decodeCursor, encodeCursor } from '#server/pagination.ts';
import { escapeLike } from '#db/like.ts';

/** A contains-pattern for LIKE ... ESCAPE '\\'. */
const contains = (text: string) => `%${escapeLike(text.toLowerCase())}%`;

/** SQL of intake items, stories and who read them. */

export type ItemRow = Selectable<IntakeItemsTable>;
export type StoryRow = Omit<Selectable<IntakeStoriesTable>, 'search'>;

export async function findItem(db: Kysely<DB>, sourceId: string, externalId: string) {
  return db.selectFrom('intake_items').selectAll().where('source_id', '=', sourceId).where('external_id', '=', externalId).executeTakeFirst();
}

export interface ItemValues {
  sourceId: string;
  storyId: string;
  externalId: string;
  url: string | null;
  title: string;
  summary: string;
  publishedAt: Date | null;
  updatedAt: Date | null;
  revision: string | null;
  cves: string[];
  advisoryIds: string[];
  vendors: string[];
  products: StoredProduct[];
  tlp: Tlp;
  csaf: unknown;
  contentHash: string;
}

/** The columns an item's values set, on insert and on update alike. */
function itemColumns(v: ItemValues) {
  return {
    url: v.url,
    title: v.title,
    summary: v.summary,
    published_at: v.publishedAt,
    source_updated_at: v.updatedAt,
    revision: v.revision,
    cves: v.cves,
    advisory_ids: v.advisoryIds,
    vendors: v.vendors,
    products: JSON.stringify(v.products),
    tlp: v.tlp,
    csaf: v.csaf === null || v.csaf === undefined ? null : JSON.stringify(v.csaf),
    content_hash: v.contentHash,
  };
}

export async function insertItem(db: Kysely<DB>, v: ItemValues) {
  return db
    .insertInto('intake_items')
    .values({ source_id: v.sourceId, story_id: v.storyId, external_id: v.externalId, ...itemColumns(v), changes: '[]' })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateItem(db: Kysely<DB>, id: string, v: ItemValues, changes: ItemChange[]) {
  await db
    .updateTable('intake_items')
    .set({ ...itemColumns(v), changes: JSON.stringify(changes), last_changed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function itemsOfStory(db: Kysely<DB>, storyId: string) {
  return db
    .selectFrom('intake_items as i')
    .innerJoin('intake_sources as s', 's.id', 'i.source_id')
    .selectAll('i')
    .select(['s.name as source_name', 's.kind as source_kind'])
    .where('i.story_id', '=', storyId)
    .orderBy('i.first_seen_at')
    .orderBy('i.id')
    .execute();
}

/** Stories an item might join: those sharing a CVE or an advisory id, and the recent ones (for titles). */
export async function candidateStories(db: Kysely<DB>, cves: readonly string[], advisoryIds: readonly string[], recentDays: number) {
  return db
    .selectFrom('intake_stories')
    .select(['id', 'title', 'cves', 'advisory_ids', 'last_activity_at'])
    .where((eb) =>
      eb.or([
        ...(cves.length ? [eb(sql<boolean>`cves && ${sql.val([...cves])}::text[]`, '=', true)] : []),
        ...(advisoryIds.length ? [eb(sql<boolean>`advisory_ids && ${sql.val([...advisoryIds])}::text[]`, '=', true)] : []),
        eb('last_activity_at', '>=', sql<Date>`now() - make_interval(days => ${recentDays})`),
      ]),
    )
    .orderBy('last_activity_at', 'desc')
    .limit(2000)
    .execute();
}

export async function insertStory(db: Kysely<DB>, title: string) {
  return db.insertInto('intake_stories').values({ title, products: '[]' }).returning('id').executeTakeFirstOrThrow();
}

export interface StoryAggregate {
  title: string;
  summary: string;
  cves: string[];
  advisoryIds: string[];
  vendors: string[];
  products: StoredProduct[];
  sourceIds: string[];
  itemCount: number;
  tlp: Tlp;
  kev: boolean;
  knownRansomware: boolean;
  epssMax: number | null;
  epssPercentile: number | null;
  concernedOrganisations: number;
}

/** Writes a story's lists and enrichment; `activity` marks it changed (unread again) with a note. */
export async function writeStory(db: Kysely<DB>, id: string, a: StoryAggregate, activity: { note: string | null } | null) {
  await db
    .updateTable('intake_stories')
    .set({
      title: a.title,
      summary: a.summary,
      cves: a.cves,
      advisory_ids: a.advisoryIds,
      vendors: a.vendors,
      products: JSON.stringify(a.products),
      source_ids: a.sourceIds,
      item_count: a.itemCount,
      tlp: a.tlp,
      kev: a.kev,
      known_ransomware: a.knownRansomware,
      epss_max: a.epssMax,
      epss_percentile: a.epssPercentile,
      concerned_organisations: a.concernedOrganisations,
      ...(activity && { last_activity_at: new Date(), ...(activity.note !== null && { change_note: activity.note }) }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  // Title, ids and vendors (A) and the summary (B); 'simple' keeps CVE ids and product names whole.
  await sql`UPDATE intake_stories SET search =
      setweight(to_tsvector('simple', ${a.title}), 'A') || setweight(to_tsvector('simple', ${[a.cves, a.advisoryIds, a.vendors].flat().join(' ')}), 'A')
      || setweight(to_tsvector('simple', ${a.summary}), 'B')
    WHERE id = ${id}::uuid`.execute(db);
}

/** Story ids whose CVEs include any of these (to re-enrich after a KEV or EPSS update). */
export async function storiesWithCves(db: Kysely<DB>, cves: readonly string[]): Promise<string[]> {
  if (!cves.length) return [];
  const rows = await db
    .selectFrom('intake_stories')
    .select('id')
    .where(sql<boolean>`cves && ${sql.val([...cves])}::text[]`)
    .execute();
  return rows.map((r) => r.id);
}

export async function allStoryCves(db: Kysely<DB>): Promise<string[]> {
  const rows = await sql<{ cve: string }>`SELECT DISTINCT unnest(cves) AS cve FROM intake_stories`.execute(db);
  return rows.rows.map((r) => r.cve);
}

const storyColumns = [
  's.id',
  's.title',
  's.summary',
  's.cves',
  's.advisory_ids',
  's.vendors',
  's.products',
  's.source_ids',
  's.item_count',
  's.tlp',
  's.first_seen_at',
  's.last_activity_at',
  's.change_note',
  's.kev',
  's.known_ransomware',
  's.epss_max',
  's.epss_percentile',
  's.concerned_organisations',
  's.decision',
  's.decision_reason',
  's.advisory_id',
  's.decided_by',
  's.decided_at',
  's.media_week',
  's.media_item_id',
  's.created_at',
  's.updated_at',
] as const;

export interface StoryFilter {
  userId: string;
  source?: string | undefined;
  cve?: string | undefined;
  vendor?: string | undefined;
  product?: string | undefined;
  /** concerned: matches a participant's declared products; kev: on the KEV list; epss: EPSS ≥ 0.1. */
  relevance?: 'concerned' | 'kev' | 'epss' | undefined;
  read?: boolean | undefined;
  state?: 'open' | 'advisory' | 'no_action' | 'media' | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listStories(db: Kysely<DB>, f: StoryFilter) {
  const readAt = sql<Date | null>`(SELECT r.read_at FROM intake_story_reads r WHERE r.story_id = s.id AND r.user_id = ${f.userId}::uuid)`;
  const isRead = sql<boolean>`COALESCE(${readAt} >= s.last_activity_at, false)`;
  let q = db
    .selectFrom('intake_stories as s')
    .select(storyColumns)
    .select(isRead.as('read'))
    .select(sql<string>`to_char(s.last_activity_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'));
  if (f.source) q = q.where(sql<boolean>`${f.source}::uuid = ANY(s.source_ids)`);
  if (f.cve) q = q.where(sql<boolean>`${f.cve.toUpperCase()} = ANY(s.cves)`);
  if (f.vendor) q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM unnest(s.vendors) v WHERE lower(v) LIKE ${contains(f.vendor)} ESCAPE '\\')`);
  if (f.product)
    q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM jsonb_array_elements(s.products) p WHERE lower(p->>'product') LIKE ${contains(f.product)} ESCAPE '\\')`);
  if (f.relevance === 'concerned') q = q.where('s.concerned_organisations', '>', 0);
  if (f.relevance === 'kev') q = q.where('s.kev', '=', true);
  if (f.relevance === 'epss') q = q.where('s.epss_max', '>=', 0.1);
  if (f.read !== undefined) q = q.where(f.read ? isRead : sql<boolean>`NOT ${isRead}`);
  if (f.state === 'open') q = q.where('s.decision', 'is', null);
  if (f.state === 'advisory' || f.state === 'no_action') q = q.where('s.decision', '=', f.state);
  if (f.state === 'media') q = q.where('s.media_week', 'is not', null);
  if (f.q) {
    const words = f.q.trim();
    q = q.where(
      sql<boolean>`(s.search @@ plainto_tsquery('simple', ${words}) OR lower(s.title) LIKE ${contains(words)} ESCAPE '\\' OR ${words.toUpperCase()} = ANY(s.cves) OR ${words.toUpperCase()} = ANY(s.advisory_ids))`,
    );
  }
  const after = decodeCursor(f.cursor);
  if (after) q = q.where(sql<boolean>`(s.last_activity_at, s.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await q
    .orderBy('s.last_activity_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > f.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
export type ListedStory = Awaited<ReturnType<typeof listStories>>['rows'][number];

export async function unreadCount(db: Kysely<DB>, userId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM intake_stories s
    WHERE s.decision IS NULL AND NOT EXISTS (SELECT 1 FROM intake_story_reads r WHERE r.story_id = s.id AND r.user_id = ${userId}::uuid AND r.read_at >= s.last_activity_at)`.execute(
    db,
  );
  return r.rows[0]?.n ?? 0;
}

export async function findStory(db: Kysely<DB>, id: string, userId: string, opts: { forUpdate?: boolean } = {}) {
  const readAt = sql<Date | null>`(SELECT r.read_at FROM intake_story_reads r WHERE r.story_id = s.id AND r.user_id = ${userId}::uuid)`;
  let q = db
    .selectFrom('intake_stories as s')
    .select(storyColumns)
    .select(sql<boolean>`COALESCE(${readAt} >= s.last_activity_at, false)`.as('read'))
    .select(sql<string>`''`.as('cursor_at'))
    .where('s.id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function existingStoryIds(db: Kysely<DB>, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('intake_stories')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

export async function markRead(db: Kysely<DB>, storyIds: readonly string[], userId: string, read: boolean) {
  if (!storyIds.length) return;
  if (!read) {
    await db
      .deleteFrom('intake_story_reads')
      .where('user_id', '=', userId)
      .where('story_id', 'in', [...storyIds])
      .execute();
    return;
  }
  await db
    .insertInto('intake_story_reads')
    .values(storyIds.map((id) => ({ story_id: id, user_id: userId })))
    .onConflict((oc) => oc.columns(['story_id', 'user_id']).doUpdateSet({ read_at: sql`now()` }))
    .execute();
}

export async function setDecision(
  db: Kysely<DB>,
  ids: readonly string[],
  d: { decision: StoryDecision | null; reason: string | null; advisoryId: string | null; by: string | null },
) {
  if (!ids.length) return;
  await db
    .updateTable('intake_stories')
    .set({
      decision: d.decision,
      decision_reason: d.reason,
      advisory_id: d.advisoryId,
      decided_by: d.by,
      decided_at: d.decision ? new Date() : null,
      updated_at: new Date(),
    })
    .where('id', 'in', [...ids])
    .execute();
}

export async function setMedia(db: Kysely<DB>, id: string, week: string | null, mediaItemId: string | null) {
  await db.updateTable('intake_stories').set({ media_week: week, media_item_id: mediaItemId, updated_at: new Date() }).where('id', '=', id).execute();
}
