import type { MarkedObject } from '#modules/access/policy.ts';
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { CommunityPostsTable, CommunityPreferenceMode } from '#db/schema-community.ts';
import type { Actor } from '#modules/access/actor.ts';
import { tlpVisibilitySql } from '#modules/access/policy.ts';
import { spaceScopeSql } from '#modules/access/policy-community.ts';
import type { Tlp } from '#lib/tlp.ts';

/* The SQL of the community: spaces, threads, posts, versions, reactions, attachments, preferences. */

export const POST_OBJECT = 'community_post';
export type PostRow = Selectable<CommunityPostsTable>;

/** A post the actor may see by its marking (and, unless CERT, not hidden). Aliased `p`. */
export function postVisibleSql(actor: Actor, cert: boolean, alias = 'p'): RawBuilder<boolean> {
  const tlp = tlpVisibilitySql(actor, POST_OBJECT, { id: `${alias}.id`, tlp: `${alias}.tlp`, owner: `${alias}.author_organisation_id` });
  return cert ? tlp : sql<boolean>`(${tlp} AND ${sql.ref(`${alias}.hidden_at`)} IS NULL)`;
}

/** A thread (aliased `t`) the actor may see: its space, and its opening post. */
export function threadVisibleSql(actor: Actor, cert: boolean): RawBuilder<boolean> {
  const space = spaceScopeSql(actor, 'community:read', 't.space_id') ?? sql<boolean>`true`;
  return sql<boolean>`(${space} AND EXISTS (SELECT 1 FROM community_posts op WHERE op.thread_id = t.id AND op.opening AND ${postVisibleSql(actor, cert, 'op')}))`;
}

// ---- spaces

export async function findSpace(db: Kysely<DB>, id: string) {
  const space = await db.selectFrom('community_spaces').selectAll().where('id', '=', id).executeTakeFirst();
  if (!space) return undefined;
  const members = await db.selectFrom('community_space_organisations').select('organisation_id').where('space_id', '=', id).execute();
  return { ...space, memberOrganisationIds: members.map((m) => m.organisation_id) };
}
export type SpaceRow = NonNullable<Awaited<ReturnType<typeof findSpace>>>;

export async function organisationSegment(db: Kysely<DB>, organisationId: string): Promise<string | null> {
  const row = await db.selectFrom('organisations').select('segment').where('id', '=', organisationId).executeTakeFirst();
  return row?.segment ?? null;
}

/** Spaces the actor may see with activity figures counted over what the actor may see. */
export async function listSpaces(db: Kysely<DB>, actor: Actor, cert: boolean) {
  const scope = spaceScopeSql(actor, 'community:read', 's.id') ?? sql<boolean>`true`;
  let q = db
    .selectFrom('community_spaces as s')
    .selectAll('s')
    .select([
      sql<number>`(SELECT count(*)::int FROM community_threads t WHERE t.space_id = s.id AND ${threadVisibleSql(actor, cert)})`.as('thread_count'),
      sql<number>`(SELECT count(*)::int FROM community_threads t LEFT JOIN community_thread_reads r ON r.thread_id = t.id AND r.user_id = ${actor.userId}
        WHERE t.space_id = s.id AND (r.read_at IS NULL OR r.read_at < t.last_activity_at) AND ${threadVisibleSql(actor, cert)})`.as('unread_count'),
      sql<Date | null>`(SELECT max(t.last_activity_at) FROM community_threads t WHERE t.space_id = s.id AND ${threadVisibleSql(actor, cert)})`.as(
        'last_activity_at',
      ),
      sql<string | null>`(SELECT mode FROM community_preferences cp WHERE cp.space_id = s.id AND cp.user_id = ${actor.userId})`.as('preference'),
      sql<string[]>`ARRAY(SELECT organisation_id::text FROM community_space_organisations cso WHERE cso.space_id = s.id)`.as('member_ids'),
    ])
    .where(scope);
  if (!cert) q = q.where('s.archived_at', 'is', null);
  return q.orderBy('s.name').execute();
}

