import { z } from 'zod';
import { Cpe23Name, PackageUrl } from '#lib/product-identifiers.ts';

export const ORGANISATION_KINDS = ['cert', 'participant', 'vendor', 'partner'] as const;
export const SEGMENTS = ['hospital', 'umc', 'mental_health', 'elderly_care', 'disability_care', 'primary_care', 'lab', 'pharmacy', 'other'] as const;
export const MEMBERSHIP_STATUSES = ['prospect', 'active', 'suspended', 'ended'] as const;
export const CONTACT_ROLES = ['ciso', 'it_operations', 'medical_technology', 'privacy_officer', 'on_call'] as const;
export const LANGUAGES = ['nl', 'en'] as const;
export const SUBSCRIPTIONS = ['advisories', 'info_messages', 'operational_alerts', 'end_of_week', 'end_of_month', 'monitoring', 'zdn'] as const;
export const ASSET_TYPES = ['ip_range', 'asn', 'domain', 'product'] as const;

const isoDate = z.iso.date({ error: 'Use a date like 2026-01-31.' });
const name = z.string().trim().min(1, 'Required.').max(200);

export const OrganisationInput = z
  .object({
    kind: z.enum(['participant', 'vendor', 'partner']),
    name,
    shortName: z.string().trim().max(50).nullish(),
    segment: z.enum(SEGMENTS).nullish(),
    membershipStatus: z.enum(MEMBERSHIP_STATUSES).default('active'),
    memberSince: isoDate.nullish(),
    memberUntil: isoDate.nullish(),
    /** For partners: the participant organisations they act for. */
    clientOrganisationIds: z.array(z.uuid()).max(500).optional(),
  })
  .strict()
  .refine((o) => (o.kind === 'participant') === Boolean(o.segment), {
    message: 'A participant needs a segment (hospital, lab …); other kinds have none.',
    path: ['segment'],
  });
export type OrganisationInput = z.infer<typeof OrganisationInput>;

export const OrganisationPatch = z
  .object({
    name: name.optional(),
    shortName: z.string().trim().max(50).nullish(),
    segment: z.enum(SEGMENTS).optional(),
    membershipStatus: z.enum(MEMBERSHIP_STATUSES).optional(),
    memberSince: isoDate.nullish(),
    memberUntil: isoDate.nullish(),
    clientOrganisationIds: z.array(z.uuid()).max(500).optional(),
  })
  .strict();
export type OrganisationPatch = z.infer<typeof OrganisationPatch>;

export const Organisation = z.object({
  id: z.uuid(),
  kind: z.enum(ORGANISATION_KINDS),
  name: z.string(),
  shortName: z.string().nullable(),
  segment: z.enum(SEGMENTS).nullable(),
  membershipStatus: z.enum(MEMBERSHIP_STATUSES),
  memberSince: z.string().nullable(),
  memberUntil: z.string().nullable(),
  clientOrganisationIds: z.array(z.string()),
  /** The participant delegated its CVD to the CERT (its security.txt points at the CERT's form). */
  cvdDelegated: z.boolean(),
  createdAt: z.string(),
});

export const OrganisationListQuery = z
  .object({
    kind: z.enum(ORGANISATION_KINDS).optional(),
    q: z.string().trim().max(200).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

// The fields without defaults: a patch must leave what it does not name alone (zod keeps a field's
// default under .partial(), which would reset languages and subscriptions on every partial update).
const contactFields = {
  name,
  email: z.email('Enter an e-mail address like name@hospital.example.').max(320),
  kind: z.enum(['person', 'function']),
  roles: z.array(z.enum(CONTACT_ROLES)).max(10),
  languages: z.array(z.enum(LANGUAGES)).min(1, 'Choose at least one language.').max(2),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{6,30}$/, 'Use digits, spaces and an optional leading +, e.g. +31 30 123 4567.')
    .nullish(),
  subscriptions: z.array(z.enum(SUBSCRIPTIONS)).max(10),
  pgpPublicKey: z.string().max(100_000).nullish(),
  userId: z.uuid().nullish(),
  /** Receive advisories only when they concern the organisation's declared products. */
  onlyRelevant: z.boolean(),
};

export const ContactInput = z
  .object({
    ...contactFields,
    kind: contactFields.kind.default('person'),
    roles: contactFields.roles.default([]),
    languages: contactFields.languages.default(['nl']),
    subscriptions: contactFields.subscriptions.default([]),
    onlyRelevant: contactFields.onlyRelevant.default(false),
  })
  .strict();
export type ContactInput = z.infer<typeof ContactInput>;
export const ContactPatch = z.object(contactFields).partial().strict();
export type ContactPatch = z.infer<typeof ContactPatch>;

export const Contact = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  name: z.string(),
  email: z.string(),
  kind: z.enum(['person', 'function']),
  roles: z.array(z.string()),
  languages: z.array(z.string()),
  phone: z.string().nullable(),
  subscriptions: z.array(z.string()),
  pgp: z.object({ fingerprint: z.string(), userIds: z.array(z.string()), expiresAt: z.string().nullable(), expired: z.boolean() }).nullable(),
  userId: z.string().nullable(),
  onlyRelevant: z.boolean(),
  /** Set when a mail server refused the address for good; cleared when the address is changed. */
  emailFailing: z.object({ since: z.string(), reason: z.string() }).nullable(),
});

export const ProductInput = z
  .object({
    vendor: z.string().trim().min(1).max(200),
    product: z.string().trim().min(1).max(200),
    version: z.string().trim().max(100).nullish(),
    cpe: Cpe23Name.nullish(),
    purl: PackageUrl.nullish(),
    medicalDevice: z.boolean().default(false),
    model: z.string().trim().max(200).nullish(),
  })
  .strict();

export const AssetInput = z
  .object({
    type: z.enum(ASSET_TYPES),
    value: z.string().trim().max(300).optional(),
    includeSubdomains: z.boolean().default(false),
    product: ProductInput.optional(),
  })
  .strict();
export type AssetInput = z.infer<typeof AssetInput>;

export const Asset = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  organisationName: z.string().optional(),
  type: z.enum(ASSET_TYPES),
  value: z.string(),
  includeSubdomains: z.boolean(),
  product: z
    .object({
      vendor: z.string(),
      product: z.string(),
      version: z.string().nullable(),
      cpe: z.string().nullable(),
      purl: z.string().nullable(),
      medicalDevice: z.boolean(),
      model: z.string().nullable(),
    })
    .nullable(),
  status: z.enum(['proposed', 'approved', 'rejected']),
  overlaps: z.array(z.object({ organisationId: z.string(), organisationName: z.string(), assetId: z.string(), value: z.string() })),
  rejectReason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const AssetListQuery = z
  .object({
    status: z.enum(['proposed', 'approved', 'rejected']).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const AssetImportInput = z.object({ csv: z.string().min(1, 'The CSV is empty.').max(2_000_000) }).strict();
export const AssetImportQuery = z
  .object({
    dryRun: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
  })
  .strict();
export const RejectInput = z.object({ reason: z.string().trim().min(1, 'Say why, so the participant can correct it.').max(1000) }).strict();
