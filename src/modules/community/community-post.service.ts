import type { Ctx } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { isCommunityCert } from '#modules/access/policy-community.ts';
import { record } from '#modules/audit/audit.service.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import { markdownToText, renderMarkdown } from '#lib/markdown.ts';
import * as repo from './community.repository.ts';
import { loadPost, loadSpace, loadThread } from './community-access.ts';
import { announceChange, announcePost } from './community-notify.service.ts';
import { getThread } from './community.service.ts';
import type { PostEdit, PostInput, ThreadInput, ThreadModeration } from './community.schema.ts';

/* Writing in the community: threads, replies, edits (with history), reactions, answers, moderation. */

type Recipient = { organisationId: string; userId: string | null };

/** Recipients of an AMBER+ post: each once, each an organisation the space admits, a named person one of its users. */
async function checkRecipients(ctx: Ctx, space: repo.SpaceRow, input: { organisationId: string; userId?: string | null | undefined }[]): Promise<Recipient[]> {
  const unique = input
    .map((r) => ({ organisationId: r.organisationId, userId: r.userId ?? null }))
    .filter((r, i, all) => all.findIndex((x) => x.organisationId === r.organisationId && x.userId === r.userId) === i);
  if (!unique.length) return unique;
  const admitted = new Set((await repo.spaceOrganisations(ctx.db, space)).map((o) => o.id));
  for (const r of unique) {
    if (!admitted.has(r.organisationId))
      throw badRequest('community_recipient_not_member', 'A named recipient is not an organisation of this space.', {
        field: 'recipients',
        organisationId: r.organisationId,
      });
    if (r.userId && (await findUserWithOrgById(ctx.db, r.userId))?.organisation_id !== r.organisationId)
      throw badRequest('community_recipient_not_member', 'A named person is not a user of the named organisation.', { field: 'recipients', userId: r.userId });
  }
  return unique;
}

function render(md: string) {
  return { md, html: renderMarkdown(md), text: markdownToText(md) };
}

export async function createThread(ctx: Ctx, spaceId: string, input: ThreadInput) {
  const { space, actor } = await loadSpace(ctx, spaceId, 'community:post');
  if (space.archived_at) throw conflict('community_space_archived', 'This space is archived: no new threads.');
  const recipients = await checkRecipients(ctx, space, input.recipients);
  const body = render(input.body);
  const threadId = await inTransaction(ctx, async (tx) => {
    const threadId = await repo.insertThread(tx.db, { spaceId: space.id, title: input.title, userId: actor.userId, organisationId: actor.organisationId });
    const postId = await repo.insertPost(tx.db, {
      threadId,
      opening: true,
      userId: actor.userId,
      organisationId: actor.organisationId,
      tlp: input.tlp,
      ...body,
      recipients,
    });
    await record(tx, {
      action: 'community.thread.create',
      targetType: 'community_thread',
      targetId: threadId,
      details: { spaceId: space.id, tlp: input.tlp, recipients: recipients.length },
    });
    await announcePost(tx, {
      postId,
      threadId,
      threadTitle: input.title,
      spaceId: space.id,
      spaceName: space.name,
      tlp: input.tlp,
      authorOrganisationId: actor.organisationId,
      authorUserId: actor.userId,
      authorName: await authorName(tx, actor.userId),
      recipients,
      bodyMd: body.md,
      bodyText: body.text,
      opening: true,
    });
    return threadId;
  });
  return getThread(ctx, threadId);
}

async function authorName(ctx: Ctx, userId: string): Promise<string> {
  return (await findUserWithOrgById(ctx.db, userId))?.name ?? 'Someone';
}

export async function reply(ctx: Ctx, threadId: string, input: PostInput) {
  const { thread, space, actor } = await loadThread(ctx, threadId, 'community:post');
  const recipients = await checkRecipients(ctx, space, input.recipients);
  const body = render(input.body);
  await inTransaction(ctx, async (tx) => {
    // Locked under the row lock, so a reply racing the lock is refused too.
    const locked = await repo.findThread(tx.db, thread.id, { forUpdate: true });
    if (!locked) throw notFound('thread');
    if (locked.locked) throw conflict('community_thread_locked', 'This thread is locked: no new replies.');
    const postId = await repo.insertPost(tx.db, {
      threadId: thread.id,
      opening: false,
      userId: actor.userId,
      organisationId: actor.organisationId,
      tlp: input.tlp,
      ...body,
      recipients,
    });
    await repo.updateThread(tx.db, thread.id, { touched: true });
    await record(tx, {
      action: 'community.post.create',
      targetType: 'community_post',
      targetId: postId,
      details: { threadId: thread.id, tlp: input.tlp, recipients: recipients.length },
    });
    await announcePost(tx, {
      postId,
      threadId: thread.id,
      threadTitle: thread.title,
      spaceId: space.id,
      spaceName: space.name,
      tlp: input.tlp,
      authorOrganisationId: actor.organisationId,
      authorUserId: actor.userId,
      authorName: await authorName(tx, actor.userId),
      recipients,
      bodyMd: body.md,
      bodyText: body.text,
      threadMarking: await repo.openingMarking(tx.db, thread.id),
      opening: false,
    });
  });
  return getThread(ctx, thread.id);
}

