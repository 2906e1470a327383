import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { AppError, badRequest } from '#server/errors.ts';
import { IdParams, Ok } from '#modules/identity/identity.schema.ts';
import { attachmentDisposition } from '#server/content-disposition.ts';
import { tlpLabel, type Tlp } from '#lib/tlp.ts';
import * as service from './publication.service.ts';
import { presentDetail, presentPublication } from './publication.presenter.ts';
import {
  MarkdownVersionInput,
  MAX_PUBLICATION_PDF_BYTES,
  PreviewInput,
  PreviewOut,
  PublicationDetailOut,
  PublicationInput,
  PublicationListQuery,
  PublicationOut,
  PublicationPageOut,
  PublicationPatch,
  PublishInput,
  VersionParams,
  WithdrawInput,
} from './publication.schema.ts';

const READ = { access: { auth: 'user', permission: 'publications:read' } } as const;
const WRITE = { access: { auth: 'user', permission: 'publications:write' } } as const;
const tags = ['publications'];
const VersionCreated = z.object({ version: z.number() });

/** A PDF as a download: always an attachment, never sniffed, its marking and hash in the headers. */
export function sendPdf(reply: FastifyReply, d: { fileName: string; pdf: Uint8Array; sha256: string | null; pub: { tlp: Tlp } }) {
  void reply.header('content-disposition', attachmentDisposition(d.fileName));
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('x-tlp', tlpLabel(d.pub.tlp));
  if (d.sha256) void reply.header('x-content-sha256', d.sha256);
  void reply.header('cache-control', d.pub.tlp === 'CLEAR' ? 'public, max-age=300' : 'private, no-store');
  return reply.type('application/pdf').send(Buffer.from(d.pdf));
}

export function publicationRoutes(app: App): void {
  app.get(
    '/api/v1/publications',
    {
      config: READ,
      schema: {
        tags,
        summary: 'The publications I may read; ?q= searches title, summary, tags and text',
        querystring: PublicationListQuery,
        response: { 200: PublicationPageOut },
      },
    },
    async (req) => {
      const page = await service.listPublications(req.ctx, req.query);
      return { items: page.rows.map((r) => presentPublication(r)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/publications/review-due',
    { config: WRITE, schema: { tags, summary: 'Publications whose review-by date has come (the CERT)', response: { 200: z.array(PublicationOut) } } },
    async (req) => (await service.listReviewDue(req.ctx)).map((r) => presentPublication(r)),
  );

  app.post(
    '/api/v1/publications/preview',
    { config: WRITE, schema: { tags, summary: 'Markdown as the sanitised HTML it will print as', body: PreviewInput, response: { 200: PreviewOut } } },
    async (req) => service.previewMarkdown(req.ctx, req.body.markdown),
  );

  app.post(
    '/api/v1/publications',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'A new publication (a draft), with its first Markdown version when given',
        body: PublicationInput,
        response: { 201: PublicationDetailOut },
      },
    },
    async (req, reply) => {
      const id = await service.createPublication(req.ctx, req.body);
      return reply.status(201).send(presentDetail(await service.getPublication(req.ctx, id)));
    },
  );

  app.get(
    '/api/v1/publications/:id',
    { config: READ, schema: { tags, summary: 'One publication', params: IdParams, response: { 200: PublicationDetailOut } } },
    async (req) => presentDetail(await service.getPublication(req.ctx, req.params.id)),
  );

  app.patch(
    '/api/v1/publications/:id',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Change title, summary, tags, marking, audience or review-by date',
        params: IdParams,
        body: PublicationPatch,
        response: { 200: PublicationDetailOut },
      },
    },
    async (req) => {
      await service.updatePublication(req.ctx, req.params.id, req.body);
      return presentDetail(await service.getPublication(req.ctx, req.params.id));
    },
  );

  app.post(
    '/api/v1/publications/:id/versions',
    { config: WRITE, schema: { tags, summary: 'A new Markdown version', params: IdParams, body: MarkdownVersionInput, response: { 201: VersionCreated } } },
    async (req, reply) => reply.status(201).send({ version: await service.addMarkdownVersion(req.ctx, req.params.id, req.body) }),
  );

  app.post(
    '/api/v1/publications/:id/publish',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Publish a version (the latest when none is named); earlier ones stay for the CERT',
        params: IdParams,
        body: PublishInput,
        response: { 200: PublicationDetailOut },
      },
    },
    async (req) => {
      await service.publishPublication(req.ctx, req.params.id, req.body.version);
      return presentDetail(await service.getPublication(req.ctx, req.params.id));
    },
  );

  app.post(
    '/api/v1/publications/:id/withdraw',
    {
      config: WRITE,
      schema: { tags, summary: 'Withdraw a publication: readers no longer see it', params: IdParams, body: WithdrawInput, response: { 200: Ok } },
    },
    async (req) => {
      await service.withdrawPublication(req.ctx, req.params.id, req.body.reason);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/publications/:id/download',
    { config: READ, schema: { tags, summary: 'The current version as PDF', params: IdParams } },
    async (req, reply) => sendPdf(reply, await service.downloadCurrent(req.ctx, req.params.id)),
  );

  app.get(
    '/api/v1/publications/:id/versions/:version/download',
    { config: WRITE, schema: { tags, summary: 'Any version as PDF (the CERT)', params: VersionParams } },
    async (req, reply) => sendPdf(reply, await service.downloadVersion(req.ctx, req.params.id, req.params.version)),
  );

  // Uploads are multipart: the parser lives in a plugin of its own, so it never reaches the JSON API.
  void app.register(async (uploads) => uploadRoutes(uploads as App));
}

