import { z } from 'zod';
import { CVD_CREDITS, CVD_PARTY_KINDS, CVD_PARTY_STATUSES, CVD_STATUSES, CVD_TARGET_KINDS } from '#db/schema-cvd.ts';

const OneLine = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\r\n]+$/, 'One line, please.');
const Optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\r\n]*$/, 'One line, please.')
    .optional()
    .transform((v) => (v ? v : undefined));
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD, e.g. 2027-02-26.')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T12:00:00Z`)) && new Date(`${d}T12:00:00Z`).toISOString().slice(0, 10) === d, 'This day does not exist in the calendar.');
export const Language = z.enum(['nl', 'en']);

export const CvdIdParams = z.object({ id: z.uuid('This is not a valid case id.') }).strict();
export const CvdPartyParams = z.object({ id: z.uuid('This is not a valid case id.'), partyId: z.uuid('This is not a valid party id.') }).strict();
export const CvdAttachmentParams = z.object({ id: z.uuid('This is not a valid case id.'), attachmentId: z.uuid('This is not a valid attachment id.') }).strict();

/**
 * A vulnerability report as the finder gives it: on the public form (plain, or encrypted in the
 * browser and decrypted here), by mail, or typed in by the CERT. What is affected decides which of
 * target or vendor/product is required (checked in `checkReport`, with the field named).
 */
export const ReportInput = z
  .object({
    targetKind: z.enum(CVD_TARGET_KINDS, 'Choose what is affected: a website, another system, or a product or medical device.'),
    target: Optional(2000),
    vendor: Optional(200),
    product: Optional(200),
    model: Optional(200),
    version: Optional(200),
    title: OneLine(200),
    description: z.string().trim().min(20, 'Describe the vulnerability in a few sentences (at least 20 characters).').max(50_000),
    steps: z.string().trim().max(50_000).default(''),
    impact: z.string().trim().max(20_000).default(''),
    anonymous: z.boolean().default(false),
    finderName: Optional(200),
    finderEmail: z.email('This is not an e-mail address.').max(320).optional(),
    credit: z.enum(CVD_CREDITS).default('none'),
    creditName: Optional(200),
    sharesIdentity: z.boolean().default(false),
    sharesAttachments: z.boolean().default(false),
    language: Language.default('nl'),
    /** The participant whose security.txt sent the finder here (`/cvd?org=<id>`). */
    organisationId: z.uuid().optional(),
  })
  .strict();
export type ReportInput = z.infer<typeof ReportInput>;

