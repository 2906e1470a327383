import { z } from 'zod';
import { TLP_LEVELS, type Tlp } from '#lib/tlp.ts';
import { COMMUNITY_PREFERENCE_MODES } from '#db/schema-community.ts';

/** The fixed set of reactions: one of each per user per post. */
export const REACTION_KINDS = ['thumbsup', 'heart', 'tada', 'eyes', 'thinking', 'check'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

/** Roles a space may admit (CERT staff see every space anyway) and organisation kinds. */
export const SPACE_ROLES = ['participant-admin', 'participant-member', 'partner'] as const;
export const SPACE_KINDS = ['participant', 'partner', 'vendor'] as const;

export const MAX_BODY = 50_000;

const Recipient = z.object({ organisationId: z.uuid(), userId: z.uuid().nullish() }).strict();

// Same rule as documents: AMBER and up name someone; only RED names people rather than organisations.
function recipientRules(ctx: z.core.ParsePayload<{ tlp: Tlp; recipients: { userId?: string | null | undefined }[] }>): void {
  const d = ctx.value;
  if (d.tlp !== 'CLEAR' && d.tlp !== 'GREEN' && d.recipients.length === 0)
    ctx.issues.push({
      code: 'custom',
      message: 'TLP:AMBER, AMBER+STRICT and RED need at least one named recipient.',
      path: ['recipients'],
      input: d.recipients,
    });
  if (d.tlp !== 'RED' && d.recipients.some((r) => r.userId))
    ctx.issues.push({
      code: 'custom',
      message: 'Only TLP:RED names individual people; for other markings name organisations.',
      path: ['recipients'],
      input: d.recipients,
    });
}

const Body = z.string().trim().min(1, 'Write something.').max(MAX_BODY);

export const SpaceInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().max(2000).default(''),
    roles: z.array(z.enum(SPACE_ROLES)).max(3).default([]),
    organisationKinds: z.array(z.enum(SPACE_KINDS)).max(3).default([]),
    segments: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    memberOrganisationIds: z.array(z.uuid()).max(500).default([]),
  })
  .strict();
export type SpaceInput = z.infer<typeof SpaceInput>;

export const SpacePatch = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    description: z.string().trim().max(2000).optional(),
    roles: z.array(z.enum(SPACE_ROLES)).max(3).optional(),
    organisationKinds: z.array(z.enum(SPACE_KINDS)).max(3).optional(),
    segments: z.array(z.string().trim().min(1).max(60)).max(20).optional(),
    memberOrganisationIds: z.array(z.uuid()).max(500).optional(),
    archived: z.boolean().optional(),
  })
  .strict();
export type SpacePatch = z.infer<typeof SpacePatch>;

export const ThreadInput = z
  .object({ title: z.string().trim().min(1).max(200), body: Body, tlp: z.enum(TLP_LEVELS), recipients: z.array(Recipient).max(200).default([]) })
  .strict()
  .check(recipientRules);
export type ThreadInput = z.infer<typeof ThreadInput>;

export const PostInput = z
  .object({ body: Body, tlp: z.enum(TLP_LEVELS), recipients: z.array(Recipient).max(200).default([]) })
  .strict()
  .check(recipientRules);
export type PostInput = z.infer<typeof PostInput>;

export const PostEdit = z.object({ body: Body, title: z.string().trim().min(1).max(200).optional(), version: z.number().int().min(1) }).strict();
export type PostEdit = z.infer<typeof PostEdit>;

export const HideInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export const ThreadModeration = z
  .object({ pinned: z.boolean().optional(), locked: z.boolean().optional(), spaceId: z.uuid().optional() })
  .strict()
  .refine((v) => v.pinned !== undefined || v.locked !== undefined || v.spaceId !== undefined, 'Change at least one of pinned, locked, spaceId.');
export type ThreadModeration = z.infer<typeof ThreadModeration>;
export const AnswerInput = z.object({ postId: z.uuid().nullable() }).strict();
export const PreferenceInput = z.object({ mode: z.enum(COMMUNITY_PREFERENCE_MODES) }).strict();

