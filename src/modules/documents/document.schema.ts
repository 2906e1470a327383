import { z } from 'zod';
import { TLP_LEVELS, type Tlp } from '#lib/tlp.ts';

const ALLOWED_TYPES = ['application/pdf', 'text/plain', 'text/csv', 'application/json', 'image/png', 'image/jpeg'] as const;
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

export const Recipient = z.object({ organisationId: z.uuid(), userId: z.uuid().nullish() }).strict();

/** Who a TLP-marked object names: AMBER and up name someone; only RED names people rather than organisations. */
export function recipientRules(ctx: z.core.ParsePayload<{ tlp: Tlp; recipients: { userId?: string | null | undefined }[] }>): void {
  const d = ctx.value;
  if (d.tlp !== 'CLEAR' && d.tlp !== 'GREEN' && d.recipients.length === 0) {
    ctx.issues.push({ code: 'custom', message: 'TLP:AMBER, AMBER+STRICT and RED need at least one named recipient.', path: ['recipients'], input: d.recipients });
  }
  if (d.tlp !== 'RED' && d.recipients.some((r) => r.userId)) {
    ctx.issues.push({ code: 'custom', message: 'Only TLP:RED names individual people; for other markings name organisations.', path: ['recipients'], input: d.recipients });
  }
}

export const DocumentInput = z
  .object({
    title: z.string().trim().min(1).max(300),
    description: z.string().max(5000).default(''),
    tlp: z.enum(TLP_LEVELS),
    recipients: z.array(Recipient).max(500).default([]),
    fileName: z.string().trim().min(1).max(200).regex(/^[^/\\\0]+$/, 'A file name without slashes.'),
    mediaType: z.enum(ALLOWED_TYPES, { error: `Allowed types: ${ALLOWED_TYPES.join(', ')}.` }),
    contentBase64: z.base64('The content must be base64-encoded.').max(Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 4, 'A document may be at most 1 MiB.'),
  })
  .strict()
  .check(recipientRules);
export type DocumentInput = z.infer<typeof DocumentInput>;

export const DocumentOut = z.object({
  id: z.uuid(),
  ownerOrganisationId: z.uuid(),
  title: z.string(),
  description: z.string(),
  tlp: z.enum(TLP_LEVELS),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  createdAt: z.string(),
});

export const DocumentListQuery = z
  .object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), tlp: z.enum(TLP_LEVELS).optional() })
  .strict();
