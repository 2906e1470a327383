import { Readable } from 'node:stream';
import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { AppError } from '#server/errors.ts';
import * as evidence from './evidence.service.ts';
import { emptyFile } from './evidence-store.ts';
import { CaseChildParams, CaseIdParams, CustodyOut, EvidenceOut, EvidenceRequestInput, EvidenceRequestOut } from './incident.schema.ts';
import { attachmentDisposition } from '#server/content-disposition.ts';

const READ = { access: { auth: 'user', permission: 'incidents:read' } } as const;
const RESPOND = { access: { auth: 'user', permission: 'incidents:respond' } } as const;
const WRITE = { access: { auth: 'user', permission: 'incidents:write' } } as const;
const tags = ['incidents'];

const Reason = z.string().trim().min(3, 'Give a reason of at least a few words.').max(2000);

const UploadQuery = z
  .object({
    // Checked and cut to its base name by the service (evidence_file_name), so a whole path is accepted.
    fileName: z.string({ error: 'Name the file: ?fileName=memory.dmp' }).min(1, 'Name the file: ?fileName=memory.dmp').max(1024),
    description: z.string().trim().max(2000).default(''),
    requestId: z.uuid('This is not a valid evidence request id.').optional(),
    shared: z.enum(['true', 'false']).optional(),
  })
  .strict();
const DownloadQuery = z.object({ reason: z.string().trim().max(2000).default('') }).strict();
const HandoverInput = z.object({ to: z.string().trim().min(1).max(200), reason: Reason }).strict();
const DeletionInput = z.object({ reason: Reason }).strict();
const DecisionInput = z.object({ reason: z.string().trim().max(2000).default('') }).strict().optional();
const CustodyQuery = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();
const VerifyOut = z.object({ sha256: z.string().nullable(), matches: z.boolean() });

