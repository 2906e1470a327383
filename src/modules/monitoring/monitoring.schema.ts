import { z } from 'zod';
import { CsvMapping } from './mapped-csv.ts';
import { FEED_FORMATS } from './blocklist.ts';
import { CHECK_KINDS } from './checks.ts';

export const FINDING_STATUSES = ['new', 'notified', 'acknowledged', 'resolved', 'accepted_risk'] as const;
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

const csvList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values, `Use one or more of: ${values.join(', ')} (comma-separated).`)));

export const FindingListQuery = z
  .object({
    organisationId: z.uuid().optional(),
    status: csvList(FINDING_STATUSES).optional(),
    open: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    type: z.string().trim().max(60).optional(),
    severity: z.enum(SEVERITIES).optional(),
    source: z.string().trim().max(200).optional(),
    q: z.string().trim().max(253).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type FindingListQuery = z.infer<typeof FindingListQuery>;

export const StatusInput = z
  .object({
    status: z.enum(FINDING_STATUSES),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type StatusInput = z.infer<typeof StatusInput>;

export const FindingOut = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  organisationName: z.string(),
  assetId: z.uuid().nullable(),
  asset: z.string().nullable(),
  type: z.string(),
  subject: z.string(),
  port: z.number().nullable(),
  severity: z.enum(SEVERITIES),
  status: z.enum(FINDING_STATUSES),
  sources: z.array(z.string()),
  firstSeen: z.string(),
  lastSeen: z.string(),
  reopenedCount: z.number(),
  reopenedAt: z.string().nullable(),
  notifiedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  recheckPending: z.boolean(),
  recheckable: z.boolean(),
});

export const FindingDetailOut = FindingOut.extend({
  evidence: z.record(z.string(), z.unknown()),
  history: z.array(
    z.object({
      kind: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      source: z.string().nullable(),
      note: z.string(),
      actor: z.string().nullable(),
      at: z.string(),
    }),
  ),
});

const REPORT_LIMIT = 50 * 1024 * 1024;
export const ReportUploadInput = z
  .object({
    format: z.enum(['shadowserver', 'nmap', 'csv']),
    fileName: z.string().trim().min(1).max(255),
    content: z.string().min(1, 'The file is empty.').max(REPORT_LIMIT),
    sourceId: z.uuid().optional(),
  })
  .strict();
export const REPORT_BODY_LIMIT = REPORT_LIMIT + 64 * 1024;

export const ReportOut = z.object({
  id: z.uuid(),
  sourceKind: z.string(),
  reportType: z.string(),
  fileName: z.string(),
  receivedVia: z.string(),
  rowsTotal: z.number(),
  rowsMatched: z.number(),
  rowsUnmatched: z.number(),
  rowsFailed: z.number(),
  findingsNew: z.number(),
  findingsReopened: z.number(),
  unknownColumns: z.array(z.string()),
  /** The mail that brought the report (received by mail only). */
  mail: z.object({ from: z.string(), messageId: z.string() }).nullable(),
  createdAt: z.string(),
});
/** A page of a list: at most `limit` items after the opaque `cursor` the previous page gave out. */
const PageQuery = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const ReportListQuery = PageQuery;
export type ReportListQuery = z.infer<typeof ReportListQuery>;
export const FailedRowsQuery = PageQuery;
export type FailedRowsQuery = z.infer<typeof FailedRowsQuery>;

export const ReportPageOut = z.object({ items: z.array(ReportOut), nextCursor: z.string().nullable() });
export const FailedRowOut = z.object({ line: z.number(), raw: z.string(), reason: z.string() });
export const FailedRowsPageOut = z.object({ items: z.array(FailedRowOut), nextCursor: z.string().nullable() });
/** A report with the first page of its unreadable rows; the rest through /reports/:id/failed-rows. */
export const ReportDetailOut = ReportOut.extend({
  failedRows: z.array(FailedRowOut),
  /** The cursor of the next page of failed rows; null when failedRows holds them all. */
  failedRowsNextCursor: z.string().nullable(),
  failedRowsTotal: z.number(),
});

/** One day of the chart: findings open, and findings under accepted risk, at the end of the day. */
export const DayCountOut = z.object({ day: z.string(), open: z.number(), acceptedRisk: z.number() });
export const StatsOut = z.object({
  organisationId: z.uuid().nullable(),
  openOverTime: z.array(DayCountOut),
  byStatus: z.record(z.string(), z.number()),
  openByType: z.array(z.object({ type: z.string(), open: z.number(), critical: z.number() })),
  meanTimeToResolveHours: z.number().nullable(),
});

export const IngestOut = ReportOut.pick({
  id: true,
  reportType: true,
  unknownColumns: true,
  rowsTotal: true,
  rowsMatched: true,
  rowsUnmatched: true,
  rowsFailed: true,
  findingsNew: true,
  findingsReopened: true,
}).extend({
  detectedBy: z.string().nullable(),
});

/** A DNSBL zone (RFC 5782) as the CERT configures it. */
export const DnsblConfig = z
  .object({
    zone: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, 'A zone is a DNS name such as zen.dnsbl.example.'),
    target: z.enum(['ip', 'domain']),
    /** The answers the zone documents as listings, as addresses or ranges ('127.0.0.2-127.0.0.11'); empty: any 127/8 answer. */
    listedCodes: z
      .array(
        z
          .string()
          .regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}(-127\.\d{1,3}\.\d{1,3}\.\d{1,3})?$/, "A return code is an address in 127/8 or a range 'a-b' of them."),
      )
      .max(50)
      .default([]),
    dailyBudget: z.number().int().min(1).max(10_000_000).default(100_000),
    perSecond: z.number().int().min(1).max(10_000).default(50),
    findingType: z
      .string()
      .regex(/^[a-z0-9-]{2,60}$/)
      .default('blacklisted'),
    severity: z.enum(SEVERITIES).default('medium'),
  })
  .strict();
