import type { Ctx } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import type { Actor } from '#modules/access/actor.ts';
import type { Permission } from '#modules/access/permissions.ts';
import { authorize, canSeeMarked } from '#modules/access/policy.ts';
import { isCommunityCert, spaceAccess } from '#modules/access/policy-community.ts';
import * as repo from './community.repository.ts';

/**
 * Every community route that names a space, thread, post or attachment loads it through here, so
 * that what does not exist and what the actor may not see answer alike (404).
 */

export interface SpaceView {
  space: repo.SpaceRow;
  access: 'cert' | 'member';
}

export async function loadSpace(ctx: Ctx, spaceId: string, permission: Permission = 'community:read'): Promise<SpaceView & { actor: Actor }> {
  authorize(ctx.actor, permission);
  const actor = ctx.actor;
  const space = await repo.findSpace(ctx.db, spaceId);
  if (!space) throw notFound('space');
  const rule = {
    roles: space.roles,
    organisationKinds: space.organisation_kinds,
    segments: space.segments,
    memberOrganisationIds: space.memberOrganisationIds,
  };
  const access = spaceAccess(actor, permission, rule, { segment: await repo.organisationSegment(ctx.db, actor.organisationId) });
  // An archived space is read-only history for the CERT; members no longer see it.
  if (!access || (access === 'member' && space.archived_at)) throw notFound('space');
  return { space, access, actor };
}

/** A thread the actor may see (its space, its opening post under TLP, not hidden unless CERT). */
export async function loadThread(ctx: Ctx, threadId: string, permission: Permission = 'community:read') {
  authorize(ctx.actor, permission);
  const actor = ctx.actor;
  const cert = isCommunityCert(actor, permission);
  const thread = await repo.findVisibleThread(ctx.db, actor, cert, threadId);
  if (!thread) throw notFound('thread');
  // The space rule in code as well as SQL: an archived space or a token without the permission.
  const { space, access } = await loadSpace(ctx, thread.space_id, permission).catch(() => {
    throw notFound('thread');
  });
  return { thread, space, access, cert, actor };
}

/** A post the actor may see, with its thread. */
export async function loadPost(ctx: Ctx, postId: string, permission: Permission = 'community:read') {
  authorize(ctx.actor, permission);
  const post = await repo.findPost(ctx.db, postId);
  if (!post) throw notFound('post');
  const view = await loadThread(ctx, post.thread_id, permission).catch(() => {
    throw notFound('post');
  });
  const recipients = (await repo.recipientsOf(ctx.db, [post.id])).map((r) => ({ organisationId: r.organisationId, userId: r.userId }));
  const visible = canSeeMarked(view.actor, { tlp: post.tlp, ownerOrganisationId: post.author_organisation_id, recipients }) && (view.cert || !post.hidden_at);
  if (!visible) throw notFound('post');
  return { ...view, post, recipients };
}
