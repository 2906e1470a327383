import type { Actor } from '#modules/access/actor.ts';
import type { CommunityPreferenceMode } from '#db/schema-community.ts';
import { REACTION_KINDS, type PostOut, type ReactionKind, type SpaceOut, type ThreadSummaryOut } from './community.schema.ts';
import type * as repo from './community.repository.ts';
import { DEFAULT_MODE } from './community-notify.repository.ts';

/* The community's response shapes: never a row as stored. */

type SpaceListRow = Awaited<ReturnType<typeof repo.listSpaces>>[number];

export function presentSpace(s: SpaceListRow, canModerate: boolean): SpaceOut {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    roles: s.roles,
    organisationKinds: s.organisation_kinds,
    segments: s.segments,
    memberOrganisationIds: s.member_ids,
    archived: s.archived_at !== null,
    threadCount: s.thread_count,
    unreadCount: s.unread_count,
    lastActivityAt: s.last_activity_at ? new Date(s.last_activity_at).toISOString() : null,
    preference: (s.preference ?? DEFAULT_MODE) as CommunityPreferenceMode,
    canModerate,
  };
}

export function presentThreadSummary(t: repo.ThreadRow): ThreadSummaryOut {
  return {
    id: t.id,
    spaceId: t.space_id,
    title: t.title,
    tlp: t.tlp,
    authorName: t.author_name,
    authorOrganisation: t.author_organisation,
    pinned: t.pinned,
    locked: t.locked,
    answered: t.answer_post_id !== null,
    hidden: t.hidden,
    replyCount: t.reply_count,
    unread: t.unread,
    createdAt: t.created_at.toISOString(),
    lastActivityAt: t.last_activity_at.toISOString(),
  };
}

type PostRow = Awaited<ReturnType<typeof repo.visiblePosts>>[number];

export function presentPost(
  p: PostRow,
  extra: {
    actor: Actor;
    cert: boolean;
    answerPostId: string | null;
    recipients: { object_id: string; organisationId: string; userId: string | null }[];
    reactions: { post_id: string; kind: string; user_id: string }[];
    attachments: { id: string; post_id: string; file_name: string; media_type: string; size_bytes: string }[];
  },
): PostOut {
  const mine = extra.reactions.filter((r) => r.post_id === p.id);
  return {
    id: p.id,
    opening: p.opening,
    authorUserId: p.author_user_id,
    authorName: p.author_name,
    authorOrganisation: p.author_organisation,
    tlp: p.tlp,
    recipients: extra.recipients.filter((r) => r.object_id === p.id).map((r) => ({ organisationId: r.organisationId, userId: r.userId })),
    bodyMarkdown: p.body_md,
    bodyHtml: p.body_html,
    version: p.version,
    editedAt: p.edited_at?.toISOString() ?? null,
    // Only the CERT gets hidden posts at all; the reason is theirs.
    hidden: p.hidden_at ? { at: p.hidden_at.toISOString(), reason: p.hidden_reason ?? '' } : null,
    reactions: REACTION_KINDS.map((kind: ReactionKind) => ({
      kind,
      count: mine.filter((r) => r.kind === kind).length,
      mine: mine.some((r) => r.kind === kind && r.user_id === extra.actor.userId),
    })).filter((r) => r.count > 0),
    attachments: extra.attachments
      .filter((a) => a.post_id === p.id)
      .map((a) => ({ id: a.id, fileName: a.file_name, mediaType: a.media_type, sizeBytes: Number(a.size_bytes) })),
    isAnswer: extra.answerPostId === p.id,
    canEdit: p.author_user_id === extra.actor.userId,
    createdAt: p.created_at.toISOString(),
  };
}
