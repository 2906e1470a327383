import { z } from 'zod';
import { TLP_LEVELS } from '#lib/tlp.ts';
import { Recipient, recipientRules } from '#modules/documents/document.schema.ts';
import { INDICATOR_TYPES } from './indicator-types.ts';

export const PAP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const;
export type Pap = (typeof PAP_LEVELS)[number];
export const SIGHTING_KINDS = ['seen', 'blocked', 'false-positive'] as const;
export const INDICATOR_STATUSES = ['active', 'pending', 'held', 'rejected'] as const;

/** The most indicators one request may carry; bigger sets go in several requests. */
export const MAX_BULK = 10_000;

// MISP taxonomy machine tags (`tlp:amber`, `rsit:malicious-code="ransomware"`) or plain words.
const Tag = z.string().trim().min(1).max(200).regex(/^[^\r\n\0]+$/, 'A tag is one line of text.');
const IsoDate = z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date and time, e.g. 2026-11-28T10:00:00Z.' });

export const EventInput = z
  .object({
    title: z.string().trim().min(1).max(256).regex(/^[^\r\n]+$/, 'The title is one line.'),
    description: z.string().max(20_000).default(''),
    tlp: z.enum(TLP_LEVELS),
    recipients: z.array(Recipient).max(500).default([]),
    threatLevel: z.number().int().min(1).max(4).default(4),
    analysis: z.number().int().min(0).max(2).default(0),
    date: z.iso.date().optional(),
    tags: z.array(Tag).max(50).default([]),
    sourceAnonymous: z.boolean().default(false),
  })
  .strict()
  .check(recipientRules);
export type EventInput = z.infer<typeof EventInput>;

export const IndicatorInput = z
  .object({
    type: z.enum(INDICATOR_TYPES, { error: `The type is one of ${INDICATOR_TYPES.join(', ')}.` }),
    value: z.string().min(1).max(100_000),
    tlp: z.enum(TLP_LEVELS).optional(),
    pap: z.enum(PAP_LEVELS).optional(),
    confidence: z.number().int().min(0).max(100).optional(),
    firstSeen: IsoDate.optional(),
    lastSeen: IsoDate.optional(),
    validUntil: IsoDate.nullable().optional(),
    tags: z.array(Tag).max(50).optional(),
    comment: z.string().max(5000).optional(),
    /** MISP's to_ids: false keeps the indicator out of detection exports and TAXII (default true). */
    forDetection: z.boolean().optional(),
  })
  .strict();
export type IndicatorInput = z.infer<typeof IndicatorInput>;

export const BulkIndicatorInput = z.object({ indicators: z.array(IndicatorInput).min(1).max(MAX_BULK) }).strict();

export const SightingInput = z
  .object({
    kind: z.enum(SIGHTING_KINDS),
    count: z.number().int().min(1).max(1_000_000).default(1),
    seenAt: IsoDate.optional(),
    shareIdentity: z.boolean().default(false),
  })
  .strict();
export type SightingInput = z.infer<typeof SightingInput>;

/** A sighting of a value, for tools that know the value and not our indicator id. */
export const ValueSightingInput = z
  .object({
    type: z.enum(INDICATOR_TYPES),
    value: z.string().min(1).max(100_000),
    kind: z.enum(SIGHTING_KINDS),
    count: z.number().int().min(1).max(1_000_000).default(1),
    seenAt: IsoDate.optional(),
    shareIdentity: z.boolean().default(false),
  })
  .strict();
export type ValueSightingInput = z.infer<typeof ValueSightingInput>;

export const ReviewInput = z.object({ decision: z.enum(['approve', 'reject']), reason: z.string().max(2000).optional() }).strict();

export const ExtractInput = z.object({ text: z.string().min(1).max(1_000_000) }).strict();

export const ImportOptions = z
  .object({
    tlp: z.enum(TLP_LEVELS).optional(),
    recipients: z.array(Recipient).max(500).optional(),
  })
  .strict();

export const IndicatorListQuery = z
  .object({
    q: z.string().trim().max(500).optional(),
    type: z.enum(INDICATOR_TYPES).optional(),
    eventId: z.uuid().optional(),
    status: z.enum(INDICATOR_STATUSES).optional(),
    includeExpired: z.enum(['true', 'false']).default('true'),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type IndicatorListQuery = z.infer<typeof IndicatorListQuery>;

export const EventListQuery = z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

const SightingSummary = z.object({
  organisations24h: z.number(),
  organisations7d: z.number(),
  organisationsTotal: z.number(),
  sightings: z.number(),
  falsePositives: z.number(),
  lastSeenAt: z.string().nullable(),
  /** Only the organisations that chose to be named (all of them for the CERT). */
  named: z.array(z.object({ organisationId: z.uuid(), name: z.string(), kind: z.enum(SIGHTING_KINDS), seenAt: z.string() })),
});

export const IndicatorOut = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  eventTitle: z.string(),
  type: z.enum(INDICATOR_TYPES),
  value: z.string(),
  tlp: z.enum(TLP_LEVELS),
  pap: z.enum(PAP_LEVELS),
  confidence: z.number(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  expired: z.boolean(),
  tags: z.array(z.string()),
  comment: z.string(),
  status: z.enum(INDICATOR_STATUSES),
  warning: z.string().nullable(),
  /** False for context that is not to be detected on (MISP to_ids false): kept out of the detection exports and TAXII. */
  forDetection: z.boolean(),
  /** The source organisation, or null when it asked not to be named and the reader is not the CERT. */
  sourceOrganisationId: z.uuid().nullable(),
  /** Other events (that the reader may see) holding the same value. */
  alsoInEvents: z.number(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  sightings: SightingSummary.optional(),
});
export type IndicatorOut = z.infer<typeof IndicatorOut>;

export const EventOut = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  tlp: z.enum(TLP_LEVELS),
  threatLevel: z.number(),
  analysis: z.number(),
  date: z.string(),
  tags: z.array(z.string()),
  origin: z.string(),
  sourceOrganisationId: z.uuid().nullable(),
  sourceAnonymous: z.boolean(),
  indicatorCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EventOut = z.infer<typeof EventOut>;

export const IngestResultOut = z.object({
  eventId: z.uuid(),
  added: z.number(),
  updated: z.number(),
  held: z.number(),
  pending: z.number(),
  skipped: z.array(z.object({ index: z.number(), type: z.string(), value: z.string(), reason: z.string() })),
});
export type IngestResultOut = z.infer<typeof IngestResultOut>;
