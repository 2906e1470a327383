import { z } from 'zod';
import { KB_TLPS, REQUEST_CHANNELS, REQUEST_MESSAGE_KINDS, REQUEST_STATUSES } from '#db/schema-requests.ts';

const OneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\r\n]+$/, 'One line, please.');
const Body = (max: number) => z.string().trim().min(1, 'Write something first.').max(max);
export const Language = z.enum(['nl', 'en']);

export const RequestIdParams = z.object({ id: z.uuid('This is not a valid request id.') }).strict();
export const MessageParams = z.object({ id: z.uuid('This is not a valid request id.'), messageId: z.uuid('This is not a valid message id.') }).strict();
export const IdParams = z.object({ id: z.uuid('This is not a valid id.') }).strict();

export const AskInput = z
  .object({
    /** A topic of the CERT's list (by id) or one of the asker's own words. */
    topicId: z.uuid('This is not a valid topic.').optional(),
    topic: OneLine(120).optional(),
    subject: OneLine(200),
    body: Body(20_000),
    language: Language.default('nl'),
  })
  .strict();
export type AskInput = z.infer<typeof AskInput>;

export const FollowUpInput = z.object({ body: Body(20_000) }).strict();
export const AnswerInput = z.object({ body: Body(50_000), close: z.boolean().default(false) }).strict();
export const NoteInput = z.object({ body: Body(20_000) }).strict();
export const RequestPatch = z
  .object({
    assigneeId: z.uuid('This is not a valid user id.').nullable().optional(),
    status: z.enum(['closed', 'new'], 'A request is closed, or reopened as new.').optional(),
    topic: OneLine(120).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'Say what to change.');

export const RequestListQuery = z
  .object({
    status: z.enum(REQUEST_STATUSES).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    assignee: z.union([z.uuid(), z.literal('me')]).optional(),
    held: z.enum(['true', 'false']).optional(),
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type RequestListQuery = z.infer<typeof RequestListQuery>;

export const SlaOut = z.object({
  due: z.string(),
  state: z.enum(['met', 'running', 'overdue', 'stopped']),
});
export const RequestSummaryOut = z.object({
  id: z.uuid(),
  reference: z.string(),
  organisationId: z.uuid(),
  organisationName: z.string(),
  topic: z.string(),
  subject: z.string(),
  channel: z.enum(REQUEST_CHANNELS),
  status: z.enum(REQUEST_STATUSES),
  assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  sla: SlaOut,
  /** CERT only: replies held for review in this request. */
  heldCount: z.number().int().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RequestSummaryOut = z.infer<typeof RequestSummaryOut>;

export const MessageOut = z.object({
  id: z.uuid(),
  kind: z.enum(REQUEST_MESSAGE_KINDS),
  channel: z.enum(REQUEST_CHANNELS),
  author: z.string().nullable(),
  fromCert: z.boolean(),
  body: z.string(),
  bodyHtml: z.string(),
  pgp: z.string().nullable(),
  held: z.boolean(),
  createdAt: z.string(),
});
export const RequestOut = RequestSummaryOut.extend({
  askerName: z.string().nullable(),
  askerEmail: z.string().nullable(),
  language: Language,
  firstAnsweredAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  chatState: z.enum(['waiting', 'active', 'ended']).nullable(),
  messages: z.array(MessageOut),
  /** CERT only: knowledge-base articles made from this request. */
  articles: z.array(z.object({ id: z.uuid(), title: z.string() })).optional(),
});
export type RequestOut = z.infer<typeof RequestOut>;

export const HeldOut = z.object({
  messages: z.array(
    z.object({
      id: z.uuid(),
      requestId: z.uuid(),
      reference: z.string(),
      from: z.string().nullable(),
      body: z.string(),
      pgp: z.string().nullable(),
      receivedAt: z.string(),
    }),
  ),
  mails: z.array(
    z.object({ id: z.uuid(), from: z.string(), subject: z.string(), body: z.string(), pgp: z.string().nullable(), reason: z.string(), receivedAt: z.string() }),
  ),
});
export const ReleaseHeldMailInput = z.object({ organisationId: z.uuid('Choose the organisation the question is from.') }).strict();

export const TopicOut = z.object({ id: z.uuid(), nameNl: z.string(), nameEn: z.string(), active: z.boolean() });
export const TopicInput = z.object({ nameNl: OneLine(120), nameEn: OneLine(120) }).strict();
export const TopicPatch = z.object({ nameNl: OneLine(120).optional(), nameEn: OneLine(120).optional(), active: z.boolean().optional() }).strict();

export const CannedOut = z.object({ id: z.uuid(), title: z.string(), body: z.string(), language: Language, updatedAt: z.string() });
export const CannedInput = z.object({ title: OneLine(200), body: Body(20_000), language: Language.default('nl') }).strict();
export const CannedPatch = z.object({ title: OneLine(200).optional(), body: Body(20_000).optional(), language: Language.optional() }).strict();

// ---- knowledge base

const Tags = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[^\r\n,]+$/, 'A tag is a word or two, without commas.'),
  )
  .max(20);
export const ArticleInput = z
  .object({
    title: OneLine(200),
    body: Body(100_000),
    tags: Tags.default([]),
    language: Language.default('nl'),
    tlp: z.enum(KB_TLPS, 'An article is TLP:CLEAR or TLP:GREEN (every participant may read it).').default('GREEN'),
    sourceRequestId: z.uuid('This is not a valid request id.').optional(),
  })
  .strict();
export type ArticleInput = z.infer<typeof ArticleInput>;
export const ArticlePatch = z
  .object({
    title: OneLine(200).optional(),
    body: Body(100_000).optional(),
    tags: Tags.optional(),
    language: Language.optional(),
    tlp: z.enum(KB_TLPS).optional(),
  })
  .strict();
export const ArticleListQuery = z
  .object({ q: z.string().trim().max(200).optional(), tag: z.string().trim().max(40).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
export const ArticleOut = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  bodyHtml: z.string(),
  tags: z.array(z.string()),
  language: Language,
  tlp: z.enum(KB_TLPS),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** CERT only: the request the article was made from. */
  sourceRequest: z.object({ id: z.uuid(), reference: z.string() }).nullable().optional(),
});
export type ArticleOut = z.infer<typeof ArticleOut>;
export const ArticleDraftOut = z.object({ title: z.string(), body: z.string(), tags: z.array(z.string()), language: Language });
