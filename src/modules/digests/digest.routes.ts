import type { App } from '#server/http-types.ts';
import type { Ctx } from '#server/context.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import * as service from './digest.service.ts';
import * as sending from './digest-send.service.ts';
import { presentDetail, presentDigest, presentPreview, presentRecipients } from './digest.presenter.ts';
import {
  DigestCreateInput,
  DigestDetailOut,
  DigestListQuery,
  DigestPageOut,
  DigestPatch,
  EntryInput,
  EntryParams,
  OrderInput,
  PreviewOut,
  PreviewQuery,
  RecipientsOut,
} from './digest.schema.ts';

const READ = { access: { auth: 'user', permission: 'digests:read' } } as const;
const WRITE = { access: { auth: 'user', permission: 'digests:write' } } as const;
const APPROVE = { access: { auth: 'user', permission: 'digests:approve' } } as const;
const tags = ['digests'];

export function digestRoutes(app: App): void {
  const detail = async (req: { ctx: Ctx }, id: string) => presentDetail(await service.getDigest(req.ctx, id));

  app.get(
    '/api/v1/digests',
    {
      config: READ,
      schema: {
        tags,
        summary: 'The digest archive: sent digests (the CERT: drafts too), newest period first',
        querystring: DigestListQuery,
        response: { 200: DigestPageOut },
      },
    },
    async (req) => {
      const page = await service.listDigests(req.ctx, req.query);
      return { items: page.rows.map(presentDigest), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/digests',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Open the digest of a week or month (made and assembled when it does not exist)',
        body: DigestCreateInput,
        response: { 201: DigestDetailOut },
      },
    },
    async (req, reply) => reply.status(201).send(await detail(req, await service.createDigest(req.ctx, req.body))),
  );

  app.get(
    '/api/v1/digests/:id',
    {
      config: READ,
      schema: {
        tags,
        summary: "One digest: the reader's version (only the entries their organisation may see)",
        params: IdParams,
        response: { 200: DigestDetailOut },
      },
    },
    async (req) => detail(req, req.params.id),
  );

  app.patch(
    '/api/v1/digests/:id',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'Change the introduction or (month) the commentary, in Markdown',
        params: IdParams,
        body: DigestPatch,
        response: { 200: DigestDetailOut },
      },
    },
    async (req) => {
      await service.updateDigest(req.ctx, req.params.id, req.body);
      return detail(req, req.params.id);
    },
  );

  app.put(
    '/api/v1/digests/:id/order',
    {
      config: WRITE,
      schema: { tags, summary: 'The order of the entries (every entry once)', params: IdParams, body: OrderInput, response: { 200: DigestDetailOut } },
    },
    async (req) => {
      await service.reorder(req.ctx, req.params.id, req.body.entryIds);
      return detail(req, req.params.id);
    },
  );

  app.post(
    '/api/v1/digests/:id/entries',
    {
      config: WRITE,
      schema: { tags, summary: 'Add a media item or a background link', params: IdParams, body: EntryInput, response: { 201: DigestDetailOut } },
    },
    async (req, reply) => {
      await service.addEntry(req.ctx, req.params.id, req.body);
      return reply.status(201).send(await detail(req, req.params.id));
    },
  );

  app.delete(
    '/api/v1/digests/:id/entries/:entryId',
    {
      config: WRITE,
      schema: { tags, summary: 'Remove a media item or background link (products stay)', params: EntryParams, response: { 200: DigestDetailOut } },
    },
    async (req) => {
      await service.removeEntry(req.ctx, req.params.id, req.params.entryId);
      return detail(req, req.params.id);
    },
  );

  app.post(
    '/api/v1/digests/:id/assemble',
    {
      config: WRITE,
      schema: { tags, summary: 'Pick up products published since; the order and texts stay', params: IdParams, response: { 200: DigestDetailOut } },
    },
    async (req) => {
      await service.reassemble(req.ctx, req.params.id);
      return detail(req, req.params.id);
    },
  );

  const step = (path: string, summary: string, run: (ctx: Ctx, id: string) => Promise<void>) =>
    app.post(`/api/v1/digests/:id/${path}`, { config: WRITE, schema: { tags, summary, params: IdParams, response: { 200: DigestDetailOut } } }, async (req) => {
      await run(req.ctx, req.params.id);
      return detail(req, req.params.id);
    });
  step('hold', "Hold a week's digest: the schedule does not send it", service.hold);
  step('release', "Release a held week's digest to the schedule", service.release);
  step('submit', "Submit a month's digest for review by a second analyst", service.submitForReview);
  step('send', "Send now: a week's digest at once, a month's once approved", async (ctx, id) => void (await sending.sendNow(ctx, id)));

  app.post(
    '/api/v1/digests/:id/approve',
    {
      config: APPROVE,
      schema: {
        tags,
        summary: "Approve a month's digest (not its author or last editor); the schedule sends it",
        params: IdParams,
        response: { 200: DigestDetailOut },
      },
    },
    async (req) => {
      await service.approve(req.ctx, req.params.id);
      return detail(req, req.params.id);
    },
  );

  app.get(
    '/api/v1/digests/:id/recipients',
    {
      config: WRITE,
      schema: { tags, summary: 'Who gets the digest, and how many entries each version holds', params: IdParams, response: { 200: RecipientsOut } },
    },
    async (req) => presentRecipients(await sending.recipientsOf(req.ctx, req.params.id)),
  );

  app.get(
    '/api/v1/digests/:id/preview',
    {
      config: WRITE,
      schema: {
        tags,
        summary: 'The mail exactly as one contact gets it (HTML and text)',
        params: IdParams,
        querystring: PreviewQuery,
        response: { 200: PreviewOut },
      },
    },
    async (req) => presentPreview(await sending.previewFor(req.ctx, req.params.id, req.query.contactId)),
  );
}
