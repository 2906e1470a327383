import { inTransaction, type Ctx } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import { renderMarkdown, markdownToText } from '#lib/markdown.ts';
import { authorize, canSeeMarked } from '#modules/access/policy.ts';
import type { Actor } from '#modules/access/actor.ts';
import { record } from '#modules/audit/audit.service.ts';
import type { SearchHit } from '#modules/search/search.types.ts';
import { KB_TLPS, type KbTlp } from '#db/schema-requests.ts';
import * as repo from './knowledge.repository.ts';
import * as requestRepo from './request.repository.ts';
import { certView, loadRequest } from './request.service.ts';
import type { ArticleInput, ArticleOut } from './request.schema.ts';

/**
 * The knowledge base: answers the CERT made into anonymised articles (TLP:CLEAR or GREEN) that every
 * participant may read. The article's link back to its request is shown to the CERT only.
 */

/** The TLPs of the articles the actor may read: exactly what canSeeMarked says for a CERT article. */
function readableTlps(actor: Actor): KbTlp[] {
  return KB_TLPS.filter((tlp) => canSeeMarked(actor, { tlp, ownerOrganisationId: '', recipients: [] }));
}

function present(a: repo.ArticleRow, cert: boolean): ArticleOut {
  return {
    id: a.id,
    title: a.title,
    body: a.body,
    bodyHtml: renderMarkdown(a.body),
    tags: a.tags,
    language: a.language,
    tlp: a.tlp,
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
    ...(cert && { sourceRequest: a.source_request_id && a.source_reference ? { id: a.source_request_id, reference: a.source_reference } : null }),
  };
}

export async function listArticles(ctx: Ctx, q: { q?: string; tag?: string; limit: number }): Promise<ArticleOut[]> {
  authorize(ctx.actor, 'publications:read');
  const rows = await repo.listArticles(ctx.db, { tlps: readableTlps(ctx.actor), q: q.q, tag: q.tag, limit: q.limit });
  const cert = certView(ctx.actor);
  return rows.map((r) => present(r, cert));
}

export async function getArticle(ctx: Ctx, id: string): Promise<ArticleOut> {
  authorize(ctx.actor, 'publications:read');
  const row = await repo.findArticle(ctx.db, id);
  if (!row || !readableTlps(ctx.actor).includes(row.tlp)) throw notFound('article');
  return present(row, certView(ctx.actor));
}

/** Portal-wide search: the same filter as the list. */
export async function searchKnowledge(ctx: Ctx, query: string, limit: number): Promise<SearchHit[]> {
  authorize(ctx.actor, 'publications:read');
  const rows = await repo.listArticles(ctx.db, { tlps: readableTlps(ctx.actor), q: query.trim() || undefined, limit });
  const needle = query.trim().toLowerCase();
  return rows.map((r) => {
    const text = markdownToText(r.body).replace(/\s+/g, ' ');
    const at = needle ? Math.max(0, text.toLowerCase().indexOf(needle)) : 0;
    const start = Math.max(0, at - 60);
    return {
      kind: 'article',
      id: r.id,
      title: r.title,
      snippet: text.slice(start, start + 200),
      url: `/knowledge/${r.id}`,
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Strips what identifies the asker: their organisation's names, its people's names and every mail address. */
export function anonymise(text: string, identifying: readonly string[]): string {
  let out = text.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[e-mail]');
  // Longest first: "Ziekenhuis Noord" before "Noord".
  for (const s of [...identifying].sort((a, b) => b.length - a.length)) {
    if (s.includes('@')) continue;
    out = out.replace(new RegExp(escapeRegExp(s.trim()), 'gi'), '[…]');
  }
  return out;
}

/** The analyst's starting point for an article: the question and the answers, anonymised. */
export async function articleDraft(ctx: Ctx, requestId: string) {
  const row = await loadRequest(ctx, requestId, 'requests:answer');
  const messages = await requestRepo.listMessages(ctx.db, requestId, { notes: false, held: false });
  const identifying = [...(await repo.identifyingStrings(ctx.db, row.organisation_id)), ...(row.asker_name ? [row.asker_name] : [])];
  const en = row.language === 'en';
  const parts = [
    `## ${en ? 'Question' : 'Vraag'}`,
    ...messages.filter((m) => m.kind === 'question').map((m) => m.body),
    `## ${en ? 'Answer' : 'Antwoord'}`,
    ...messages.filter((m) => m.kind === 'answer').map((m) => m.body),
  ];
  return {
    title: anonymise(row.subject, identifying),
    body: anonymise(parts.join('\n\n'), identifying),
    tags: [anonymise(row.topic, identifying)],
    language: row.language,
  };
}

export async function createArticle(ctx: Ctx, input: ArticleInput): Promise<ArticleOut> {
  authorize(ctx.actor, 'requests:answer');
  const actor = ctx.actor;
  if (input.sourceRequestId) await loadRequest(ctx, input.sourceRequestId, 'requests:answer');
  const id = await inTransaction(ctx, async (tx) => {
    const id = await repo.insertArticle(tx.db, {
      title: input.title,
      body: input.body,
      tags: input.tags,
      language: input.language,
      tlp: input.tlp,
      source_request_id: input.sourceRequestId ?? null,
      created_by: actor.userId,
    });
    await record(tx, {
      action: 'kb_article.create',
      targetType: 'kb_article',
      targetId: id,
      details: { sourceRequestId: input.sourceRequestId ?? null, tlp: input.tlp },
    });
    return id;
  });
  return getArticle(ctx, id);
}

export async function updateArticle(
  ctx: Ctx,
  id: string,
  patch: { title?: string; body?: string; tags?: string[]; language?: 'nl' | 'en'; tlp?: KbTlp },
): Promise<ArticleOut> {
  authorize(ctx.actor, 'requests:answer');
  if (!(await repo.findArticle(ctx.db, id))) throw notFound('article');
  await inTransaction(ctx, async (tx) => {
    await repo.updateArticle(tx.db, id, patch);
    await record(tx, { action: 'kb_article.update', targetType: 'kb_article', targetId: id });
  });
  return getArticle(ctx, id);
}

export async function deleteArticle(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'requests:answer');
  if (!(await repo.findArticle(ctx.db, id))) throw notFound('article');
  await inTransaction(ctx, async (tx) => {
    await repo.deleteArticle(tx.db, id);
    await record(tx, { action: 'kb_article.delete', targetType: 'kb_article', targetId: id });
  });
}