export type DnsblConfig = z.infer<typeof DnsblConfig>;

/** A blocklist feed: fetched from a URL (https; SSRF rules apply) or read from a file in the feed folder. */
export const BlocklistConfig = z
  .object({
    url: z.string().trim().max(2000).optional(),
    /** A path relative to the feed folder (MONITORING_FEED_DIR). */
    file: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .regex(/^(?![\\/])(?!.*(^|[\\/])\.\.([\\/]|$))[^\0]+$/, 'A file is a path inside the feed folder, without ".." and not absolute.')
      .optional(),
    format: z.enum(FEED_FORMATS),
    findingType: z
      .string()
      .regex(/^[a-z0-9-]{2,60}$/)
      .default('blocklisted'),
    severity: z.enum(SEVERITIES).default('medium'),
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.file === undefined), { message: 'A feed has either a url or a file.', path: ['url'] });
export type BlocklistConfig = z.infer<typeof BlocklistConfig>;

/** One of the CERT's own checks of the participants' declared domain names. */
export const CheckConfig = z
  .object({
    check: z.enum(CHECK_KINDS),
    /** TLS: a certificate with fewer days left than this is a finding. */
    warnDays: z.number().int().min(0).max(365).default(14),
    /** TLS: the port whose certificate is read. */
    port: z.number().int().min(1).max(65535).default(443),
    severity: z.enum(SEVERITIES).default('low'),
  })
  .strict();
export type CheckConfig = z.infer<typeof CheckConfig>;

export const SourceInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('blocklist'), name: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,59}$/, 'A feed name is lower-case letters, digits, ".", "_" and "-".'), config: BlocklistConfig, enabled: z.boolean().default(true) }).strict(),
  z.object({ kind: z.literal('check'), config: CheckConfig, enabled: z.boolean().default(true) }).strict(),
  z.object({ kind: z.literal('dnsbl'), config: DnsblConfig, enabled: z.boolean().default(true) }).strict(),
  z
    .object({
      kind: z.literal('csv'),
      // Names with ':' and the built-in sources' names are reserved: the other kinds are named 'dnsbl:…', 'blocklist:…', 'check:…'.
      name: z
        .string()
        .trim()
        .min(1)
        .max(120)
        .refine((n) => !n.includes(':') && !['shadowserver', 'nmap scans'].includes(n.toLowerCase()), "A CSV source's name has no ':' and is not 'Shadowserver' or 'nmap scans'."),
      config: CsvMapping,
      enabled: z.boolean().default(true),
    })
    .strict(),
]);
export type SourceInput = z.infer<typeof SourceInput>;

export const SourceRunOut = z.object({
  sourceId: z.uuid(),
  name: z.string(),
  kind: z.string(),
  reportId: z.uuid().nullable(),
  checked: z.number(),
  rowsTotal: z.number(),
  rowsMatched: z.number(),
  rowsUnmatched: z.number(),
  rowsFailed: z.number(),
  findingsNew: z.number(),
  findingsReopened: z.number(),
  error: z.string().nullable(),
});

export const SourcePatch = z.object({ enabled: z.boolean() }).strict();

export const SourceOut = z.object({
  id: z.uuid(),
  kind: z.string(),
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  lastRunAt: z.string().nullable(),
  lastRows: z.number(),
  lastErrors: z.number(),
  lastError: z.string().nullable(),
});

export const CalendarQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strict();
export const CalendarInput = z
  .object({
    day: z.iso.date('A day is written YYYY-MM-DD.'),
    working: z.boolean().nullable(),
    note: z.string().max(200).default(''),
  })
  .strict();
