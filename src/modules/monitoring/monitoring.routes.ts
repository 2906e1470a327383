import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import { whoOwns } from './constituency.service.ts';
import * as findings from './finding.service.ts';
import * as reports from './report.service.ts';
import * as sources from './source.service.ts';
import {
  CalendarInput,
  CalendarQuery,
  FailedRowsPageOut,
  FailedRowsQuery,
  FindingDetailOut,
  FindingListQuery,
  FindingOut,
  IngestOut,
  REPORT_BODY_LIMIT,
  ReportDetailOut,
  ReportListQuery,
  ReportPageOut,
  ReportUploadInput,
  SourceInput,
  SourceOut,
  SourcePatch,
  SourceRunOut,
  StatsOut,
  StatusInput,
} from './monitoring.schema.ts';

const READ = { access: { auth: 'user', permission: 'monitoring:read' } } as const;
const RESPOND = { access: { auth: 'user', permission: 'monitoring:respond' } } as const;
const WRITE = { access: { auth: 'user', permission: 'monitoring:write' } } as const;
const tags = ['monitoring'];

const OverviewOut = z.object({
  byStatus: z.record(z.string(), z.number()),
  openByType: z.array(z.object({ type: z.string(), open: z.number(), critical: z.number() })),
  topOrganisations: z.array(z.object({ organisationId: z.uuid(), name: z.string(), open: z.number(), critical: z.number() })),
  sources: z.array(SourceOut.omit({ config: true }).extend({ openFindings: z.number() })),
});
const DnsblRunOut = z.array(
  z.object({
    zone: z.string(),
    reportId: z.uuid(),
    checked: z.number(),
    listed: z.number(),
    errors: z.number(),
    queries: z.number(),
    skippedForBudget: z.number(),
    findingsNew: z.number(),
    findingsReopened: z.number(),
  }),
);
const CalendarOut = z.object({
  year: z.number(),
  days: z.array(z.object({ day: z.string(), working: z.boolean(), reason: z.string(), overridden: z.boolean() })),
});

export function monitoringRoutes(app: App): void {
  app.get(
    '/api/v1/monitoring/findings',
    {
      config: READ,
      schema: {
        tags,
        summary: "Findings on my organisation's systems (the CERT: all)",
        querystring: FindingListQuery,
        response: { 200: z.object({ items: z.array(FindingOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => findings.listFindings(req.ctx, req.query),
  );
  app.get(
    '/api/v1/monitoring/findings/:id',
    { config: READ, schema: { tags, summary: 'One finding with its evidence and history', params: IdParams, response: { 200: FindingDetailOut } } },
    async (req) => findings.getFinding(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/monitoring/findings/:id/status',
    {
      config: RESPOND,
      schema: {
        tags,
        summary: 'Acknowledge, resolve (with a re-check where possible) or accept a finding',
        params: IdParams,
        body: StatusInput,
        response: { 200: FindingDetailOut },
      },
    },
    async (req) => findings.changeStatus(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/monitoring/stats',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Open findings over time, mean time to resolve, counts (my organisation, or one the CERT names)',
        querystring: z.object({ organisationId: z.uuid().optional() }).strict(),
        response: { 200: StatsOut },
      },
    },
    async (req) => findings.organisationStats(req.ctx, req.query.organisationId),
  );
  app.get(
    '/api/v1/monitoring/overview',
    { config: WRITE, schema: { tags, summary: "The CERT's sector overview and per-source health", response: { 200: OverviewOut } } },
    async (req) => findings.sectorOverview(req.ctx),
  );
  app.post(
    '/api/v1/monitoring/reports',
    {
      config: WRITE,
      bodyLimit: REPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Upload a report: Shadowserver CSV, nmap XML, or CSV of a source with a column mapping',
        body: ReportUploadInput,
        response: { 201: IngestOut },
      },
    },
    async (req, reply) => reply.status(201).send(await reports.uploadReport(req.ctx, { ...req.body, via: 'upload' })),
  );
  app.get(
    '/api/v1/monitoring/reports',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Received reports and check runs, newest first, a page at a time',
        querystring: ReportListQuery,
        response: { 200: ReportPageOut },
      },
    },
    async (req) => reports.listReports(req.ctx, req.query),
  );
  app.get(
    '/api/v1/monitoring/reports/:id',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'One report with the first page of the rows that could not be read',
        params: IdParams,
        response: { 200: ReportDetailOut },
      },
    },
    async (req) => reports.getReport(req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/monitoring/reports/:id/failed-rows',
    {
      config: WRITE,
      schema: {
        tags,
        summary: "A report's rows that could not be read, by line, a page at a time",
        params: IdParams,
        querystring: FailedRowsQuery,
        response: { 200: FailedRowsPageOut },
      },
    },
    async (req) => reports.listFailedRows(req.ctx, req.params.id, req.query),
  );
  app.get(
    '/api/v1/monitoring/sources',
    { config: WRITE, schema: { tags, summary: 'Sources: DNSBL zones, report formats, CSV mappings', response: { 200: z.array(SourceOut) } } },
    async (req) => sources.listSources(req.ctx),
  );
  app.post(
    '/api/v1/monitoring/sources',
    { config: WRITE, schema: { tags, summary: 'Add a DNSBL zone, a CSV source with its column mapping, a blocklist feed or a check', body: SourceInput, response: { 201: SourceOut } } },
    async (req, reply) => reply.status(201).send(await sources.createSource(req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/monitoring/sources/:id',
    { config: WRITE, schema: { tags, summary: 'Enable or disable a source', params: IdParams, body: SourcePatch, response: { 200: SourceOut } } },
    async (req) => sources.setSourceEnabled(req.ctx, req.params.id, req.body.enabled),
  );
  app.post(
    '/api/v1/monitoring/sources/:id/run',
    {
      config: WRITE,
      schema: { tags, summary: 'Run a blocklist feed or one of the CERT’s checks now', params: IdParams, response: { 200: SourceRunOut } },
    },
    async (req) => sources.runSourceNow(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/monitoring/dnsbl/run',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Run the blacklist checks now (all enabled zones, or one)',
        body: z.object({ sourceId: z.uuid().optional() }).strict(),
        response: { 200: DnsblRunOut },
      },
    },
    async (req) => sources.runDnsblNow(req.ctx, req.body.sourceId),
  );
  app.get(
    '/api/v1/monitoring/calendar',
    {
      config: WRITE,
      schema: { tags, summary: 'Days off in a year (public holidays and the CERT’s own)', querystring: CalendarQuery, response: { 200: CalendarOut } },
    },
    async (req) => sources.calendar(req.ctx, req.query.year),
  );
  app.put(
    '/api/v1/monitoring/calendar',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Make a day a working day or a day off (working: null removes the override)',
        body: CalendarInput,
        response: { 200: CalendarOut },
      },
    },
    async (req) => sources.setCalendarDay(req.ctx, req.body),
  );
  app.get(
    '/api/v1/monitoring/owner',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Which participants own an address, name or AS number',
        querystring: z.object({ value: z.string().trim().min(1).max(253) }).strict(),
        response: { 200: z.array(z.object({ organisationId: z.uuid(), organisationName: z.string(), assetId: z.string(), asset: z.string() })) },
      },
    },
    async (req) => whoOwns(req.ctx, req.query.value),
  );
}