/** The author edits their post; the version it replaces is kept. `version` guards against overwriting a newer edit. */
export async function editPost(ctx: Ctx, postId: string, input: PostEdit) {
  const { post, thread, space, recipients } = await loadPost(ctx, postId, 'community:post');
  const actor = ctx.actor!;
  if (post.author_user_id !== actor.userId) throw forbidden('Only the author edits a post; the CERT can hide it.');
  if (post.hidden_at) throw conflict('community_post_hidden', 'A hidden post cannot be edited.');
  if (input.title !== undefined && !post.opening)
    throw badRequest('community_title_on_reply', 'Only the opening post of a thread has a title.', { field: 'title' });
  const body = render(input.body);
  await inTransaction(ctx, async (tx) => {
    const current = await repo.findPost(tx.db, post.id, { forUpdate: true });
    if (!current) throw notFound('post');
    if (current.version !== input.version)
      throw conflict('community_post_changed', 'The post was edited meanwhile; reload and edit again.', { version: current.version });
    await repo.insertVersion(tx.db, {
      postId: post.id,
      version: current.version,
      title: post.opening ? thread.title : null,
      md: current.body_md,
      editedBy: actor.userId,
      createdAt: current.edited_at ?? current.created_at,
    });
    await repo.updatePostBody(tx.db, post.id, { ...body, version: current.version + 1 });
    if (input.title !== undefined) await repo.updateThread(tx.db, thread.id, { title: input.title });
    await record(tx, { action: 'community.post.edit', targetType: 'community_post', targetId: post.id, details: { version: current.version + 1 } });
    await announceChange(tx, changeOf({ post, thread, space, recipients }));
  });
  return getThread(ctx, thread.id);
}

/** Earlier versions of a post: the CERT's (readers see only that a post was edited). */
export async function postVersions(ctx: Ctx, postId: string) {
  authorize(ctx.actor, 'community:moderate');
  const { post } = await loadPost(ctx, postId, 'community:moderate');
  const rows = await repo.versionsOf(ctx.db, post.id);
  return rows.map((v) => ({
    version: v.version,
    title: v.title,
    bodyMarkdown: v.body_md,
    editedBy: v.edited_by,
    createdAt: v.created_at.toISOString(),
    replacedAt: v.replaced_at.toISOString(),
  }));
}

export async function react(ctx: Ctx, postId: string, kind: string, on: boolean) {
  const { post, thread, space, recipients } = await loadPost(ctx, postId, 'community:post');
  await inTransaction(ctx, async (tx) => {
    if (on) await repo.addReaction(tx.db, post.id, tx.actor!.userId, kind);
    else await repo.removeReaction(tx.db, post.id, tx.actor!.userId, kind);
    await announceChange(tx, changeOf({ post, thread, space, recipients }));
  });
  return getThread(ctx, thread.id);
}

/** The thread's author or the CERT marks a reply as the answer (null: no answer). */
export async function markAnswer(ctx: Ctx, threadId: string, postId: string | null) {
  const { thread, actor } = await loadThread(ctx, threadId, 'community:post');
  if (thread.author_user_id !== actor.userId && !isCommunityCert(actor, 'community:moderate'))
    throw forbidden('Only the thread’s author or the CERT marks the answer.');
  if (postId) {
    const { post } = await loadPost(ctx, postId, 'community:post');
    if (post.thread_id !== thread.id || post.opening)
      throw badRequest('community_answer_invalid', 'The answer must be a reply in this thread.', { field: 'postId' });
  }
  await inTransaction(ctx, async (tx) => {
    await repo.updateThread(tx.db, thread.id, { answerPostId: postId });
    await record(tx, { action: 'community.thread.answer', targetType: 'community_thread', targetId: thread.id, details: { postId } });
  });
  return getThread(ctx, thread.id);
}

// ---- moderation (the CERT)

export async function hidePost(ctx: Ctx, postId: string, reason: string | null) {
  const { post, thread, space, recipients } = await loadPost(ctx, postId, 'community:moderate');
  await inTransaction(ctx, async (tx) => {
    await repo.setHidden(tx.db, post.id, reason === null ? null : { reason, by: tx.actor!.userId });
    await record(tx, {
      action: reason === null ? 'community.post.unhide' : 'community.post.hide',
      targetType: 'community_post',
      targetId: post.id,
      details: { reason },
    });
    await announceChange(tx, changeOf({ post, thread, space, recipients }));
  });
  return getThread(ctx, thread.id);
}

export async function moderateThread(ctx: Ctx, threadId: string, input: ThreadModeration) {
  const { thread } = await loadThread(ctx, threadId, 'community:moderate');
  if (input.spaceId && input.spaceId !== thread.space_id) {
    const target = await repo.findSpace(ctx.db, input.spaceId);
    if (!target) throw new AppError('bad_request', 'community_space_unknown', 'The space to move the thread to does not exist.', { field: 'spaceId' });
  }
  await inTransaction(ctx, async (tx) => {
    await repo.updateThread(tx.db, thread.id, {
      ...(input.pinned !== undefined && { pinned: input.pinned }),
      ...(input.locked !== undefined && { locked: input.locked }),
      ...(input.spaceId && { spaceId: input.spaceId }),
    });
    await record(tx, {
      action: 'community.thread.moderate',
      targetType: 'community_thread',
      targetId: thread.id,
      details: { ...input, fromSpaceId: input.spaceId ? thread.space_id : undefined },
    });
  });
  return getThread(ctx, thread.id);
}

/** What an open page needs to hear of a changed post (an edit, a reaction, moderation), from the loaded post. */
function changeOf(p: Pick<Awaited<ReturnType<typeof loadPost>>, 'post' | 'thread' | 'space' | 'recipients'>) {
  return {
    postId: p.post.id,
    threadId: p.thread.id,
    spaceId: p.space.id,
    tlp: p.post.tlp,
    authorOrganisationId: p.post.author_organisation_id,
    recipients: p.recipients,
  };
}
