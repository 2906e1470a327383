import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import { tlpLabel } from '#lib/tlp.ts';
import { attachmentDisposition } from '#server/content-disposition.ts';
import * as docs from './document.service.ts';
import { DocumentInput, DocumentListQuery, DocumentOut } from './document.schema.ts';
import type { DocumentMeta } from './document.repository.ts';

function present(d: DocumentMeta): z.infer<typeof DocumentOut> {
  return {
    id: d.id,
    ownerOrganisationId: d.owner_organisation_id,
    title: d.title,
    description: d.description,
    tlp: d.tlp,
    fileName: d.file_name,
    mediaType: d.media_type,
    sizeBytes: d.size_bytes,
    createdAt: d.created_at.toISOString(),
  };
}

const READ = { access: { auth: 'user', permission: 'documents:read' } } as const;

export function documentRoutes(app: App): void {
  app.get('/api/v1/documents', { config: READ, schema: { tags: ['documents'], summary: 'Documents my TLP clearance shows', querystring: DocumentListQuery, response: { 200: z.object({ items: z.array(DocumentOut), nextCursor: z.string().nullable() }) } } }, async (req) => {
    const page = await docs.listDocuments(req.ctx, req.query);
    return { items: page.rows.map(present), nextCursor: page.nextCursor };
  });

  app.get('/api/v1/documents/export', { config: READ, schema: { tags: ['documents'], summary: 'Export the documents I may see (JSON)' } }, async (req, reply) => {
    const rows = await docs.exportDocuments(req.ctx);
    void reply.header('content-disposition', 'attachment; filename="wachtpost-documents.json"');
    return reply.type('application/json').send(JSON.stringify(rows.map(present)));
  });

  app.post('/api/v1/documents', { config: { access: { auth: 'user', permission: 'documents:write' } }, schema: { tags: ['documents'], summary: 'Share a document under a TLP marking', body: DocumentInput, response: { 201: DocumentOut } } }, async (req, reply) =>
    reply.status(201).send(present(await docs.createDocument(req.ctx, req.body))),
  );

  app.get('/api/v1/documents/:id', { config: READ, schema: { tags: ['documents'], summary: 'One document', params: IdParams, response: { 200: DocumentOut } } }, async (req) => present(await docs.getDocument(req.ctx, req.params.id)));

  app.get('/api/v1/documents/:id/download', { config: READ, schema: { tags: ['documents'], summary: 'Download the file', params: IdParams } }, async (req, reply) => {
    const { doc, content } = await docs.downloadDocument(req.ctx, req.params.id);
    void reply.header('content-disposition', attachmentDisposition(doc.file_name));
    void reply.header('x-tlp', tlpLabel(doc.tlp));
    void reply.header('x-content-type-options', 'nosniff');
    return reply.type(doc.media_type).send(Buffer.from(content));
  });
}
