import { openingMarking } from './community.repository.ts';
import type { MarkedObject } from '#modules/access/policy.ts';
import type { Ctx } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { tlpLabel, tlpRank, type Tlp } from '#lib/tlp.ts';
import { buildActor } from '#modules/identity/actor-builder.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as audience from './community-notify.repository.ts';
import { digestMail, postMail, withheld } from './community-mail-text.ts';

/**
 * What a new post sets in motion: a live refresh for the open pages of those who may see it, a
 * portal notification and a mail for those who chose "instantly" for the space, a notification for
 * each person mentioned who may see it, and once a day a digest. Every one of these resolves its
 * people through the space rule and the post's TLP (community-notify.repository.ts): nobody the
 * space or the marking excludes hears of the post at all.
 */

const IDS_PER_EVENT = 150;
const MENTION = /(?:^|[\s(])@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

export function mentionedEmails(md: string): string[] {
  return [...new Set([...md.matchAll(MENTION)].map((m) => m[1]!.toLowerCase()))];
}

// Mail leaves the portal unencrypted: above GREEN it says that there is a post, not what it says.
const mailsContent = (tlp: Tlp) => tlpRank(tlp) <= tlpRank('GREEN');

export interface NewPost {
  postId: string;
  threadId: string;
  threadTitle: string;
  spaceId: string;
  spaceName: string;
  tlp: Tlp;
  authorOrganisationId: string;
  authorUserId: string;
  authorName: string;
  recipients: readonly { organisationId: string; userId: string | null }[];
  bodyMd: string;
  bodyText: string;
  opening: boolean;
  /** For a reply: the marking of the thread's opening post (who may see the thread at all). */
  threadMarking?: MarkedObject | undefined;
}

export async function announcePost(ctx: Ctx, p: NewPost): Promise<void> {
  const people = await audience.postAudience(
    ctx.db,
    p.spaceId,
    { tlp: p.tlp, ownerOrganisationId: p.authorOrganisationId, recipients: p.recipients },
    p.threadMarking,
  );
  const ids = people.map((u) => u.id);
  for (let i = 0; i < ids.length; i += IDS_PER_EVENT) {
    await publish(ctx, {
      type: 'community.post',
      organisationId: null,
      userIds: ids.slice(i, i + IDS_PER_EVENT),
      data: { threadId: p.threadId, spaceId: p.spaceId, postId: p.postId },
    });
  }
  const link = `/community/threads/${p.threadId}`;
  const url = new URL(link, ctx.services.config.publicUrl).toString();
  const others = people.filter((u) => u.id !== p.authorUserId);
  const instant = others.filter((u) => u.mode === 'instant');
  const title = p.opening ? `New thread in ${p.spaceName}: ${p.threadTitle}` : `New reply in ${p.spaceName}: ${p.threadTitle}`;
  if (instant.length)
    await notifyUsers(
      ctx,
      instant.map((u) => u.id),
      {
        kind: 'community.post',
        title,
        body: `${p.authorName} (${tlpLabel(p.tlp)})`,
        link,
        subjectType: 'community_post',
        subjectId: p.postId,
        dedupeKey: `community-post:${p.postId}`,
      },
    );
  for (const u of instant) {
    const mail = postMail(u.locale, { ...p, content: mailsContent(p.tlp) ? p.bodyText.slice(0, 4000) : null, url });
    await queueMail(ctx, `community-post:${p.postId}:${u.id}`, { to: u.email, ...mail });
  }
  const mentioned = new Set((await audience.usersByEmail(ctx.db, mentionedEmails(p.bodyMd))).map((u) => u.id));
  const reachable = others.filter((u) => mentioned.has(u.id)).map((u) => u.id);
  if (reachable.length)
    await notifyUsers(ctx, reachable, {
      kind: 'community.mention',
      title: `${p.authorName} mentioned you in "${p.threadTitle}"`,
      link,
      subjectType: 'community_post',
      subjectId: p.postId,
      dedupeKey: `community-mention:${p.postId}`,
    });
}

/** Tells the open pages of a thread to refresh after an edit or moderation (ids only, to who may see the post). */
export async function announceChange(
  ctx: Ctx,
  p: {
    postId: string;
    threadId: string;
    spaceId: string;
    tlp: Tlp;
    authorOrganisationId: string;
    recipients: readonly { organisationId: string; userId: string | null }[];
  },
): Promise<void> {
  const people = await audience.postAudience(
    ctx.db,
    p.spaceId,
    { tlp: p.tlp, ownerOrganisationId: p.authorOrganisationId, recipients: p.recipients },
    await openingMarking(ctx.db, p.threadId),
  );
  const ids = people.map((u) => u.id);
  for (let i = 0; i < ids.length; i += IDS_PER_EVENT)
    await publish(ctx, {
      type: 'community.post',
      organisationId: null,
      userIds: ids.slice(i, i + IDS_PER_EVENT),
      data: { threadId: p.threadId, spaceId: p.spaceId, postId: p.postId },
    });
}

/**
 * The daily digest: per user, the posts of the 24 hours before `now` in spaces set to "daily
 * digest" that the user may see, built with the very rule of the thread view (as that user). One
 * mail per user and day: the outbox key makes a second run the same day a no-op.
 */
export async function sendDigests(ctx: Ctx, now: Date): Promise<{ sent: number }> {
  const from = new Date(now.getTime() - 24 * 3600_000);
  const day = now.toISOString().slice(0, 10);
  let sent = 0;
  for (const candidate of await audience.digestCandidates(ctx.db)) {
    const user = await findUserWithOrgById(ctx.db, candidate.id);
    if (!user) continue;
    const actor = { ...(await buildActor(ctx.db, user, { sessionId: 'community-digest' })), sessionId: null };
    const posts = await audience.digestPosts(ctx.db, actor, from, now);
    if (!posts.length) continue;
    const lines: string[] = [];
    let lastThread = '';
    for (const p of posts) {
      if (p.thread_id !== lastThread) {
        lines.push('', `${p.space_name} — ${p.title}`, new URL(`/community/threads/${p.thread_id}`, ctx.services.config.publicUrl).toString());
        lastThread = p.thread_id;
      }
      const text = mailsContent(p.tlp) ? p.body_text.replace(/\s+/g, ' ').slice(0, 300) : withheld(candidate.locale);
      lines.push(`  [${tlpLabel(p.tlp)}] ${p.author_organisation}: ${text}`);
    }
    await inTransaction(ctx, async (tx) => {
      await queueMail(tx, `community-digest:${candidate.id}:${day}`, {
        to: candidate.email,
        ...digestMail(candidate.locale, { day, count: posts.length, lines }),
      });
    });
    sent++;
  }
  return { sent };
}