export const CvdListQuery = z
  .object({
    status: z.enum(CVD_STATUSES).optional(),
    open: z.enum(['true', 'false']).optional(),
    q: z.string().trim().max(200).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type CvdListQuery = z.infer<typeof CvdListQuery>;

/** What the CERT changes on a case. A new disclosure date needs a reason; so do rejecting and out of scope. */
export const CvdPatch = z
  .object({
    status: z.enum(CVD_STATUSES).optional(),
    reason: z.string().trim().min(3).max(2000).optional(),
    disclosureDue: Day.optional(),
    title: OneLine(200).optional(),
    /** The CERT may rewrite the report's text (e.g. take out what names the finder) before parties read it. */
    description: z.string().trim().min(20, 'Describe the vulnerability in a few sentences (at least 20 characters).').max(50_000).optional(),
    steps: z.string().trim().max(50_000).optional(),
    impact: z.string().trim().max(20_000).optional(),
    targetKind: z.enum(CVD_TARGET_KINDS).optional(),
    target: z.string().trim().max(2000).nullable().optional(),
    vendor: z.string().trim().max(200).nullable().optional(),
    product: z.string().trim().max(200).nullable().optional(),
    model: z.string().trim().max(200).nullable().optional(),
    version: z.string().trim().max(200).nullable().optional(),
    cveId: z
      .string()
      .regex(/^CVE-\d{4}-\d{4,19}$/, 'A CVE id looks like CVE-2026-12345.')
      .nullable()
      .optional(),
    cweId: z
      .string()
      .regex(/^CWE-\d{1,6}$/, 'A CWE id looks like CWE-79.')
      .nullable()
      .optional(),
    cvssVector: z.string().trim().max(300).nullable().optional(),
    assigneeUserId: z.uuid().nullable().optional(),
  })
  .strict();
export type CvdPatch = z.infer<typeof CvdPatch>;

/** A party the CERT adds: an organisation with an account, or one (manufacturer, other CERT) reached by mail and a private link. */
export const PartyInput = z
  .object({
    kind: z.enum(CVD_PARTY_KINDS).exclude(['finder']),
    organisationId: z.uuid().optional(),
    name: Optional(200),
    email: z.email('This is not an e-mail address.').max(320).optional(),
    language: Language.default('nl'),
    /** Send the party its notice (and, without an account, its private link) now. */
    notify: z.boolean().default(true),
  })
  .strict();
export type PartyInput = z.infer<typeof PartyInput>;

export const PartyPatch = z
  .object({
    status: z.enum(CVD_PARTY_STATUSES).optional(),
    sharesIdentity: z.boolean().optional(),
  })
  .strict();
export type PartyPatch = z.infer<typeof PartyPatch>;

/** A message from the CERT into one party's channel; `relayedFromId` names what it passes on. */
export const MessageInput = z
  .object({
    partyId: z.uuid('Name the party whose channel this goes to.'),
    body: z.string().trim().min(1, 'Write the message.').max(20_000),
    relayedFromId: z.uuid().optional(),
  })
  .strict();
export type MessageInput = z.infer<typeof MessageInput>;

export const NoteInput = z.object({ body: z.string().trim().min(1, 'Write the note.').max(20_000) }).strict();
/** A party (portal) or the finder (private link) writes to the CERT. */
export const ReplyInput = z.object({ body: z.string().trim().min(1, 'Write the message.').max(20_000) }).strict();
export const ShareAttachmentInput = z.object({ partyId: z.uuid() }).strict();
export const ConsentInput = z.object({ sharesIdentity: z.boolean() }).strict();

// ---------------------------------------------------------------------------------------------
// Out

const ScopeOrg = z.object({ id: z.string(), name: z.string(), via: z.enum(['ip', 'domain', 'asn', 'product', 'delegated']), matched: z.string() });

export const PartyOut = z.object({
  id: z.string(),
  kind: z.enum(CVD_PARTY_KINDS),
  organisationId: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  status: z.enum(CVD_PARTY_STATUSES),
  sharesIdentity: z.boolean(),
  hasPrivateLink: z.boolean(),
  language: Language,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PartyOut = z.infer<typeof PartyOut>;

export const MessageOut = z.object({
  id: z.string(),
  partyId: z.string().nullable(),
  direction: z.enum(['in', 'out', 'note']),
  body: z.string(),
  /** Who wrote it, as the reader may know: the CERT, the party itself, or for the CERT the author's name. */
  author: z.string(),
  relayedFromId: z.string().nullable(),
  attachments: z.array(z.object({ id: z.string(), fileName: z.string(), sizeBytes: z.number(), sha256: z.string() })),
  createdAt: z.string(),
});
export type MessageOut = z.infer<typeof MessageOut>;

export const AttachmentOut = z.object({
  id: z.string(),
  partyId: z.string().nullable(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  sharedWith: z.array(z.string()),
  createdAt: z.string(),
});
export type AttachmentOut = z.infer<typeof AttachmentOut>;

const Clock = z.object({ due: z.string(), metAt: z.string().nullable(), state: z.enum(['met', 'running', 'soon', 'overdue', 'stopped']), workingDaysLeft: z.number().nullable() });

/** The CERT's view: everything, both sides of every channel. */
export const CvdCaseOut = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.enum(CVD_STATUSES),
  intake: z.enum(['form', 'mail', 'analyst']),
  targetKind: z.enum(CVD_TARGET_KINDS),
  target: z.string().nullable(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  steps: z.string(),
  impact: z.string(),
  credit: z.enum(CVD_CREDITS),
  creditName: z.string().nullable(),
  finderSharesIdentity: z.boolean(),
  finderSharesAttachments: z.boolean(),
  encrypted: z.boolean(),
  language: Language,
  scope: z.object({ organisations: z.array(ScopeOrg), checkedAt: z.string().nullable(), outOfScope: z.boolean() }),
  cveId: z.string().nullable(),
  cweId: z.string().nullable(),
  cvssVector: z.string().nullable(),
  advisory: z.object({ id: z.string(), identifier: z.string().nullable(), status: z.string() }).nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  receivedAt: z.string(),
  firstResponse: Clock,
  disclosure: z.object({ due: z.string(), state: z.enum(['running', 'soon', 'overdue', 'stopped']), daysLeft: z.number().nullable(), disclosedAt: z.string().nullable() }),
  closedAt: z.string().nullable(),
  parties: z.array(PartyOut),
  messages: z.array(MessageOut),
  attachments: z.array(AttachmentOut),
  events: z.array(z.object({ at: z.string(), kind: z.string(), text: z.string(), reason: z.string().nullable(), actor: z.string().nullable() })),
});
export type CvdCaseOut = z.infer<typeof CvdCaseOut>;

export const CvdSummaryOut = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.enum(CVD_STATUSES),
  title: z.string(),
  targetKind: z.enum(CVD_TARGET_KINDS),
  concerns: z.string(),
  receivedAt: z.string(),
  firstResponse: Clock,
  disclosureDue: z.string(),
  parties: z.number(),
});
export type CvdSummaryOut = z.infer<typeof CvdSummaryOut>;

/**
 * What a party (participant or manufacturer, in the portal or through its private link) sees: the
 * report without the finder, its own status and channel, the attachments shared with it. The
 * finder's name appears only when the finder and this party both agreed.
 */
export const PartyViewOut = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.enum(CVD_STATUSES),
  targetKind: z.enum(CVD_TARGET_KINDS),
  target: z.string().nullable(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  steps: z.string(),
  impact: z.string(),
  cveId: z.string().nullable(),
  disclosureDue: z.string(),
  party: z.object({ id: z.string(), kind: z.enum(CVD_PARTY_KINDS), status: z.enum(CVD_PARTY_STATUSES), sharesIdentity: z.boolean() }),
  finder: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  messages: z.array(MessageOut),
  attachments: z.array(AttachmentOut),
});
export type PartyViewOut = z.infer<typeof PartyViewOut>;

/** What the finder sees through the private link: their report, the progress, their channel; parties unnamed unless both agreed. */
export const FinderViewOut = z.object({
  reference: z.string(),
  status: z.enum(CVD_STATUSES),
  title: z.string(),
  description: z.string(),
  steps: z.string(),
  impact: z.string(),
  targetKind: z.enum(CVD_TARGET_KINDS),
  target: z.string().nullable(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  receivedAt: z.string(),
  firstResponseDue: z.string(),
  firstResponseAt: z.string().nullable(),
  disclosureDue: z.string(),
  credit: z.enum(CVD_CREDITS),
  creditName: z.string().nullable(),
  sharesIdentity: z.boolean(),
  cveId: z.string().nullable(),
  advisoryUrl: z.string().nullable(),
  parties: z.array(z.object({ kind: z.enum(CVD_PARTY_KINDS), status: z.enum(CVD_PARTY_STATUSES), name: z.string().nullable() })),
  messages: z.array(MessageOut),
  attachments: z.array(AttachmentOut),
});
export type FinderViewOut = z.infer<typeof FinderViewOut>;

export const SubmittedOut = z.object({ reference: z.string(), link: z.string(), token: z.string() });
export type SubmittedOut = z.infer<typeof SubmittedOut>;
