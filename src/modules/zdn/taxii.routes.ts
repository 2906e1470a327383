import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { App } from '#server/http-types.ts';
import { AppError } from '#server/errors.ts';
import * as taxii from './taxii.service.ts';

// TAXII clients authenticate with HTTP Basic (the token as password) or a bearer token; the service
// applies the collection's audience and the TLP rule, so the routes themselves are open.
const OPEN = { access: { auth: 'public', permission: 'none' } } as const;
const tags = ['taxii'];

const CollectionParams = z.object({ collectionId: z.string().min(1).max(100) }).strict();
const ObjectParams = CollectionParams.extend({ objectId: z.string().min(1).max(200) }).strict();
const StatusParams = z.object({ statusId: z.uuid('This is not a status id.') }).strict();
const Filters = z
  .object({
    added_after: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(100_000).optional(),
    next: z.string().max(500).optional(),
    'match[id]': z.string().max(20_000).optional(),
    'match[type]': z.string().max(500).optional(),
    'match[version]': z.string().max(2000).optional(),
    'match[spec_version]': z.string().max(100).optional(),
  })
  .strict();

/**
 * Whether an Accept header lets us answer in TAXII 2.1: any entry for our media type without a
 * version or with version=2.1, or a wildcard. A client asking only for version=2.0 gets 406.
 */
export function acceptsTaxii21(accept: string): boolean {
  return accept.split(',').some((entry) => {
    const [type = '', ...params] = entry.split(';').map((p) => p.trim().toLowerCase());
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = params.find((p) => p.startsWith('version='));
    return version === undefined || version.replace(/\s/g, '') === 'version=2.1';
  });
}

// As bytes with the header set as is: for text, Fastify would rewrite the media type (quoting "2.1",
// adding a charset), and TAXII clients compare it.
function send(reply: FastifyReply, body: Buffer | object, status = 200) {
  return reply
    .status(status)
    .header('content-type', taxii.TAXII_MEDIA_TYPE)
    .send(Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body)));
}

function sendPage(reply: FastifyReply, page: taxii.TaxiiPage) {
  if (page.first) void reply.header('X-TAXII-Date-Added-First', page.first);
  if (page.last) void reply.header('X-TAXII-Date-Added-Last', page.last);
  return send(reply, page.body);
}

/**
 * TAXII 2.1 at /taxii2/: discovery, the API root, collections per audience, objects, manifest,
 * versions, POST of envelopes and status. Errors use TAXII's error message shape.
 */
export function taxiiRoutes(app: App): void {
  app.addContentTypeParser(/^application\/taxii\+json/i, { parseAs: 'string', bodyLimit: taxii.MAX_CONTENT_LENGTH }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError('bad_request', 'invalid_json', 'The body is not valid JSON.'), undefined);
    }
  });
  app.addHook('onRequest', async (req) => {
    const accept = req.headers.accept;
    if (accept && !acceptsTaxii21(accept)) throw new AppError('not_acceptable', 'not_acceptable', `This TAXII server speaks ${taxii.TAXII_MEDIA_TYPE}; send that in the Accept header.`);
  });
  // Our error shape {error: {code, message}} becomes TAXII's {title, description, error_code, http_status}.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (reply.statusCode === 401) void reply.header('www-authenticate', 'Basic realm="Wachtpost TAXII", Bearer realm="Wachtpost TAXII"');
    if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
    try {
      const parsed = JSON.parse(payload) as { error?: { code: string; message: string; details?: unknown } };
      if (!parsed.error) return payload;
      void reply.header('content-type', taxii.TAXII_MEDIA_TYPE);
      return JSON.stringify({ title: parsed.error.message, error_code: parsed.error.code, http_status: String(reply.statusCode), ...(parsed.error.details ? { details: parsed.error.details } : {}) });
    } catch {
      return payload;
    }
  });

  app.get('/taxii2/', { config: OPEN, schema: { tags, summary: 'TAXII discovery' } }, async (req, reply) => send(reply, taxii.discovery(req.ctx)));
  app.get('/taxii2/zdn/', { config: OPEN, schema: { tags, summary: 'TAXII API root' } }, async (_req, reply) => send(reply, taxii.apiRoot()));
  app.get('/taxii2/zdn/collections/', { config: OPEN, schema: { tags, summary: 'TAXII collections I may read or write' } }, async (req, reply) => send(reply, taxii.listCollections(req.ctx)));
  app.get('/taxii2/zdn/collections/:collectionId/', { config: OPEN, schema: { tags, summary: 'One TAXII collection', params: CollectionParams } }, async (req, reply) =>
    send(reply, taxii.getCollection(req.ctx, req.params.collectionId)),
  );
  app.get('/taxii2/zdn/collections/:collectionId/objects/', { config: OPEN, schema: { tags, summary: 'Objects of a collection', params: CollectionParams, querystring: Filters } }, async (req, reply) =>
    sendPage(reply, await taxii.getObjects(req.ctx, req.params.collectionId, req.query)),
  );
  app.post('/taxii2/zdn/collections/:collectionId/objects/', { config: OPEN, bodyLimit: taxii.MAX_CONTENT_LENGTH, schema: { tags, summary: 'Add objects (held for review unless sent by the CERT)', params: CollectionParams, body: z.unknown() } }, async (req, reply) => {
    if (!req.ctx.actor) throw new AppError('unauthenticated', 'unauthenticated', 'Adding objects needs an API token.');
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/taxii\+json/i.test(contentType)) throw new AppError('unsupported_media_type', 'unsupported_media_type', `Send the envelope as ${taxii.TAXII_MEDIA_TYPE}.`);
    return send(reply, await taxii.postObjects(req.ctx, req.params.collectionId, req.body), 202);
  });
  app.get('/taxii2/zdn/collections/:collectionId/manifest/', { config: OPEN, schema: { tags, summary: 'Manifest of a collection', params: CollectionParams, querystring: Filters } }, async (req, reply) =>
    sendPage(reply, await taxii.getManifest(req.ctx, req.params.collectionId, req.query)),
  );
  app.get('/taxii2/zdn/collections/:collectionId/objects/:objectId/', { config: OPEN, schema: { tags, summary: 'One object', params: ObjectParams, querystring: Filters } }, async (req, reply) =>
    sendPage(reply, await taxii.getObject(req.ctx, req.params.collectionId, req.params.objectId, req.query)),
  );
  app.get('/taxii2/zdn/collections/:collectionId/objects/:objectId/versions/', { config: OPEN, schema: { tags, summary: 'Versions of one object', params: ObjectParams, querystring: Filters } }, async (req, reply) =>
    sendPage(reply, await taxii.getVersions(req.ctx, req.params.collectionId, req.params.objectId, req.query)),
  );
  app.get('/taxii2/zdn/status/:statusId/', { config: OPEN, schema: { tags, summary: 'Status of an earlier POST', params: StatusParams } }, async (req, reply) => send(reply, await taxii.getStatus(req.ctx, req.params.statusId)));
}
