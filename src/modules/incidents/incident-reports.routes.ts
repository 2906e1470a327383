import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { CaseIdParams, ClockOut } from './incident.schema.ts';
import { upcomingDeadlines } from './deadline.service.ts';
import { dashboard } from './dashboard.service.ts';
import { caseReportPdf, timelineCsv } from './case-export.service.ts';
import { draftInfoMessage } from './info-message.service.ts';

/** The CERT's views over all cases (deadlines, dashboard), a case's exports, and the sector info message. */

const READ = { access: { auth: 'user', permission: 'incidents:read' } } as const;
const WRITE = { access: { auth: 'user', permission: 'incidents:write' } } as const;
const tags = ['incidents'];

const DeadlineOut = z.object({
  caseId: z.uuid(),
  reference: z.string(),
  title: z.string(),
  organisations: z.array(z.string()),
  clock: ClockOut.shape.clock,
  dueAt: z.string(),
  state: z.enum(['open', 'due_soon', 'overdue']),
});

const DashboardOut = z.object({
  openByStatus: z.record(z.string(), z.number()),
  openBySeverity: z.record(z.string(), z.number()),
  medianFirstResponseHours: z.number().nullable(),
  medianContainHours: z.number().nullable(),
  byCategoryMonth: z.array(z.object({ month: z.string(), categoryClass: z.string(), count: z.number() })),
  workload: z.array(z.object({ userId: z.uuid(), name: z.string(), openCases: z.number(), openTasks: z.number() })),
  deadlines: z.array(DeadlineOut),
});

const LangQuery = z.object({ lang: z.enum(['nl', 'en']).default('nl') }).strict();
const InfoMessageInput = z.object({ tlp: z.enum(['GREEN', 'AMBER']).default('GREEN') }).strict();

export function incidentReportRoutes(app: App): void {
  app.get(
    '/api/v1/incidents/deadlines',
    {
      config: WRITE,
      schema: { tags, summary: 'NIS2 and GDPR deadlines not yet met on open cases, soonest first (CERT)', response: { 200: z.array(DeadlineOut) } },
    },
    async (req) => upcomingDeadlines(req.ctx),
  );
  app.get(
    '/api/v1/incidents/dashboard',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Open cases by status and severity, response and containment times, categories per month, workload, deadlines (CERT)',
        response: { 200: DashboardOut },
      },
    },
    async (req) => dashboard(req.ctx),
  );
  app.get(
    '/api/v1/incidents/:id/timeline.csv',
    { config: READ, schema: { tags, summary: "The case's timeline as CSV (the room: shared entries only)", params: CaseIdParams } },
    async (req, reply) => {
      const { filename, csv } = await timelineCsv(req.ctx, req.params.id);
      void reply.header('content-disposition', `attachment; filename="${filename}"`);
      return reply.type('text/csv; charset=utf-8').send(csv);
    },
  );
  app.get(
    '/api/v1/incidents/:id/report.pdf',
    {
      config: READ,
      schema: {
        tags,
        summary: 'The case report as PDF, TLP-marked (the CERT: full; the room: what is shared with it)',
        params: CaseIdParams,
        querystring: LangQuery,
      },
    },
    async (req, reply) => {
      const { filename, pdf } = await caseReportPdf(req.ctx, req.params.id, req.query.lang);
      void reply.header('content-disposition', `attachment; filename="${filename}"`);
      return reply.type('application/pdf').send(pdf);
    },
  );
  app.post(
    '/api/v1/incidents/:id/info-message',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Draft a sector info message from the case, without what identifies the organisation',
        params: CaseIdParams,
        body: InfoMessageInput,
        response: { 201: z.object({ productId: z.uuid() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await draftInfoMessage(req.ctx, req.params.id, req.body.tlp)),
  );
}
