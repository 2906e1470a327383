import { z } from 'zod';
import { TLP_LEVELS } from '#lib/tlp.ts';
import { PRODUCT_KINDS } from '#modules/advisories/advisory.content.ts';

export const ProductRef = z.object({ id: z.string().trim().min(1).max(100) }).strict();

export const AudienceSummaryOut = z.object({
  contacts: z.number().int(),
  organisations: z.number().int(),
  encrypted: z.number().int(),
  held: z.number().int(),
  failingAddresses: z.number().int(),
  webhooks: z.number().int(),
  users: z.number().int(),
});

export const AudienceOut = z.object({
  tlp: z.enum(TLP_LEVELS),
  kind: z.enum(PRODUCT_KINDS),
  encryptionRequired: z.boolean(),
  summary: AudienceSummaryOut,
  organisations: z.array(
    z.object({ organisationId: z.string(), organisationName: z.string(), contacts: z.number().int(), encrypted: z.number().int(), held: z.number().int() }),
  ),
  contacts: z.array(
    z.object({
      contactId: z.string(),
      organisationId: z.string(),
      organisationName: z.string(),
      name: z.string(),
      email: z.string(),
      languages: z.array(z.string()),
      encrypted: z.boolean(),
      held: z.string().nullable(),
      failing: z.boolean(),
    }),
  ),
});

const QueueCounts = z.object({
  pending: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  held: z.number().int(),
});

export const DeliveryStateOut = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      revision: z.number().int(),
      tlp: z.enum(TLP_LEVELS),
      createdAt: z.string(),
      createdByName: z.string().nullable(),
      audience: z.object({
        contacts: z.number().int(),
        organisations: z.number().int(),
        encrypted: z.number().int(),
        held: z.number().int(),
        webhooks: z.number().int(),
      }),
      mail: QueueCounts,
      webhooks: QueueCounts,
      lastSentAt: z.string().nullable(),
    }),
  ),
  problems: z.array(
    z.object({
      kind: z.string(),
      status: z.string(),
      recipient: z.string().nullable(),
      organisationName: z.string().nullable(),
      attempts: z.number().int(),
      error: z.string().nullable(),
      permanent: z.boolean(),
      nextAttemptAt: z.string().nullable(),
    }),
  ),
});

export const RESPONSE_STATUS_VALUES = ['received', 'not_affected', 'mitigating', 'patched'] as const;

export const RespondInput = z
  .object({
    status: z.enum(RESPONSE_STATUS_VALUES, 'The answer is one of received, not_affected, mitigating, patched.'),
    comment: z.string().trim().max(2000).nullish(),
    /** Only the CERT records an answer for another organisation (e.g. given by phone). */
    organisationId: z.uuid().optional(),
  })
  .strict();

const ResponseCounts = z.object({
  received: z.number().int(),
  not_affected: z.number().int(),
  mitigating: z.number().int(),
  patched: z.number().int(),
  none: z.number().int(),
});

export const DashboardOut = z.object({
  productId: z.string(),
  identifier: z.string(),
  title: z.string(),
  publishedAt: z.string().nullable(),
  counts: ResponseCounts,
  medianSecondsToFirstResponse: z.number().nullable(),
  organisations: z.array(
    z.object({
      organisationId: z.string(),
      organisationName: z.string(),
      recipient: z.boolean(),
      status: z.enum(RESPONSE_STATUS_VALUES).nullable(),
      comment: z.string().nullable(),
      respondedAt: z.string().nullable(),
      firstResponseAt: z.string().nullable(),
      secondsToFirstResponse: z.number().nullable(),
      responses: z.number().int(),
    }),
  ),
  history: z.array(
    z.object({
      organisationName: z.string(),
      status: z.enum(RESPONSE_STATUS_VALUES),
      comment: z.string().nullable(),
      via: z.enum(['link', 'portal']),
      respondedAt: z.string(),
      by: z.string().nullable(),
    }),
  ),
});

export const WebhookInput = z
  .object({
    organisationId: z.uuid(),
    name: z.string().trim().min(1, 'Give the webhook a name.').max(200),
    url: z.string().trim().min(1).max(2000),
    format: z.enum(['json', 'slack', 'teams'], 'The format is json, slack (also Mattermost) or teams.'),
    maxTlp: z.enum(TLP_LEVELS).default('GREEN'),
    kinds: z.array(z.enum(PRODUCT_KINDS)).min(1).max(3).default(['advisory', 'info', 'alert']),
  })
  .strict();

// Without the defaults: zod keeps a field's default under .partial(), so a patch naming only the
// URL would otherwise reset the TLP ceiling and the product kinds.
export const WebhookPatch = WebhookInput.omit({ organisationId: true })
  .extend({ maxTlp: z.enum(TLP_LEVELS), kinds: z.array(z.enum(PRODUCT_KINDS)).min(1).max(3) })
  .partial()
  .extend({ enabled: z.boolean().optional() })
  .strict();

export const WebhookOut = z.object({
  id: z.string(),
  organisationId: z.string(),
  name: z.string(),
  url: z.string(),
  format: z.enum(['json', 'slack', 'teams']),
  maxTlp: z.enum(TLP_LEVELS),
  kinds: z.array(z.string()),
  enabled: z.boolean(),
  lastStatus: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