export function evidenceRoutes(app: App): void {
  // The upload body is handed to the service as the raw request stream: files of gigabytes are
  // hashed and written to disk as they arrive, never held in memory. Only this plugin parses it.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => {
    done(null, payload);
  });

  app.get(
    '/api/v1/incidents/:id/evidence',
    { config: READ, schema: { tags, summary: 'Evidence of a case (the room: shared and its own, never deleted)', params: CaseIdParams, response: { 200: z.array(EvidenceOut) } } },
    async (req) => evidence.listEvidence(req.ctx, req.params.id),
  );

  app.post(
    '/api/v1/incidents/:id/evidence',
    {
      config: RESPOND,
      schema: {
        tags,
        summary: 'Upload evidence: the file as the body (application/octet-stream), its name in ?fileName=',
        params: CaseIdParams,
        querystring: UploadQuery,
        response: { 201: EvidenceOut },
      },
    },
    async (req, reply) => {
      const body: unknown = req.body;
      if (body === undefined || body === null) throw emptyFile();
      if (!(body instanceof Readable)) {
        throw new AppError('unsupported_media_type', 'evidence_media_type', 'Send the file itself as the request body with Content-Type: application/octet-stream.');
      }
      const length = req.headers['content-length'];
      try {
        const out = await evidence.uploadEvidence(
          req.ctx,
          req.params.id,
          {
            fileName: req.query.fileName,
            description: req.query.description,
            requestId: req.query.requestId,
            shared: req.query.shared === undefined ? undefined : req.query.shared === 'true',
            declaredBytes: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
          },
          body,
        );
        return await reply.status(201).send(out);
      } catch (err) {
        // A refused upload is not read to its end: close the connection instead of draining gigabytes.
        if (!body.readableEnded) void reply.header('connection', 'close');
        throw err;
      }
    },
  );

  app.get(
    '/api/v1/incidents/:id/evidence/:childId/download',
    { config: READ, schema: { tags, summary: 'Download evidence (always as an attachment); recorded in the chain of custody', params: CaseChildParams, querystring: DownloadQuery } },
    async (req, reply) => {
      const { evidence: e, stream } = await evidence.downloadEvidence(req.ctx, req.params.id, req.params.childId, req.query.reason);
      void reply.header('content-disposition', attachmentDisposition(e.fileName));
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('x-evidence-sha256', e.sha256);
      void reply.header('content-length', String(e.sizeBytes));
      void reply.header('cache-control', 'no-store');
      return reply.type('application/octet-stream').send(stream);
    },
  );

  app.post(
    '/api/v1/incidents/:id/evidence/:childId/verify',
    { config: WRITE, schema: { tags, summary: 'Re-hash the stored file and compare it with the hash recorded on arrival', params: CaseChildParams, response: { 200: VerifyOut } } },
    async (req) => evidence.verifyEvidence(req.ctx, req.params.id, req.params.childId),
  );

  app.post(
    '/api/v1/incidents/:id/evidence/:childId/handover',
    { config: WRITE, schema: { tags, summary: 'Record a hand-over of evidence (to whom, why)', params: CaseChildParams, body: HandoverInput, response: { 201: CustodyOut } } },
    async (req, reply) => reply.status(201).send(await evidence.handOver(req.ctx, req.params.id, req.params.childId, req.body)),
  );

  app.post(
    '/api/v1/incidents/:id/evidence/:childId/deletion',
    { config: WRITE, schema: { tags, summary: 'Ask for evidence to be deleted (a second analyst approves)', params: CaseChildParams, body: DeletionInput, response: { 200: EvidenceOut } } },
    async (req) => evidence.requestDeletion(req.ctx, req.params.id, req.params.childId, req.body.reason),
  );

  app.post(
    '/api/v1/incidents/:id/evidence/:childId/deletion/approve',
    { config: WRITE, schema: { tags, summary: 'Approve a deletion (not the analyst who asked): the file is removed, its custody log stays', params: CaseChildParams, body: DecisionInput, response: { 200: EvidenceOut } } },
    async (req) => evidence.approveDeletion(req.ctx, req.params.id, req.params.childId, req.body?.reason ?? ''),
  );

  app.post(
    '/api/v1/incidents/:id/evidence/:childId/deletion/refuse',
    { config: WRITE, schema: { tags, summary: 'Refuse (or withdraw) a deletion request', params: CaseChildParams, body: DecisionInput, response: { 200: EvidenceOut } } },
    async (req) => evidence.refuseDeletion(req.ctx, req.params.id, req.params.childId, req.body?.reason ?? ''),
  );

  app.get(
    '/api/v1/incidents/:id/custody',
    { config: WRITE, schema: { tags, summary: 'The chain of custody of the case, oldest first (?format=csv to export)', params: CaseIdParams, querystring: CustodyQuery, response: { 200: z.union([z.array(CustodyOut), z.string().describe('text/csv')]) } } },
    async (req, reply) => {
      if (req.query.format === 'json') return evidence.custodyLog(req.ctx, req.params.id);
      const { fileName, csv } = await evidence.custodyCsv(req.ctx, req.params.id);
      void reply.header('content-disposition', attachmentDisposition(fileName));
      return reply.type('text/csv; charset=utf-8').send(csv);
    },
  );

  app.get(
    '/api/v1/incidents/:id/evidence-requests',
    { config: READ, schema: { tags, summary: 'What the CERT asked the affected organisation to upload', params: CaseIdParams, response: { 200: z.array(EvidenceRequestOut) } } },
    async (req) => evidence.listEvidenceRequests(req.ctx, req.params.id),
  );

  app.post(
    '/api/v1/incidents/:id/evidence-requests',
    { config: WRITE, schema: { tags, summary: 'Ask the affected organisation for evidence', params: CaseIdParams, body: EvidenceRequestInput, response: { 201: EvidenceRequestOut } } },
    async (req, reply) => reply.status(201).send(await evidence.createEvidenceRequest(req.ctx, req.params.id, req.body)),
  );
}
