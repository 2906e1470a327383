import { z } from 'zod';
import { TLP_LEVELS } from '#lib/tlp.ts';
import { DIGEST_ENTRY_KINDS, DIGEST_KINDS, DIGEST_STATUSES } from '#db/schema-digests.ts';
import { PRODUCT_KINDS } from '#modules/advisories/advisory.content.ts';
import { isValidPeriod } from './digest-period.ts';

export const MAX_INTRODUCTION_CHARS = 20_000;
export const MAX_COMMENTARY_CHARS = 50_000;

const httpUrl = z.url({ protocol: /^https?$/, error: 'Give an http(s) address.' }).max(2000);
const title = z.string().trim().min(1, 'Give a title.').max(300);
const sourceName = z.string().trim().max(200).default('');
const summary = z.string().trim().max(2000).default('');

export const DigestListQuery = z
  .object({
    kind: z.enum(DIGEST_KINDS).optional(),
    status: z.enum(DIGEST_STATUSES).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export type DigestListQuery = z.infer<typeof DigestListQuery>;

/**
 * A digest for a period; without one, this week's (Europe/Amsterdam) or last month's, the ones the
 * schedule makes itself.
 */
export const DigestCreateInput = z
  .object({ kind: z.enum(DIGEST_KINDS), period: z.string().trim().max(10).optional() })
  .strict()
  .check((ctx) => {
    if (ctx.value.period !== undefined && !isValidPeriod(ctx.value.kind, ctx.value.period))
      ctx.issues.push({
        code: 'custom',
        message: ctx.value.kind === 'week' ? 'A week looks like 2026-W48.' : 'A month looks like 2026-11.',
        path: ['period'],
        input: ctx.value.period,
      });
  });
export type DigestCreateInput = z.infer<typeof DigestCreateInput>;

export const DigestPatch = z
  .object({
    introduction: z.string().max(MAX_INTRODUCTION_CHARS).optional(),
    commentary: z.string().max(MAX_COMMENTARY_CHARS).optional(),
  })
  .strict();
export type DigestPatch = z.infer<typeof DigestPatch>;

export const OrderInput = z.object({ entryIds: z.array(z.uuid()).max(1000) }).strict();

/** A media item or background link added by hand; a link needs its address. */
export const EntryInput = z
  .object({
    kind: z.enum(['media', 'link']),
    title,
    url: httpUrl.nullish(),
    sourceName,
    summary,
    tlp: z.enum(TLP_LEVELS).default('CLEAR'),
  })
  .strict()
  .check((ctx) => {
    if (ctx.value.kind === 'link' && !ctx.value.url)
      ctx.issues.push({ code: 'custom', message: 'A background link needs its address.', path: ['url'], input: ctx.value.url });
  });
export type EntryInput = z.infer<typeof EntryInput>;

/** What intake's triage hands over as "a media item of the week". */
export const MediaItemInput = z
  .object({
    week: z.string().refine((w) => isValidPeriod('week', w), 'A week looks like 2026-W48.'),
    title,
    url: httpUrl.nullable(),
    sourceName,
    summary,
    tlp: z.enum(TLP_LEVELS),
    storyId: z.uuid().nullable(),
  })
  .strict();

export const EntryParams = z.object({ id: z.uuid('This is not a valid id.'), entryId: z.uuid('This is not a valid id.') }).strict();
export const PreviewQuery = z.object({ contactId: z.uuid('This is not a valid id.') }).strict();

// ---- out

export const DigestOut = z.object({
  id: z.uuid(),
  kind: z.enum(DIGEST_KINDS),
  period: z.string(),
  title: z.string(),
  titleEn: z.string(),
  status: z.enum(DIGEST_STATUSES),
  scheduledAt: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type DigestOut = z.infer<typeof DigestOut>;

export const DigestPageOut = z.object({ items: z.array(DigestOut), nextCursor: z.string().nullable() });

export const EntryOut = z.object({
  id: z.string(),
  kind: z.enum(DIGEST_ENTRY_KINDS),
  productKind: z.enum(PRODUCT_KINDS).nullable(),
  identifier: z.string().nullable(),
  title: z.string(),
  titleEn: z.string().nullable(),
  summary: z.string(),
  url: z.string().nullable(),
  sourceName: z.string(),
  tlp: z.enum(TLP_LEVELS),
  updated: z.boolean(),
  publishedAt: z.string().nullable(),
});

const ChartOut = z.object({ title: z.string(), rows: z.array(z.object({ label: z.string(), value: z.number() })), empty: z.string().nullable() });
const Count = z.number().int();
const RecipientSummaryOut = z.object({ contacts: Count, organisations: Count, encrypted: Count, held: Count, classes: Count, withoutEntries: Count });

export const DigestDetailOut = DigestOut.extend({
  /** The Markdown texts: editors only (readers get the HTML). */
  introduction: z.string().nullable(),
  commentary: z.string().nullable(),
  introductionHtml: z.string(),
  commentaryHtml: z.string(),
  entries: z.array(EntryOut),
  /** Month: the bar charts (product figures counted from the entries shown), in both languages. */
  charts: z.object({ nl: z.array(ChartOut), en: z.array(ChartOut) }),
  /** The CERT's view: who wrote, who reviews, what the outbox did. Null for readers. */
  editor: z
    .object({
      authorName: z.string().nullable(),
      lastEditedByName: z.string().nullable(),
      lastEditedAt: z.string().nullable(),
      submittedByName: z.string().nullable(),
      reviewerName: z.string().nullable(),
      approvedAt: z.string().nullable(),
      assembledAt: z.string().nullable(),
      /** Whether the asking analyst may approve (a month in review, and not written by them). */
      mayApprove: z.boolean(),
      recipients: RecipientSummaryOut.nullable(),
      outbox: z.object({ pending: Count, sent: Count, failed: Count, held: Count }),
    })
    .nullable(),
});
export type DigestDetailOut = z.infer<typeof DigestDetailOut>;

export const RecipientsOut = z.object({
  summary: RecipientSummaryOut,
  recipients: z.array(
    z.object({
      contactId: z.string(),
      name: z.string(),
      email: z.string(),
      organisationName: z.string(),
      languages: z.array(z.enum(['nl', 'en'])),
      entries: Count,
      tlp: z.enum(TLP_LEVELS),
      encrypted: z.boolean(),
      held: z.string().nullable(),
      skipped: z.boolean(),
    }),
  ),
});
export type RecipientsOut = z.infer<typeof RecipientsOut>;

export const PreviewOut = z.object({
  contactId: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  languages: z.array(z.enum(['nl', 'en'])),
  entries: Count,
  tlp: z.enum(TLP_LEVELS),
  encrypted: z.boolean(),
  held: z.string().nullable(),
});
export type PreviewOut = z.infer<typeof PreviewOut>;
