import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { AppError, badRequest } from '#server/errors.ts';
import { attachmentDisposition } from '#server/content-disposition.ts';
import { tlpLabel } from '#lib/tlp.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import { MATERIAL_KINDS, MEETING_TLPS } from '#db/schema-meetings.ts';
import { downloadMaterial, MAX_MATERIAL_BYTES, uploadMaterial, type MaterialUpload } from './material.service.ts';
import { MaterialOut, MaterialParams } from './meeting.schema.ts';

const tags = ['meetings'];

const MaterialFields = z
  .object({
    kind: z.enum(MATERIAL_KINDS),
    title: z.string().trim().min(1).max(300),
    tlp: z.enum(MEETING_TLPS),
    recipients: z.array(z.uuid()).max(500).default([]),
  })
  .strict();

/** Reads the upload form: the fields and one file ("file"), the file held to the size limit. */
async function readUpload(req: FastifyRequest): Promise<MaterialUpload> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'material_form_media_type', 'Upload the material as multipart/form-data.');
  const fields: Record<string, string | string[]> = {};
  let file: { name: string; content: Buffer } | null = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: MAX_MATERIAL_BYTES + 1, files: 1, fields: 20, fieldSize: 10_000 } })) {
      if (part.type === 'field') {
        const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        if (part.fieldname === 'recipients') fields.recipients = [...((fields.recipients as string[] | undefined) ?? []), value];
        else fields[part.fieldname] = value;
        continue;
      }
      if (part.fieldname !== 'file') throw badRequest('validation_failed', 'The form takes one file, as "file".', { field: part.fieldname });
      const content = await part.toBuffer();
      if (content.byteLength > MAX_MATERIAL_BYTES || part.file.truncated)
        throw new AppError('payload_too_large', 'material_too_large', `A material may be at most ${MAX_MATERIAL_BYTES / 1024 / 1024} MiB.`);
      file = { name: part.filename.replace(/[/\\\0]/g, '_').slice(0, 200) || 'material', content };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('payload_too_large', 'material_too_large', 'The file is too large.');
    throw badRequest('material_form_malformed', 'The form arrived damaged or incomplete, or holds more than one file.');
  }
  if (!file) throw badRequest('material_file_missing', 'Attach the file as "file".', { field: 'file' });
  const parsed = MaterialFields.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest('validation_failed', issue?.message ?? 'The form is not valid.', { field: issue?.path.join('.') });
  }
  return { ...parsed.data, fileName: file.name, content: file.content };
}

/** Materials after a meeting: multipart upload (its own plugin, with its own body parser) and download. */
export async function meetingMaterialRoutes(app: App): Promise<void> {
  await app.register(multipart, { throwFileSizeLimit: false, limits: { fieldNameSize: 100, fields: 20, parts: 30, headerPairs: 100 } });

  app.post(
    '/api/v1/meetings/:id/materials',
    {
      config: { access: { auth: 'user', permission: 'meetings:write' } },
      schema: {
        tags,
        summary: 'Upload slides or minutes under a TLP marking (multipart: kind, title, tlp, recipients, file)',
        params: IdParams,
        response: { 201: MaterialOut },
      },
    },
    async (req, reply) => reply.status(201).send(await uploadMaterial(req.ctx, req.params.id, await readUpload(req))),
  );

  app.get(
    '/api/v1/meetings/:id/materials/:materialId',
    {
      config: { access: { auth: 'user', permission: 'meetings:read' } },
      schema: { tags, summary: 'Download a material (attachment only)', params: MaterialParams },
    },
    async (req, reply) => {
      const { material, content } = await downloadMaterial(req.ctx, req.params.id, req.params.materialId);
      void reply.header('content-disposition', attachmentDisposition(material.file_name));
      void reply.header('x-tlp', tlpLabel(material.tlp));
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('content-security-policy', "default-src 'none'; sandbox");
      return reply.type(material.media_type).send(content);
    },
  );
}