export const SpaceParams = z.object({ spaceId: z.uuid('This is not a valid id.') }).strict();
export const ThreadParams = z.object({ threadId: z.uuid('This is not a valid id.') }).strict();
export const PostParams = z.object({ postId: z.uuid('This is not a valid id.') }).strict();
export const ReactionParams = z.object({ postId: z.uuid('This is not a valid id.'), kind: z.enum(REACTION_KINDS) }).strict();
export const AttachmentParams = z.object({ attachmentId: z.uuid('This is not a valid id.') }).strict();
export const ListQuery = z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(100).default(50) }).strict();
export const SearchQuery = z
  .object({ q: z.string().trim().min(2, 'Search for at least two characters.').max(200), limit: z.coerce.number().int().min(1).max(50).default(20) })
  .strict();

// ---- out

export const SpaceOut = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  roles: z.array(z.string()),
  organisationKinds: z.array(z.string()),
  segments: z.array(z.string()),
  memberOrganisationIds: z.array(z.string()),
  archived: z.boolean(),
  threadCount: z.number(),
  unreadCount: z.number(),
  lastActivityAt: z.string().nullable(),
  preference: z.enum(COMMUNITY_PREFERENCE_MODES),
  canModerate: z.boolean(),
});
export type SpaceOut = z.infer<typeof SpaceOut>;

export const ThreadSummaryOut = z.object({
  id: z.string(),
  spaceId: z.string(),
  title: z.string(),
  tlp: z.enum(TLP_LEVELS),
  authorName: z.string().nullable(),
  authorOrganisation: z.string(),
  pinned: z.boolean(),
  locked: z.boolean(),
  answered: z.boolean(),
  hidden: z.boolean(),
  replyCount: z.number(),
  unread: z.boolean(),
  createdAt: z.string(),
  lastActivityAt: z.string(),
});
export type ThreadSummaryOut = z.infer<typeof ThreadSummaryOut>;

export const AttachmentOut = z.object({ id: z.string(), fileName: z.string(), mediaType: z.string(), sizeBytes: z.number() });
export const PostOut = z.object({
  id: z.string(),
  opening: z.boolean(),
  authorUserId: z.string().nullable(),
  authorName: z.string().nullable(),
  authorOrganisation: z.string(),
  tlp: z.enum(TLP_LEVELS),
  recipients: z.array(z.object({ organisationId: z.string(), userId: z.string().nullable() })),
  bodyMarkdown: z.string(),
  bodyHtml: z.string(),
  version: z.number(),
  editedAt: z.string().nullable(),
  hidden: z.object({ at: z.string(), reason: z.string() }).nullable(),
  reactions: z.array(z.object({ kind: z.enum(REACTION_KINDS), count: z.number(), mine: z.boolean() })),
  attachments: z.array(AttachmentOut),
  isAnswer: z.boolean(),
  canEdit: z.boolean(),
  createdAt: z.string(),
});
export type PostOut = z.infer<typeof PostOut>;

export const ThreadOut = ThreadSummaryOut.extend({
  spaceName: z.string(),
  answerPostId: z.string().nullable(),
  posts: z.array(PostOut),
  canModerate: z.boolean(),
  canReply: z.boolean(),
  canMarkAnswer: z.boolean(),
});
export type ThreadOut = z.infer<typeof ThreadOut>;

export const VersionOut = z.object({
  version: z.number(),
  title: z.string().nullable(),
  bodyMarkdown: z.string(),
  editedBy: z.string().nullable(),
  createdAt: z.string(),
  replacedAt: z.string(),
});
export const MemberOrganisationOut = z.object({ id: z.string(), name: z.string(), kind: z.string() });
export const SearchHitOut = z.object({
  kind: z.enum(['thread', 'post', 'article', 'publication', 'meeting']),
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  url: z.string(),
  updatedAt: z.string(),
});
