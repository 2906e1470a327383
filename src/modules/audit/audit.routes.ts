import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { record } from './audit.service.ts';
import * as audit from './audit.service.ts';
import { presentAuditCsv, presentAuditEntry, AuditEntry } from './audit.presenter.ts';

const Filters = {
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(320).optional(),
  targetId: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
};
const AuditQuery = z.object({ ...Filters, cursor: z.string().regex(/^\d+$/, 'The cursor is a sequence number.').optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
const ExportQuery = z.object({ ...Filters, format: z.enum(['csv', 'json']).default('csv') }).strict();
const READ = { access: { auth: 'user', permission: 'audit:read' } } as const;
const EXPORT_LIMIT = 100_000;

const toQuery = (q: z.infer<typeof AuditQuery> | z.infer<typeof ExportQuery>) => ({
  action: q.action,
  actor: q.actor,
  targetId: q.targetId,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
});

export function auditRoutes(app: App): void {
  app.get('/api/v1/audit', { config: READ, schema: { tags: ['audit'], summary: 'Search the audit log (newest first)', querystring: AuditQuery, response: { 200: z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }) } } }, async (req) => {
    const rows = await audit.searchAudit(req.ctx, { ...toQuery(req.query), beforeSeq: req.query.cursor ? Number(req.query.cursor) : undefined, limit: req.query.limit + 1 });
    const page = rows.slice(0, req.query.limit);
    const last = page[page.length - 1];
    return { items: page.map(presentAuditEntry), nextCursor: rows.length > req.query.limit && last ? String(last.seq) : null };
  });

  app.get('/api/v1/audit/export', { config: READ, schema: { tags: ['audit'], summary: 'Export the audit log as CSV or JSON', querystring: ExportQuery } }, async (req, reply) => {
    const rows = await audit.searchAudit(req.ctx, { ...toQuery(req.query), limit: EXPORT_LIMIT });
    await record(req.ctx, { action: 'audit.export', details: { format: req.query.format, rows: rows.length } });
    const stamp = new Date().toISOString().slice(0, 10);
    void reply.header('content-disposition', `attachment; filename="wachtpost-audit-${stamp}.${req.query.format}"`);
    if (req.query.format === 'json') return reply.type('application/json').send(JSON.stringify(rows.map(presentAuditEntry)));
    return reply.type('text/csv; charset=utf-8').send(presentAuditCsv(rows));
  });

  app.get(
    '/api/v1/audit/verify',
    { config: READ, schema: { tags: ['audit'], summary: 'Verify the hash chain', response: { 200: z.object({ ok: z.boolean(), checked: z.number(), firstBadSeq: z.number().nullable(), problem: z.string().nullable() }) } } },
    async (req) => audit.verifyAudit(req.ctx),
  );
}
