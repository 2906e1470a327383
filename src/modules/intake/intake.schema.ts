import { z } from 'zod';
import { INTAKE_SOURCE_KINDS } from '#db/schema-intake.ts';
import { TLP_LEVELS } from '#lib/tlp.ts';

/** Inputs and outputs of the intake API. */

const name = z.string().trim().min(1, 'Give the source a name.').max(200);
const url = z.string().trim().max(2000);
const publicKeys = z.array(z.string().max(100_000)).max(5);
const interval = z.coerce.number().int().min(5, 'Read a source at most every 5 minutes.').max(10_080, 'Read a source at least once a week.');

export const SourceInput = z
  .object({
    kind: z.enum(INTAKE_SOURCE_KINDS),
    name,
    url: url.nullish(),
    tlp: z.enum(TLP_LEVELS).default('CLEAR'),
    intervalMinutes: interval.default(60),
    enabled: z.boolean().default(true),
    publicKeys: publicKeys.default([]),
    mailAddress: z.string().trim().toLowerCase().max(320).nullish(),
  })
  .strict();

// No defaults here: a default under .partial() would reset a field the patch does not name.
export const SourcePatch = z
  .object({
    name,
    url,
    tlp: z.enum(TLP_LEVELS),
    intervalMinutes: interval,
    enabled: z.boolean(),
    publicKeys,
    mailAddress: z.string().trim().toLowerCase().max(320),
  })
  .partial()
  .strict();

export const SourceOut = z.object({
  id: z.string(),
  kind: z.enum(INTAKE_SOURCE_KINDS),
  name: z.string(),
  url: z.string().nullable(),
  tlp: z.enum(TLP_LEVELS),
  intervalMinutes: z.number(),
  enabled: z.boolean(),
  publicKeyCount: z.number(),
  mailAddress: z.string().nullable(),
  health: z.object({
    /** ok: the last run succeeded; failing: it failed (the last good state is kept); never: not run yet; disabled. */
    state: z.enum(['ok', 'failing', 'never', 'disabled']),
    lastRunAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastItems: z.number(),
    totalItems: z.number(),
    nextRunAt: z.string().nullable(),
    running: z.boolean(),
  }),
});

export const RunOut = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  ok: z.boolean(),
  newItems: z.number(),
  updatedItems: z.number(),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
});

export const SourceDetailOut = SourceOut.extend({ runs: z.array(RunOut) });

export const RunOutcomeOut = z.object({
  ok: z.boolean(),
  newItems: z.number(),
  updatedItems: z.number(),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
});

export const StoryListQuery = z
  .object({
    source: z.uuid('This is not a valid source id.').optional(),
    cve: z
      .string()
      .trim()
      .regex(/^CVE-\d{4}-\d{4,}$/i, 'A CVE id looks like CVE-2026-12345.')
      .optional(),
    vendor: z.string().trim().min(1).max(200).optional(),
    product: z.string().trim().min(1).max(200).optional(),
    relevance: z.enum(['concerned', 'kev', 'epss']).optional(),
    read: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    state: z.enum(['open', 'advisory', 'no_action', 'media']).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const Product = z.object({ vendor: z.string(), product: z.string(), versions: z.string().nullable(), cpe: z.string().nullable(), purl: z.string().nullable() });

export const StoryOut = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  cves: z.array(z.string()),
  advisoryIds: z.array(z.string()),
  vendors: z.array(z.string()),
  products: z.array(Product),
  sourceIds: z.array(z.string()),
  itemCount: z.number(),
  tlp: z.enum(TLP_LEVELS),
  firstSeenAt: z.string(),
  lastActivityAt: z.string(),
  changeNote: z.string().nullable(),
  kev: z.boolean(),
  knownRansomware: z.boolean(),
  epss: z.number().nullable(),
  epssPercentile: z.number().nullable(),
  concernedOrganisations: z.number(),
  read: z.boolean(),
  decision: z.enum(['advisory', 'no_action']).nullable(),
  decisionReason: z.string().nullable(),
  advisoryId: z.string().nullable(),
  decidedAt: z.string().nullable(),
  mediaWeek: z.string().nullable(),
});

export const StoryPageOut = z.object({ items: z.array(StoryOut), nextCursor: z.string().nullable(), unread: z.number() });

export const ItemOut = z.object({
  id: z.string(),
  sourceId: z.string(),
  sourceName: z.string(),
  sourceKind: z.enum(INTAKE_SOURCE_KINDS),
  externalId: z.string(),
  url: z.string().nullable(),
  title: z.string(),
  summary: z.string(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  revision: z.string().nullable(),
  cves: z.array(z.string()),
  advisoryIds: z.array(z.string()),
  tlp: z.enum(TLP_LEVELS),
  isCsaf: z.boolean(),
  firstSeenAt: z.string(),
  changes: z.array(z.object({ at: z.string(), fields: z.array(z.string()), note: z.string() })),
});

export const StoryDetailOut = StoryOut.extend({
  items: z.array(ItemOut),
  kevEntries: z.array(
    z.object({
      cve: z.string(),
      name: z.string(),
      dateAdded: z.string(),
      dueDate: z.string().nullable(),
      requiredAction: z.string(),
      knownRansomware: z.boolean(),
    }),
  ),
  epssScores: z.array(z.object({ cve: z.string(), epss: z.number(), percentile: z.number(), scoreDate: z.string(), modelVersion: z.string().nullable() })),
  concerned: z.array(z.object({ organisationId: z.string(), name: z.string(), products: z.array(z.string()) })),
});

const storyIds = z.array(z.uuid('This is not a valid story id.')).min(1, 'Choose at least one story.').max(500);

export const BulkReadInput = z.object({ ids: storyIds, read: z.boolean() }).strict();
export const BulkNoActionInput = z.object({ ids: storyIds, reason: z.string().trim().min(1, 'Say why no action is needed.').max(2000) }).strict();
export const BulkIdsInput = z.object({ ids: storyIds }).strict();
export const MediaInput = z
  .object({
    week: z
      .string()
      .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'A week looks like 2026-W48.')
      .optional(),
  })
  .strict();
export const UpdatedOut = z.object({ updated: z.number() });
export const DraftOut = z.object({ advisoryId: z.string(), fromCsaf: z.boolean(), csafFailures: z.number() });
export const MediaOut = z.object({ week: z.string(), mediaItemId: z.string() });
