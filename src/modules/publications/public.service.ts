import type { Ctx } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import * as repo from './publication.repository.ts';
import { ensurePdf } from './publication.service.ts';
import { renderMarkdown } from '#lib/markdown.ts';

/**
 * The public site's reads: always as nobody (actor null), whoever is logged in, so the one rule of
 * policy-publications lets through only published TLP:CLEAR publications for the whole community.
 */
const anonymous = (ctx: Ctx): Ctx => ({ ...ctx, actor: null });

export async function listPublicPublications(ctx: Ctx, limit: number) {
  return (await repo.listVisible(ctx.db, null, { limit })).rows;
}

export async function getPublicPublication(ctx: Ctx, id: string) {
  const pub = await repo.findPublication(ctx.db, id);
  if (!pub || !(await repo.isVisible(ctx.db, null, id)) || pub.current_version === null) throw notFound('publication');
  const markdown = await repo.latestMarkdown(ctx.db, id, pub.current_version);
  const current = pub.current_version;
  const version = (await repo.listVersions(ctx.db, id)).find((v) => v.version === current) ?? null;
  return { pub, current, version, html: markdown === null ? null : renderMarkdown(markdown) };
}

export async function downloadPublicPublication(ctx: Ctx, id: string) {
  const { pub, current } = await getPublicPublication(ctx, id);
  const v = await ensurePdf(anonymous(ctx), pub, current);
  await repo.countDownload(ctx.db, v.id, null);
  return { pub, fileName: v.file_name, pdf: v.pdf, sha256: v.pdf_sha256 };
}
