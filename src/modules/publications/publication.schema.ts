import { z } from 'zod';
import { TLP_LEVELS } from '#lib/tlp.ts';
import { CONTACT_ROLES, SEGMENTS } from '#modules/organisations/organisation.schema.ts';
import { Recipient, recipientRules } from '#modules/documents/document.schema.ts';
import { PUBLICATION_AUDIENCES, PUBLICATION_KINDS, PUBLICATION_LANGUAGES, PUBLICATION_STATUSES } from '#db/schema-publications.ts';

/** An uploaded PDF may be at most this large (the bytes are kept in the database). */
export const MAX_PUBLICATION_PDF_BYTES = 20 * 1024 * 1024;
export const MAX_MARKDOWN_CHARS = 200_000;

const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'A tag is letters, digits, spaces, dots, dashes.');
const isoDate = z.iso.date({ error: 'Use a date like 2027-01-31.' });

const Audience = z
  .object({
    kind: z.enum(PUBLICATION_AUDIENCES),
    segments: z.array(z.enum(SEGMENTS)).max(SEGMENTS.length).default([]),
    contactRoles: z.array(z.enum(CONTACT_ROLES)).max(CONTACT_ROLES.length).default([]),
  })
  .strict()
  .check((ctx) => {
    const a = ctx.value;
    if (a.kind === 'segments' && a.segments.length === 0)
      ctx.issues.push({ code: 'custom', message: 'Name at least one segment.', path: ['segments'], input: a.segments });
    if (a.kind === 'contact_roles' && a.contactRoles.length === 0)
      ctx.issues.push({ code: 'custom', message: 'Name at least one contact role.', path: ['contactRoles'], input: a.contactRoles });
  });
export type Audience = z.infer<typeof Audience>;

const Meta = {
  kind: z.enum(PUBLICATION_KINDS),
  title: z.string().trim().min(1, 'Give a title.').max(300),
  summary: z.string().trim().max(5000).default(''),
  tags: z.array(Tag).max(20).default([]),
  language: z.enum(PUBLICATION_LANGUAGES),
  tlp: z.enum(TLP_LEVELS),
  recipients: z.array(Recipient).max(500).default([]),
  audience: Audience.default({ kind: 'community', segments: [], contactRoles: [] }),
  reviewBy: isoDate.nullish(),
};

/** A new publication; with `markdown` its first version is written at once (a PDF is uploaded later). */
export const PublicationInput = z
  .object({ ...Meta, markdown: z.string().min(1).max(MAX_MARKDOWN_CHARS).optional(), changeNote: z.string().trim().max(1000).default('') })
  .strict()
  .check(recipientRules);
export type PublicationInput = z.infer<typeof PublicationInput>;

/** A change of the metadata; the TLP marking and its recipients change together. */
export const PublicationPatch = z
  .object({
    kind: Meta.kind.optional(),
    title: Meta.title.optional(),
    summary: z.string().trim().max(5000).optional(),
    tags: z.array(Tag).max(20).optional(),
    language: Meta.language.optional(),
    marking: z
      .object({ tlp: z.enum(TLP_LEVELS), recipients: z.array(Recipient).max(500).default([]) })
      .strict()
      .check(recipientRules)
      .optional(),
    audience: Audience.optional(),
    reviewBy: isoDate.nullable().optional(),
  })
  .strict();
export type PublicationPatch = z.infer<typeof PublicationPatch>;

export const MarkdownVersionInput = z
  .object({ markdown: z.string().min(1, 'Write the text.').max(MAX_MARKDOWN_CHARS), changeNote: z.string().trim().max(1000).default('') })
  .strict();
export const PublishInput = z.object({ version: z.number().int().positive().optional() }).strict().default({});
export const WithdrawInput = z.object({ reason: z.string().trim().min(3, 'Say why, in a few words.').max(2000) }).strict();
export const PreviewInput = z.object({ markdown: z.string().max(MAX_MARKDOWN_CHARS) }).strict();
export const PreviewOut = z.object({ html: z.string() });

export const PublicationListQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    kind: z.enum(PUBLICATION_KINDS).optional(),
    tag: Tag.optional(),
    language: z.enum(PUBLICATION_LANGUAGES).optional(),
    status: z.enum(PUBLICATION_STATUSES).optional(),
    tlp: z.enum(TLP_LEVELS).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type PublicationListQuery = z.infer<typeof PublicationListQuery>;

export const VersionParams = z.object({ id: z.uuid('This is not a valid id.'), version: z.coerce.number().int().positive().max(100_000) }).strict();

const AudienceOut = z.object({ kind: z.enum(PUBLICATION_AUDIENCES), segments: z.array(z.string()), contactRoles: z.array(z.string()) });

export const VersionOut = z.object({
  version: z.number(),
  source: z.enum(['markdown', 'upload']),
  fileName: z.string(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  changeNote: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  current: z.boolean(),
  /** Editors only: downloads (a reader once per day) plus public downloads. */
  downloads: z.number().nullable(),
});

export const PublicationOut = z.object({
  id: z.uuid(),
  ownerOrganisationId: z.uuid(),
  kind: z.enum(PUBLICATION_KINDS),
  title: z.string(),
  summary: z.string(),
  tags: z.array(z.string()),
  language: z.enum(PUBLICATION_LANGUAGES),
  tlp: z.enum(TLP_LEVELS),
  audience: AudienceOut,
  reviewBy: z.string().nullable(),
  reviewOverdue: z.boolean(),
  status: z.enum(PUBLICATION_STATUSES),
  currentVersion: z.number().nullable(),
  publishedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type PublicationOut = z.infer<typeof PublicationOut>;

export const PublicationDetailOut = PublicationOut.extend({
  withdrawnReason: z.string().nullable(),
  recipients: z.array(z.object({ organisationId: z.uuid(), userId: z.uuid().nullable() })).nullable(),
  versions: z.array(VersionOut),
  /** Editors: the latest Markdown text, to start the next version from. */
  markdown: z.string().nullable(),
  /** The current (for editors: the latest) Markdown version as sanitised HTML; null for an uploaded PDF. */
  html: z.string().nullable(),
});
export type PublicationDetailOut = z.infer<typeof PublicationDetailOut>;

export const PublicationPageOut = z.object({ items: z.array(PublicationOut), nextCursor: z.string().nullable() });
