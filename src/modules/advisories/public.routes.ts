import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { App } from '#server/http-types.ts';
import { tlpLabel } from '#lib/tlp.ts';
import { notFound } from '#server/errors.ts';
import * as reader from './reader.service.ts';
import * as directory from './csaf-directory.service.ts';
import { renderProductPdf } from './pdf.ts';
import { escapeHtml, renderProductPage } from './product-page.ts';
import { renderAtom } from './atom.ts';
import type { RenderedHtml } from './publication.service.ts';

/**
 * What anyone may read without an account: TLP:CLEAR products as server-rendered pages, PDF and
 * Atom, and the CSAF provider directory (whose GREEN/AMBER/RED parts ask for an API token).
 */

const PUBLIC = { access: { auth: 'public', permission: 'none' } } as const;
const tags = ['public'];
const Identifier = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'An identifier such as WP-2026-0042.');
const Lang = z.object({ lang: z.enum(['nl', 'en']).default('nl') }).strict();

function html(reply: FastifyReply, body: string) {
  void reply.header('cache-control', 'public, max-age=300');
  return reply.type('text/html; charset=utf-8').send(body);
}

export function publicAdvisoryRoutes(app: App): void {
  app.get('/public/advisories', { config: PUBLIC, schema: { tags, summary: 'Public (TLP:CLEAR) products, as a web page', querystring: Lang } }, async (req, reply) => {
    const rows = await reader.listPublicProducts(req.ctx, 200);
    const en = req.query.lang === 'en';
    const items = rows
      .map(
        (r) =>
          `<li><a href="/public/advisories/${encodeURIComponent(r.identifier ?? '')}${en ? '?lang=en' : ''}">${escapeHtml(r.identifier ?? '')}</a> ${escapeHtml(r.title ?? '')}${r.withdrawn_at ? (en ? ' (withdrawn)' : ' (ingetrokken)') : ''} <small>${r.published_at?.toISOString().slice(0, 10) ?? ''}</small></li>`,
      )
      .join('');
    return html(
      reply,
      `<!doctype html><html lang="${en ? 'en' : 'nl'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${en ? 'Public advisories' : 'Openbare adviezen'}</title><link rel="alternate" type="application/atom+xml" href="/feeds/advisories.atom"></head><body style="font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem"><h1>${en ? 'Public advisories' : 'Openbare adviezen'}</h1><p><a href="/feeds/advisories.atom">Atom</a> · <a href="/.well-known/csaf/provider-metadata.json">CSAF</a></p><ul>${items}</ul></body></html>`,
    );
  });

  app.get('/public/advisories/:identifier', { config: PUBLIC, schema: { tags, summary: 'One public product as a web page', params: z.object({ identifier: Identifier }).strict(), querystring: Lang } }, async (req, reply) => {
    const d = await reader.getPublicProduct(req.ctx, req.params.identifier);
    const lang = req.query.lang;
    const id = encodeURIComponent(d.identifier);
    return html(
      reply,
      renderProductPage({
        kind: d.product.kind,
        identifier: d.identifier,
        tlp: d.tlp,
        content: d.content,
        html: d.revision.html as RenderedHtml,
        revision: d.revision.revision,
        publishedAt: d.revision.published_at,
        firstPublishedAt: d.firstPublishedAt,
        revisions: d.revisions.map((r) => ({ revision: r.revision, publishedAt: r.published_at, changeSummary: r.change_summary })),
        withdrawn: d.product.withdrawn_at ? { at: d.product.withdrawn_at, reason: d.product.withdrawn_reason } : null,
        lang,
        links: {
          ...(d.content.en ? { otherLanguage: `/public/advisories/${id}?lang=${lang === 'nl' ? 'en' : 'nl'}` } : {}),
          csaf: `/.well-known/csaf/${d.revision.csaf_path}`,
          pdf: `/public/advisories/${id}/pdf${lang === 'en' ? '?lang=en' : ''}`,
        },
      }),
    );
  });

  app.get('/public/advisories/:identifier/pdf', { config: PUBLIC, schema: { tags, summary: 'One public product as PDF', params: z.object({ identifier: Identifier }).strict(), querystring: Lang } }, async (req, reply) => {
    const d = await reader.getPublicProduct(req.ctx, req.params.identifier);
    const pdf = await renderProductPdf(req.ctx, {
      product: d.product,
      relevant: false,
      published: { revision: d.revision.revision, tlp: d.tlp, content: d.content, html: d.revision.html as Record<string, unknown>, publishedAt: d.revision.published_at, changeSummary: d.revision.change_summary },
      draft: null,
    }, req.query.lang);
    void reply.header('x-tlp', tlpLabel(d.tlp));
    void reply.header('content-disposition', `inline; filename="${d.identifier}.pdf"`);
    return reply.type('application/pdf').send(pdf);
  });

  app.get('/feeds/advisories.atom', { config: PUBLIC, schema: { tags, summary: 'Atom feed of public products' } }, async (req, reply) => {
    const rows = await reader.listPublicProducts(req.ctx, 50);
    void reply.header('cache-control', 'public, max-age=300');
    return reply.type('application/atom+xml; charset=utf-8').send(renderAtom(req.ctx.services.config.publicUrl, rows));
  });

  // --- CSAF provider directory (CSAF 2.0 §7) ---------------------------------------------------
  const Dir = z.enum(directory.DIRECTORIES);

  app.get('/.well-known/csaf/provider-metadata.json', { config: PUBLIC, schema: { tags, summary: 'CSAF provider metadata' } }, async (req) => directory.providerMetadata(req.ctx));

  app.get('/.well-known/security.txt', { config: PUBLIC, schema: { tags, summary: 'security.txt (RFC 9116) with the CSAF line' } }, async (req, reply) =>
    reply.type('text/plain; charset=utf-8').send(await directory.securityTxt(req.ctx)),
  );

  app.get('/.well-known/csaf/openpgp/:file', { config: PUBLIC, schema: { tags, summary: 'The CERT’s public OpenPGP key', params: z.object({ file: z.string().regex(/^[0-9A-Fa-f]{40}\.asc$/, 'A key file is <fingerprint>.asc.') }).strict() } }, async (req, reply) =>
    reply.type('application/pgp-keys').send(await directory.publicKeyFile(req.ctx, req.params.file.slice(0, -4))),
  );

  app.get('/.well-known/csaf/:dir/index.txt', { config: PUBLIC, schema: { tags, summary: 'CSAF index.txt', params: z.object({ dir: Dir }).strict() } }, async (req, reply) =>
    reply.type('text/plain; charset=utf-8').send(await directory.indexTxt(req.ctx, req.params.dir)),
  );

  app.get('/.well-known/csaf/:dir/changes.csv', { config: PUBLIC, schema: { tags, summary: 'CSAF changes.csv', params: z.object({ dir: Dir }).strict() } }, async (req, reply) =>
    reply.type('text/csv; charset=utf-8').send(await directory.changesCsv(req.ctx, req.params.dir)),
  );

  // The feed and the year folders share the router node after the TLP folder, so they share its name.
  app.get('/.well-known/csaf/:dir/:name', { config: PUBLIC, schema: { tags, summary: 'CSAF ROLIE feed', params: z.object({ dir: Dir, name: z.string().regex(/^feed-tlp-(white|green|amber|red)\.json$/, 'The feed of this folder.') }).strict() } }, async (req) => {
    if (req.params.name !== directory.feedName(req.params.dir)) throw notFound('feed');
    return directory.rolieFeed(req.ctx, req.params.dir);
  });

  app.get(
    '/.well-known/csaf/:dir/:name/:file',
    {
      config: PUBLIC,
      schema: {
        tags,
        summary: 'A CSAF document, its hash or its signature',
        params: z
          .object({
            dir: Dir,
            name: z.string().regex(/^\d{4}$/, 'A four-digit year.'),
            file: z.string().regex(/^[+\-a-z0-9_]+\.json(\.sha256|\.sha512|\.asc)?$/, 'A CSAF file name (§5.1), optionally with .sha256, .sha512 or .asc.'),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { dir, name: year, file } = req.params;
      const m = /^(.+\.json)(?:\.(sha256|sha512|asc))?$/.exec(file);
      const kind = (m?.[2] ?? 'json') as directory.CsafFileKind;
      const result = await directory.csafFile(req.ctx, dir, `${year}/${m?.[1] ?? file}`, kind);
      return reply.type(result.type).send(result.body);
    },
  );
}