async function uploadRoutes(app: App): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fieldNameSize: 100, fields: 5, files: 1, parts: 6, headerPairs: 100, fieldSize: 4096, fileSize: MAX_PUBLICATION_PDF_BYTES + 1 },
  });
  app.post(
    '/api/v1/publications/:id/versions/upload',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'A new version as an uploaded PDF (multipart/form-data: file, changeNote); checked by its bytes, not its name',
        params: IdParams,
        response: { 201: VersionCreated },
      },
    },
    async (req, reply) => {
      const form = await readUpload(req);
      return reply.status(201).send({ version: await service.addUploadedVersion(req.ctx, req.params.id, form) });
    },
  );
}

/** The one file and the change note of an upload form; a file past the limit is refused, not cut. */
async function readUpload(req: FastifyRequest): Promise<{ bytes: Uint8Array; changeNote: string }> {
  if (!req.isMultipart())
    throw new AppError('unsupported_media_type', 'publication_upload_media_type', 'Send the PDF as multipart/form-data with the file in the field "file".');
  let bytes: Buffer | null = null;
  let changeNote = '';
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === 'changeNote' && typeof part.value === 'string') changeNote = part.value.trim().slice(0, 1000);
        continue;
      }
      if (part.fieldname !== 'file' || bytes !== null) {
        part.file.resume();
        continue;
      }
      bytes = await part.toBuffer();
      if (part.file.truncated)
        throw new AppError('payload_too_large', 'publication_pdf_too_large', `A PDF may be at most ${MAX_PUBLICATION_PDF_BYTES / 1024 / 1024} MiB.`, {
          field: 'file',
        });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('payload_too_large', 'publication_pdf_too_large', `A PDF may be at most ${MAX_PUBLICATION_PDF_BYTES / 1024 / 1024} MiB.`, {
        field: 'file',
      });
    throw badRequest('publication_upload_malformed', 'The upload arrived damaged or incomplete; send it again.');
  }
  if (bytes === null) throw badRequest('publication_file_missing', 'Attach the PDF in the field "file".', { field: 'file' });
  return { bytes, changeNote };
}
