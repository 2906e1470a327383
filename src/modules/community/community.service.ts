import type { Ctx } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { authorize, can } from '#modules/access/policy.ts';
import { isCommunityCert } from '#modules/access/policy-community.ts';
import { record } from '#modules/audit/audit.service.ts';
import { auditedRead } from '#lib/tlp.ts';
import type { CommunityPreferenceMode } from '#db/schema-community.ts';
import type { SearchHit } from '#modules/search/search.types.ts';
import * as repo from './community.repository.ts';
import * as searchRepo from './community-search.repository.ts';
import { loadSpace, loadThread } from './community-access.ts';
import { presentPost, presentSpace, presentThreadSummary } from './community.presenter.ts';
import type { SpaceInput, SpacePatch, ThreadOut } from './community.schema.ts';

/* Spaces, the thread list and the thread view, and search: what a reader sees. */

export async function listSpaces(ctx: Ctx) {
  authorize(ctx.actor, 'community:read');
  const cert = isCommunityCert(ctx.actor);
  const moderator = isCommunityCert(ctx.actor, 'community:moderate');
  return (await repo.listSpaces(ctx.db, ctx.actor, cert)).map((s) => presentSpace(s, moderator));
}

export async function getSpace(ctx: Ctx, spaceId: string) {
  const { space, actor } = await loadSpace(ctx, spaceId);
  const rows = await repo.listSpaces(ctx.db, actor, isCommunityCert(actor));
  const row = rows.find((r) => r.id === space.id);
  if (!row) throw notFound('space');
  return presentSpace(row, isCommunityCert(actor, 'community:moderate'));
}

export async function listThreads(ctx: Ctx, spaceId: string, q: { cursor?: string | undefined; limit: number }) {
  const { space, actor, access } = await loadSpace(ctx, spaceId);
  // A numeric offset as cursor: pinned-first ordering over changing activity has no stable keyset.
  const offset = q.cursor && /^\d{1,6}$/.test(q.cursor) ? Number(q.cursor) : 0;
  const rows = await repo.listThreads(ctx.db, actor, access === 'cert', space.id, q.limit + 1, offset);
  return { items: rows.slice(0, q.limit).map(presentThreadSummary), nextCursor: rows.length > q.limit ? String(offset + q.limit) : null };
}

export async function spaceOrganisations(ctx: Ctx, spaceId: string) {
  const { space } = await loadSpace(ctx, spaceId);
  return (await repo.spaceOrganisations(ctx.db, space)).map((o) => ({ id: o.id, name: o.name, kind: o.kind }));
}

/** The thread with the posts the reader may see; a post the reader may not see is left out silently. */
export async function getThread(ctx: Ctx, threadId: string): Promise<ThreadOut> {
  const { thread, space, cert, actor } = await loadThread(ctx, threadId);
  const posts = await repo.visiblePosts(ctx.db, actor, cert, thread.id);
  const ids = posts.map((p) => p.id);
  const [recipients, reactions, attachments] = await Promise.all([
    repo.recipientsOf(ctx.db, ids),
    repo.reactionsOf(ctx.db, ids),
    repo.attachmentsOf(ctx.db, ids),
  ]);
  await repo.markThreadRead(ctx.db, actor.userId, thread.id);
  if (posts.some((p) => auditedRead(p.tlp)))
    await record(ctx, { action: 'community.thread.read', targetType: 'community_thread', targetId: thread.id, details: { tlp: thread.tlp } });
  const moderator = isCommunityCert(actor, 'community:moderate');
  const answerVisible = posts.some((p) => p.id === thread.answer_post_id);
  return {
    ...presentThreadSummary({ ...thread, unread: false }),
    answered: answerVisible,
    spaceName: space.name,
    answerPostId: answerVisible ? thread.answer_post_id : null,
    posts: posts.map((p) => presentPost(p, { actor, cert, answerPostId: thread.answer_post_id, recipients, reactions, attachments })),
    canModerate: moderator,
    canReply: !thread.locked && can(actor, 'community:post'),
    canMarkAnswer: moderator || thread.author_user_id === actor.userId,
  };
}

export async function setPreference(ctx: Ctx, spaceId: string, mode: CommunityPreferenceMode) {
  const { space, actor } = await loadSpace(ctx, spaceId);
  await repo.setPreference(ctx.db, actor.userId, space.id, mode);
  return { mode };
}

// ---- spaces (the CERT)

async function checkOrganisations(ctx: Ctx, ids: readonly string[]): Promise<void> {
  for (const id of new Set(ids)) {
    const row = await ctx.db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst();
    if (!row) throw badRequest('community_organisation_unknown', `Organisation ${id} does not exist.`, { field: 'memberOrganisationIds' });
  }
}

export async function createSpace(ctx: Ctx, input: SpaceInput) {
  authorize(ctx.actor, 'community:moderate');
  const actor = ctx.actor;
  await checkOrganisations(ctx, input.memberOrganisationIds);
  const id = await inTransaction(ctx, async (tx) => {
    const id = await repo.insertSpace(tx.db, {
      name: input.name,
      description: input.description,
      roles: [...new Set(input.roles)],
      kinds: [...new Set(input.organisationKinds)],
      segments: [...new Set(input.segments)],
      createdBy: actor.userId,
    });
    await repo.setSpaceMembers(tx.db, id, input.memberOrganisationIds);
    await record(tx, {
      action: 'community.space.create',
      targetType: 'community_space',
      targetId: id,
      details: { name: input.name, roles: input.roles, kinds: input.organisationKinds },
    });
    return id;
  });
  return getSpace(ctx, id);
}

export async function updateSpace(ctx: Ctx, spaceId: string, patch: SpacePatch) {
  const { space } = await loadSpace(ctx, spaceId, 'community:moderate');
  if (patch.memberOrganisationIds) await checkOrganisations(ctx, patch.memberOrganisationIds);
  await inTransaction(ctx, async (tx) => {
    await repo.updateSpace(tx.db, space.id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.roles && { roles: [...new Set(patch.roles)] }),
      ...(patch.organisationKinds && { kinds: [...new Set(patch.organisationKinds)] }),
      ...(patch.segments && { segments: [...new Set(patch.segments)] }),
      ...(patch.archived !== undefined && { archived: patch.archived }),
    });
    if (patch.memberOrganisationIds) await repo.setSpaceMembers(tx.db, space.id, patch.memberOrganisationIds);
    await record(tx, { action: 'community.space.update', targetType: 'community_space', targetId: space.id, details: { fields: Object.keys(patch) } });
  });
  return getSpace(ctx, space.id);
}

// ---- search

/** Threads and replies the reader may see whose title or text matches, best first. */
export async function searchCommunity(ctx: Ctx, query: string, limit: number): Promise<SearchHit[]> {
  authorize(ctx.actor, 'community:read');
  const q = query.trim();
  if (q.length < 2) return [];
  const rows = await searchRepo.search(ctx.db, ctx.actor, isCommunityCert(ctx.actor), q, Math.min(Math.max(limit, 1), 50));
  return rows.map((r) => ({
    kind: r.opening ? 'thread' : 'post',
    id: r.opening ? r.thread_id : r.id,
    title: r.title,
    snippet: r.snippet,
    url: `/community/threads/${r.thread_id}${r.opening ? '' : `#post-${r.id}`}`,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}
