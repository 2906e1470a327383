import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import * as pub from './public.service.ts';
import { renderPublicList, renderPublicPage, renderPublicationsAtom } from './public-pages.ts';
import { sendPdf } from './publication.routes.ts';

/**
 * The public site's part of the library: TLP:CLEAR publications for the whole community, published,
 * as pages (Dutch/English), their PDF and an Atom feed. Read as nobody (public.service.ts), so a
 * logged-in visitor does not make more appear here.
 */
const PUBLIC = { access: { auth: 'public', permission: 'none' } } as const;
const tags = ['public'];
const Lang = z.object({ lang: z.enum(['nl', 'en']).default('nl') }).strict();

export function publicPublicationRoutes(app: App): void {
  app.get(
    '/public/publications',
    { config: PUBLIC, schema: { tags, summary: 'Public (TLP:CLEAR) publications, as a web page', querystring: Lang } },
    async (req, reply) => {
      const rows = await pub.listPublicPublications(req.ctx, 200);
      void reply.header('cache-control', 'public, max-age=300');
      return reply.type('text/html; charset=utf-8').send(renderPublicList(rows, req.query.lang));
    },
  );

  app.get(
    '/public/publications/:id',
    { config: PUBLIC, schema: { tags, summary: 'One public publication as a web page', params: IdParams, querystring: Lang } },
    async (req, reply) => {
      const d = await pub.getPublicPublication(req.ctx, req.params.id);
      void reply.header('cache-control', 'public, max-age=300');
      return reply.type('text/html; charset=utf-8').send(renderPublicPage(d, req.query.lang));
    },
  );

  app.get(
    '/public/publications/:id/pdf',
    { config: PUBLIC, schema: { tags, summary: 'One public publication as PDF', params: IdParams } },
    async (req, reply) => sendPdf(reply, await pub.downloadPublicPublication(req.ctx, req.params.id)),
  );

  app.get('/feeds/publications.atom', { config: PUBLIC, schema: { tags, summary: 'Atom feed of public publications' } }, async (req, reply) => {
    const rows = await pub.listPublicPublications(req.ctx, 50);
    void reply.header('cache-control', 'public, max-age=300');
    return reply.type('application/atom+xml; charset=utf-8').send(renderPublicationsAtom(req.ctx.services.config.publicUrl, rows));
  });
}
