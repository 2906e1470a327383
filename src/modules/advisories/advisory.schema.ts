import { z } from 'zod';
import { TLP_LEVELS } from '#lib/tlp.ts';
import { AdvisoryContent, PRODUCT_KINDS } from './advisory.content.ts';

export const PRODUCT_WORKFLOW = ['draft', 'in_review', 'approved', 'published', 'withdrawn'] as const;

const Recipients = z.array(z.uuid()).max(500).default([]);

const withRecipientRule = <T extends z.ZodType<{ tlp: string; recipients: string[] }>>(schema: T) =>
  schema.refine((d) => d.tlp !== 'RED' || d.recipients.length > 0, {
    message: 'TLP:RED names its recipient organisations: add at least one.',
    path: ['recipients'],
  });

export const CreateProductInput = withRecipientRule(
  z
    .object({
      kind: z.enum(PRODUCT_KINDS),
      tlp: z.enum(TLP_LEVELS),
      recipients: Recipients,
      content: AdvisoryContent,
    })
    .strict(),
);
export type CreateProductInput = z.infer<typeof CreateProductInput>;

export const SaveDraftInput = withRecipientRule(
  z
    .object({
      /** The draft version the editor started from; a newer one on the server means someone else saved. */
      baseVersion: z.number().int().min(1),
      tlp: z.enum(TLP_LEVELS),
      recipients: Recipients,
      content: AdvisoryContent,
    })
    .strict(),
);
export type SaveDraftInput = z.infer<typeof SaveDraftInput>;

export const SubmitInput = z.object({ changeSummary: z.string().trim().max(2000).optional() }).strict();
export const ReasonInput = z.object({ reason: z.string().trim().min(3, 'Give a reason of a few words.').max(2000) }).strict();

export const PreviewInput = z
  .object({
    kind: z.enum(PRODUCT_KINDS),
    tlp: z.enum(TLP_LEVELS),
    content: z.unknown(),
  })
  .strict();

export const ImportInput = z
  .object({
    /** A CSAF 2.0 document as JSON (pasted or read from an uploaded file). */
    document: z.unknown().optional(),
    /** Or a URL on an allow-listed provider. */
    url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    tlp: z.enum(TLP_LEVELS).optional(),
  })
  .strict()
  .refine((d) => (d.document === undefined) !== (d.url === undefined), { message: 'Give either the document or its URL.', path: ['document'] });

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date looks like 2026-11-27.');

export const ProductListQuery = z
  .object({
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    kind: z.enum(PRODUCT_KINDS).optional(),
    status: z.enum(PRODUCT_WORKFLOW).optional(),
    tlp: z.enum(TLP_LEVELS).optional(),
    cve: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^CVE-\d{4}-\d{4,}$/, 'A CVE id looks like CVE-2026-12345.')
      .optional(),
    vendor: z.string().trim().min(1).max(200).optional(),
    product: z.string().trim().min(1).max(300).optional(),
    from: Day.optional(),
    to: Day.optional(),
    q: z.string().trim().min(1).max(200).optional(),
    relevant: Bool.optional(),
  })
  .strict();
export type ProductListQuery = z.infer<typeof ProductListQuery>;

export const ProductSummaryOut = z.object({
  id: z.uuid(),
  kind: z.enum(PRODUCT_KINDS),
  identifier: z.string().nullable(),
  status: z.enum(PRODUCT_WORKFLOW),
  tlp: z.enum(TLP_LEVELS).nullable(),
  title: z.string(),
  summary: z.string().nullable(),
  urgency: z.enum(['urgent', 'normal']).nullable(),
  cves: z.array(z.string()),
  vendors: z.array(z.string()),
  revision: z.number().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  relevant: z.boolean(),
  withdrawn: z.boolean(),
});

export const RevisionParams = z.object({ id: z.uuid(), revision: z.coerce.number().int().min(1).max(100_000) }).strict();
export const DiffQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }).strict();