export async function insertSpace(
  db: Kysely<DB>,
  v: { name: string; description: string; roles: string[]; kinds: string[]; segments: string[]; createdBy: string },
): Promise<string> {
  const row = await db
    .insertInto('community_spaces')
    .values({ name: v.name, description: v.description, roles: v.roles, organisation_kinds: v.kinds, segments: v.segments, created_by: v.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSpace(
  db: Kysely<DB>,
  id: string,
  v: { name?: string; description?: string; roles?: string[]; kinds?: string[]; segments?: string[]; archived?: boolean },
): Promise<void> {
  await db
    .updateTable('community_spaces')
    .set({
      updated_at: new Date(),
      ...(v.name !== undefined && { name: v.name }),
      ...(v.description !== undefined && { description: v.description }),
      ...(v.roles !== undefined && { roles: v.roles }),
      ...(v.kinds !== undefined && { organisation_kinds: v.kinds }),
      ...(v.segments !== undefined && { segments: v.segments }),
      ...(v.archived !== undefined && { archived_at: v.archived ? new Date() : null }),
    })
    .where('id', '=', id)
    .execute();
}

export async function setSpaceMembers(db: Kysely<DB>, spaceId: string, organisationIds: readonly string[]): Promise<void> {
  await db.deleteFrom('community_space_organisations').where('space_id', '=', spaceId).execute();
  if (organisationIds.length)
    await db
      .insertInto('community_space_organisations')
      .values([...new Set(organisationIds)].map((organisation_id) => ({ space_id: spaceId, organisation_id })))
      .execute();
}

/** The organisations a space admits by kind, segment or name (for the recipient picker and checks). */
export async function spaceOrganisations(db: Kysely<DB>, space: SpaceRow) {
  let q = db.selectFrom('organisations as o').select(['o.id', 'o.name', 'o.kind']).where('o.membership_status', '=', 'active');
  const kinds = space.organisation_kinds;
  const segments = space.segments;
  q = q.where((eb) =>
    eb.or([
      eb('o.kind', '=', 'cert'),
      ...(space.memberOrganisationIds.length ? [eb('o.id', 'in', space.memberOrganisationIds)] : []),
      ...(kinds.length
        ? [
            eb.and([
              eb('o.kind', 'in', kinds as ('participant' | 'partner' | 'vendor')[]),
              ...(segments.length ? [eb.or([eb('o.kind', '<>', 'participant'), eb('o.segment', 'in', segments)])] : []),
            ]),
          ]
        : []),
    ]),
  );
  return q.orderBy('o.name').execute();
}

export async function setPreference(db: Kysely<DB>, userId: string, spaceId: string, mode: CommunityPreferenceMode): Promise<void> {
  await db
    .insertInto('community_preferences')
    .values({ user_id: userId, space_id: spaceId, mode })
    .onConflict((oc) => oc.columns(['user_id', 'space_id']).doUpdateSet({ mode }))
    .execute();
}

// ---- threads

const threadColumns = (actor: Actor, cert: boolean) =>
  [
    sql<Tlp>`op.tlp`.as('tlp'),
    sql<boolean>`op.hidden_at IS NOT NULL`.as('hidden'),
    sql<string | null>`au.name`.as('author_name'),
    sql<string>`ao.name`.as('author_organisation'),
    sql<number>`(SELECT count(*)::int FROM community_posts p WHERE p.thread_id = t.id AND NOT p.opening AND ${postVisibleSql(actor, cert)})`.as('reply_count'),
    sql<boolean>`NOT EXISTS (SELECT 1 FROM community_thread_reads r WHERE r.thread_id = t.id AND r.user_id = ${actor.userId} AND r.read_at >= t.last_activity_at)`.as(
      'unread',
    ),
  ] as const;

function threadsQuery(db: Kysely<DB>, actor: Actor, cert: boolean) {
  return db
    .selectFrom('community_threads as t')
    .innerJoin('community_posts as op', (j) => j.onRef('op.thread_id', '=', 't.id').on('op.opening', '=', true))
    .innerJoin('organisations as ao', 'ao.id', 't.author_organisation_id')
    .leftJoin('users as au', 'au.id', 't.author_user_id')
    .selectAll('t')
    .select(threadColumns(actor, cert))
    .where(threadVisibleSql(actor, cert));
}
export type ThreadRow = Awaited<ReturnType<ReturnType<typeof threadsQuery>['executeTakeFirstOrThrow']>>;

/** A space's threads the actor may see: pinned first, then by last activity. */
export async function listThreads(db: Kysely<DB>, actor: Actor, cert: boolean, spaceId: string, limit: number, offset: number): Promise<ThreadRow[]> {
  return threadsQuery(db, actor, cert)
    .where('t.space_id', '=', spaceId)
    .orderBy('t.pinned', 'desc')
    .orderBy('t.last_activity_at', 'desc')
    .orderBy('t.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** One thread if the actor may see it (space, opening post). */
export async function findVisibleThread(db: Kysely<DB>, actor: Actor, cert: boolean, id: string): Promise<ThreadRow | undefined> {
  return threadsQuery(db, actor, cert).where('t.id', '=', id).executeTakeFirst();
}

export async function findThread(db: Kysely<DB>, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('community_threads').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertThread(db: Kysely<DB>, v: { spaceId: string; title: string; userId: string; organisationId: string }): Promise<string> {
  const row = await db
    .insertInto('community_threads')
    .values({ space_id: v.spaceId, title: v.title, author_user_id: v.userId, author_organisation_id: v.organisationId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateThread(
  db: Kysely<DB>,
  id: string,
  v: { title?: string; pinned?: boolean; locked?: boolean; spaceId?: string; answerPostId?: string | null; touched?: boolean },
): Promise<void> {
  const set = {
    ...(v.title !== undefined && { title: v.title }),
    ...(v.pinned !== undefined && { pinned: v.pinned }),
    ...(v.locked !== undefined && { locked: v.locked }),
    ...(v.spaceId !== undefined && { space_id: v.spaceId }),
    ...(v.answerPostId !== undefined && { answer_post_id: v.answerPostId }),
    ...(v.touched && { last_activity_at: new Date() }),
  };
  // An empty patch changes nothing (and an UPDATE without SET is no SQL).
  if (Object.keys(set).length === 0) return;
  await db.updateTable('community_threads').set(set).where('id', '=', id).execute();
}

export async function markThreadRead(db: Kysely<DB>, userId: string, threadId: string): Promise<void> {
  const now = new Date();
  await db
    .insertInto('community_thread_reads')
    .values({ user_id: userId, thread_id: threadId, read_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doUpdateSet({ read_at: now }))
    .execute();
}

// ---- posts

export async function insertPost(
  db: Kysely<DB>,
  v: {
    threadId: string;
    opening: boolean;
    userId: string;
    organisationId: string;
    tlp: Tlp;
    md: string;
    html: string;
    text: string;
    recipients: readonly { organisationId: string; userId: string | null }[];
  },
): Promise<string> {
  const row = await db
    .insertInto('community_posts')
    .values({
      thread_id: v.threadId,
      opening: v.opening,
      author_user_id: v.userId,
      author_organisation_id: v.organisationId,
      tlp: v.tlp,
      body_md: v.md,
      body_html: v.html,
      body_text: v.text,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (v.recipients.length)
    await db
      .insertInto('tlp_recipients')
      .values(v.recipients.map((r) => ({ object_type: POST_OBJECT, object_id: row.id, organisation_id: r.organisationId, user_id: r.userId })))
      .execute();
  return row.id;
}

export async function findPost(db: Kysely<DB>, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('community_posts').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The marking of a thread's opening post: whoever is told of a reply must be able to see the thread itself. */
export async function openingMarking(db: Kysely<DB>, threadId: string): Promise<MarkedObject | undefined> {
  const post = await db
    .selectFrom('community_posts')
    .select(['id', 'tlp', 'author_organisation_id'])
    .where('thread_id', '=', threadId)
    .where('opening', '=', true)
    .executeTakeFirst();
  if (!post) return undefined;
  const recipients = (await recipientsOf(db, [post.id])).map((r) => ({ organisationId: r.organisationId, userId: r.userId }));
  return { tlp: post.tlp, ownerOrganisationId: post.author_organisation_id, recipients };
}

export async function recipientsOf(db: Kysely<DB>, postIds: readonly string[]) {
  if (!postIds.length) return [];
  return db
    .selectFrom('tlp_recipients')
    .select(['object_id', 'organisation_id as organisationId', 'user_id as userId'])
    .where('object_type', '=', POST_OBJECT)
    .where('object_id', 'in', postIds)
    .execute();
}

/** The posts of a thread the actor may see, oldest first, with their authors. */
export async function visiblePosts(db: Kysely<DB>, actor: Actor, cert: boolean, threadId: string) {
  return db
    .selectFrom('community_posts as p')
    .innerJoin('organisations as ao', 'ao.id', 'p.author_organisation_id')
    .leftJoin('users as au', 'au.id', 'p.author_user_id')
    .selectAll('p')
    .select(['au.name as author_name', 'ao.name as author_organisation'])
    .where('p.thread_id', '=', threadId)
    .where(postVisibleSql(actor, cert))
    .orderBy('p.opening', 'desc')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute();
}

export async function updatePostBody(db: Kysely<DB>, id: string, v: { md: string; html: string; text: string; version: number }): Promise<void> {
  await db
    .updateTable('community_posts')
    .set({ body_md: v.md, body_html: v.html, body_text: v.text, version: v.version, edited_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function insertVersion(
  db: Kysely<DB>,
  v: { postId: string; version: number; title: string | null; md: string; editedBy: string; createdAt: Date },
): Promise<void> {
  await db
    .insertInto('community_post_versions')
    .values({ post_id: v.postId, version: v.version, title: v.title, body_md: v.md, edited_by: v.editedBy, created_at: v.createdAt })
    .execute();
}

export async function versionsOf(db: Kysely<DB>, postId: string) {
  return db
    .selectFrom('community_post_versions as v')
    .leftJoin('users as u', 'u.id', 'v.edited_by')
    .select(['v.version', 'v.title', 'v.body_md', 'u.name as edited_by', 'v.created_at', 'v.replaced_at'])
    .where('v.post_id', '=', postId)
    .orderBy('v.version')
    .execute();
}

export async function setHidden(db: Kysely<DB>, id: string, v: { reason: string; by: string } | null): Promise<void> {
  await db
    .updateTable('community_posts')
    .set(v ? { hidden_at: new Date(), hidden_reason: v.reason, hidden_by: v.by } : { hidden_at: null, hidden_reason: null, hidden_by: null })
    .where('id', '=', id)
    .execute();
}

// ---- reactions and attachments

export async function reactionsOf(db: Kysely<DB>, postIds: readonly string[]) {
  if (!postIds.length) return [];
  return db.selectFrom('community_reactions').select(['post_id', 'kind', 'user_id']).where('post_id', 'in', postIds).execute();
}

export async function addReaction(db: Kysely<DB>, postId: string, userId: string, kind: string): Promise<void> {
  await db
    .insertInto('community_reactions')
    .values({ post_id: postId, user_id: userId, kind })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeReaction(db: Kysely<DB>, postId: string, userId: string, kind: string): Promise<void> {
  await db.deleteFrom('community_reactions').where('post_id', '=', postId).where('user_id', '=', userId).where('kind', '=', kind).execute();
}

export async function attachmentsOf(db: Kysely<DB>, postIds: readonly string[]) {
  if (!postIds.length) return [];
  return db
    .selectFrom('community_attachments')
    .select(['id', 'post_id', 'file_name', 'media_type', 'size_bytes'])
    .where('post_id', 'in', postIds)
    .orderBy('created_at')
    .execute();
}

export async function countAttachments(db: Kysely<DB>, postId: string): Promise<number> {
  const r = await db
    .selectFrom('community_attachments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('post_id', '=', postId)
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function insertAttachment(
  db: Kysely<DB>,
  v: { postId: string; fileName: string; mediaType: string; sizeBytes: number; sha256: string; storageName: string; encrypted: boolean; uploadedBy: string },
): Promise<string> {
  const row = await db
    .insertInto('community_attachments')
    .values({
      post_id: v.postId,
      file_name: v.fileName,
      media_type: v.mediaType,
      size_bytes: v.sizeBytes,
      sha256: v.sha256,
      storage_name: v.storageName,
      encrypted: v.encrypted,
      uploaded_by: v.uploadedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findAttachment(db: Kysely<DB>, id: string) {
  return db.selectFrom('community_attachments').selectAll().where('id', '=', id).executeTakeFirst();
}
