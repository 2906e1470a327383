import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import { tlpLabel } from '#lib/tlp.ts';
import * as drafts from './advisory.service.ts';
import * as publication from './publication.service.ts';
import * as reader from './reader.service.ts';
import * as csafIo from './csaf-io.service.ts';
import { renderProductPdf } from './pdf.ts';
import { presentProduct, presentRevisions, presentSummary } from './advisory.presenter.ts';
import { CreateProductInput, DiffQuery, ImportInput, PreviewInput, ProductListQuery, ProductSummaryOut, ReasonInput, RevisionParams, SaveDraftInput, SubmitInput } from './advisory.schema.ts';

const READ = { access: { auth: 'user', permission: 'advisories:read' } } as const;
const WRITE = { access: { auth: 'user', permission: 'advisories:write' } } as const;
const APPROVE = { access: { auth: 'user', permission: 'advisories:approve' } } as const;
const tags = ['advisories'];
// Products are addressed by uuid or by identifier (WP-2026-0042).
const Ref = z.object({ id: z.string().trim().min(1).max(100) }).strict();
const RevisionRef = RevisionParams.extend({ id: z.string().trim().min(1).max(100) });
const Ok = z.object({ ok: z.literal(true) });

export function advisoryRoutes(app: App): void {
  app.get(
    '/api/v1/advisories',
    { config: READ, schema: { tags, summary: 'Products I may read (editors also see drafts), newest first', querystring: ProductListQuery, response: { 200: z.object({ items: z.array(ProductSummaryOut), nextCursor: z.string().nullable() }) } } },
    async (req) => {
      const page = await reader.listProducts(req.ctx, req.query);
      return { items: page.rows.map(presentSummary), nextCursor: page.nextCursor };
    },
  );

  app.post('/api/v1/advisories', { config: WRITE, schema: { tags, summary: 'Start a draft', body: CreateProductInput, response: { 201: z.object({ id: z.uuid() }) } } }, async (req, reply) =>
    reply.status(201).send({ id: await drafts.createProduct(req.ctx, req.body) }),
  );

  app.post('/api/v1/advisories/preview', { config: WRITE, schema: { tags, summary: 'Render, score and validate a draft without saving it', body: PreviewInput } }, async (req) => csafIo.preview(req.ctx, req.body));

  app.post('/api/v1/advisories/import', { config: WRITE, schema: { tags, summary: 'Import a CSAF 2.0 document as a draft', body: ImportInput } }, async (req, reply) => {
    const result = await csafIo.importCsaf(req.ctx, req.body);
    return reply.status(201).send({ id: result.id, validation: { valid: result.validation.valid, failures: result.validation.failures } });
  });

  app.get('/api/v1/advisories/:id', { config: READ, schema: { tags, summary: 'One product: the published revision, and for editors the draft', params: Ref } }, async (req) =>
    presentProduct(await reader.getProduct(req.ctx, req.params.id)),
  );

  app.put('/api/v1/advisories/:id/draft', { config: WRITE, schema: { tags, summary: 'Save the draft as a new version', params: IdParams, body: SaveDraftInput, response: { 200: z.object({ version: z.number() }) } } }, async (req) => ({
    version: await drafts.saveDraft(req.ctx, req.params.id, req.body),
  }));

  app.get('/api/v1/advisories/:id/versions', { config: WRITE, schema: { tags, summary: 'Saved versions of the draft', params: IdParams } }, async (req) =>
    (await drafts.listVersions(req.ctx, req.params.id)).map((v) => ({ version: v.version, tlp: v.tlp, savedAt: v.saved_at.toISOString(), savedBy: v.saved_by_name ?? null })),
  );

  app.get('/api/v1/advisories/:id/versions/:revision', { config: WRITE, schema: { tags, summary: 'One saved version of the draft', params: RevisionParams } }, async (req) => {
    const v = await drafts.getVersion(req.ctx, req.params.id, req.params.revision);
    return { version: v.version, tlp: v.tlp, recipients: v.recipients, content: v.content, savedAt: v.saved_at.toISOString() };
  });

  app.post('/api/v1/advisories/:id/submit', { config: WRITE, schema: { tags, summary: 'Submit the draft for review', params: IdParams, body: SubmitInput, response: { 200: Ok } } }, async (req) => {
    await drafts.submitForReview(req.ctx, req.params.id, req.body.changeSummary);
    return { ok: true as const };
  });

  app.post('/api/v1/advisories/:id/approve', { config: APPROVE, schema: { tags, summary: 'Approve the draft in review (not its author or editors)', params: IdParams } }, async (req) =>
    drafts.approve(req.ctx, req.params.id),
  );

  app.post('/api/v1/advisories/:id/reject', { config: APPROVE, schema: { tags, summary: 'Send the draft back to its editors', params: IdParams, body: ReasonInput, response: { 200: Ok } } }, async (req) => {
    await drafts.reject(req.ctx, req.params.id, req.body.reason);
    return { ok: true as const };
  });

  app.post('/api/v1/advisories/:id/publish', { config: APPROVE, schema: { tags, summary: 'Publish the approved draft as a new, signed revision', params: IdParams } }, async (req) =>
    publication.publish(req.ctx, req.params.id),
  );

  app.post('/api/v1/advisories/:id/withdraw', { config: APPROVE, schema: { tags, summary: 'Withdraw a published product (the record stays)', params: IdParams, body: ReasonInput } }, async (req) =>
    publication.withdraw(req.ctx, req.params.id, req.body.reason),
  );

  app.get('/api/v1/advisories/:id/revisions', { config: READ, schema: { tags, summary: 'Revision history', params: Ref } }, async (req) => presentRevisions(await reader.listRevisions(req.ctx, req.params.id)));

  app.get('/api/v1/advisories/:id/revisions/:revision', { config: READ, schema: { tags, summary: 'One published revision', params: RevisionRef } }, async (req) => {
    const r = await reader.getRevision(req.ctx, req.params.id, req.params.revision);
    return { revision: r.revision.revision, tlp: r.revision.tlp, changeSummary: r.revision.change_summary, publishedAt: r.revision.published_at.toISOString(), content: r.content, html: r.revision.html };
  });

  app.get('/api/v1/advisories/:id/diff', { config: READ, schema: { tags, summary: 'What changed between two revisions', params: Ref, querystring: DiffQuery } }, async (req) =>
    reader.diff(req.ctx, req.params.id, req.query.from, req.query.to),
  );

  app.get(
    '/api/v1/advisories/:id/csaf',
    { config: READ, schema: { tags, summary: 'The signed CSAF 2.0 document of the current revision', params: Ref, querystring: z.object({ revision: z.coerce.number().int().min(1).optional() }).strict() } },
    async (req, reply) => {
      const r = await reader.getCsaf(req.ctx, req.params.id, req.query.revision);
      void reply.header('x-tlp', tlpLabel(r.tlp));
      void reply.header('content-disposition', `attachment; filename="${r.csaf_path.split('/').pop() ?? 'csaf.json'}"`);
      return reply.type('application/json').send(r.csaf);
    },
  );

  app.get('/api/v1/advisories/:id/pdf', { config: READ, schema: { tags, summary: 'The product as PDF, with TLP banners', params: Ref } }, async (req, reply) => {
    const d = await reader.getProduct(req.ctx, req.params.id);
    const pdf = await renderProductPdf(req.ctx, d);
    void reply.header('content-disposition', `attachment; filename="${d.product.identifier ?? 'draft'}.pdf"`);
    return reply.type('application/pdf').send(pdf);
  });
}
