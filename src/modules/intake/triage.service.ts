import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict, notFound } from '#server/errors.ts';
import { isoWeek, ISO_WEEK } from '#lib/iso-week.ts';
import { tlpRank, type Tlp } from '#lib/tlp.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { createImported } from '#modules/advisories/advisory.service.ts';
import type { AdvisoryContent } from '#modules/advisories/advisory.content.ts';
import { fromCsaf } from '#modules/advisories/csaf/csaf-import.ts';
import { matchProduct } from '#modules/advisories/relevance.ts';
import { addMediaItem } from '#modules/digests/digest.service.ts';
import * as sources from './source.repository.ts';
import * as stories from './story.repository.ts';
import { loadDeclared } from './story.service.ts';

/**
 * Triage: the analyst's inbox of stories. Reading marks a story read for that analyst only; the
 * decisions (a draft advisory, "no action" with a reason, a media item of the week) are the team's
 * and audited.
 */

export type ListQuery = Omit<stories.StoryFilter, 'userId'>;

export async function listStories(ctx: Ctx, q: ListQuery) {
  authorize(ctx.actor, 'intake:read');
  const page = await stories.listStories(ctx.db, { ...q, userId: ctx.actor.userId });
  return { ...page, unread: await stories.unreadCount(ctx.db, ctx.actor.userId) };
}

/** A story with its items, KEV and EPSS details and the participants it concerns (names: the CERT's own view). */
export async function getStory(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'intake:read');
  const story = await stories.findStory(ctx.db, id, ctx.actor.userId);
  if (!story) throw notFound('story');
  const items = await stories.itemsOfStory(ctx.db, id);
  const kev = await sources.kevFor(ctx.db, story.cves);
  const epss = await sources.epssFor(ctx.db, story.cves);
  const declared = await loadDeclared(ctx);
  const concerned = new Map<string, string[]>();
  for (const p of story.products)
    for (const d of declared)
      if (matchProduct({ vendor: p.vendor, name: p.product, versions: p.versions, cpe: p.cpe, purl: p.purl }, d.product).relevant) {
        const list = concerned.get(d.organisationId) ?? [];
        const label = `${d.product.vendor} ${d.product.product}`;
        if (!list.includes(label)) list.push(label);
        concerned.set(d.organisationId, list);
      }
  const names = concerned.size
    ? await ctx.db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', 'in', [...concerned.keys()])
        .execute()
    : [];
  return {
    story,
    items,
    kev,
    epss,
    concerned: names.map((o) => ({ organisationId: o.id, name: o.name, products: concerned.get(o.id) ?? [] })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

async function existing(ctx: Ctx, ids: readonly string[]): Promise<string[]> {
  const found = await stories.existingStoryIds(ctx.db, ids);
  if (found.length !== new Set(ids).size) throw notFound('story');
  return found;
}

export async function markRead(ctx: Ctx, ids: readonly string[], read: boolean) {
  authorize(ctx.actor, 'intake:read');
  const found = await existing(ctx, ids);
  await stories.markRead(ctx.db, found, ctx.actor.userId, read);
  return { updated: found.length };
}

export async function decideNoAction(ctx: Ctx, ids: readonly string[], reason: string) {
  authorize(ctx.actor, 'intake:write');
  if (!reason.trim()) throw badRequest('intake_reason_required', 'Say why no action is needed; the team reads it later.', { field: 'reason' });
  return inTransaction(ctx, async (tx) => {
    const found = await existing(tx, ids);
    await stories.setDecision(tx.db, found, { decision: 'no_action', reason: reason.trim(), advisoryId: null, by: ctx.actor!.userId });
    await stories.markRead(tx.db, found, ctx.actor!.userId, true);
    for (const id of found)
      await record(tx, { action: 'intake.story.no_action', targetType: 'intake_story', targetId: id, details: { reason: reason.trim() } });
    return { updated: found.length };
  });
}

/** Takes a decision back: the story is open again (a draft advisory made from it stays a draft). */
export async function reopen(ctx: Ctx, ids: readonly string[]) {
  authorize(ctx.actor, 'intake:write');
  return inTransaction(ctx, async (tx) => {
    const found = await existing(tx, ids);
    await stories.setDecision(tx.db, found, { decision: null, reason: null, advisoryId: null, by: null });
    for (const id of found) await record(tx, { action: 'intake.story.reopen', targetType: 'intake_story', targetId: id });
    return { updated: found.length };
  });
}

const stricter = (a: Tlp, b: Tlp | null): Tlp => (b !== null && tlpRank(b) > tlpRank(a) ? b : a);

/** A draft from a story without a CSAF document: title, summary, CVEs, products and where it came from. */
function draftContent(story: stories.StoryRow, items: Awaited<ReturnType<typeof stories.itemsOfStory>>, kevCves: ReadonlySet<string>): AdvisoryContent {
  const products = story.products.slice(0, 200).map((p, i) => ({
    id: `INTAKE-${i + 1}`,
    vendor: p.vendor.slice(0, 200),
    name: p.product.slice(0, 300),
    versions: (p.versions ?? '').slice(0, 300),
    cpe: null,
    purl: null,
    medicalDevice: false,
    model: null,
  }));
  const urls = [...new Set(items.flatMap((i) => (i.url && /^https?:\/\//.test(i.url) ? [i.url] : [])))].slice(0, 50);
  return {
    nl: { title: story.title.slice(0, 300), summary: story.summary.slice(0, 2000), body: '', advice: '' },
    en: null,
    urgency: story.kev ? 'urgent' : 'normal',
    probability: story.kev ? 'high' : 'medium',
    impact: 'medium',
    references: urls.map((url) => ({ url, summary: '', category: 'external' as const })),
    sources: [...new Map(items.map((i) => [i.source_id, i])).values()]
      .slice(0, 50)
      .map((i) => ({ name: i.source_name.slice(0, 200), url: i.url && /^https?:\/\//.test(i.url) ? i.url : null, reference: i.external_id.slice(0, 200) })),
    tags: [],
    products,
    vulnerabilities: story.cves.slice(0, 500).map((cve) => ({
      cve,
      title: '',
      description: '',
      cwe: null,
      cvssV3: null,
      cvssV4: null,
      cvssV2: null,
      knownExploited: kevCves.has(cve),
      productStatus: products.map((p) => ({ productId: p.id, status: 'affected' as const })),
      remediations: [],
    })),
    acknowledgments: [],
  };
}

/**
 * One step from a story to a draft advisory. A CSAF item is imported whole (vulnerabilities,
 * products, scores, remediations) through the advisories module's CSAF import; otherwise the
 * draft starts from the story's title, summary, CVEs and products. The draft takes the stricter of
 * the story's and the document's marking.
 */
export async function createDraftAdvisory(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'intake:write');
  authorize(ctx.actor, 'advisories:write');
  return inTransaction(ctx, async (tx) => {
    const story = await stories.findStory(tx.db, id, ctx.actor!.userId, { forUpdate: true });
    if (!story) throw notFound('story');
    if (story.decision === 'advisory' && story.advisory_id)
      throw conflict('intake_story_has_advisory', 'This story already has a draft advisory; open that one.', { advisoryId: story.advisory_id });
    const items = await stories.itemsOfStory(tx.db, id);
    const csafItem = items.find((i) => i.csaf !== null && i.csaf !== undefined);
    let advisoryId: string;
    let imported = false;
    const csaf = csafItem ? await fromCsaf(csafItem.csaf) : null;
    if (csaf?.ok) {
      advisoryId = await createImported(tx, {
        kind: csaf.kind,
        tlp: stricter(story.tlp, csaf.tlp),
        content: csaf.content,
        source: { ...csaf.source, url: csafItem!.url, importedAt: new Date().toISOString(), intakeStoryId: id },
      });
      imported = true;
    } else {
      const kev = await sources.kevFor(tx.db, story.cves);
      advisoryId = await createImported(tx, {
        kind: 'advisory',
        tlp: story.tlp,
        content: draftContent(story, items, new Set(kev.map((k) => k.cve))),
        source: { intakeStoryId: id, importedAt: new Date().toISOString() },
      });
    }
    await stories.setDecision(tx.db, [id], { decision: 'advisory', reason: null, advisoryId, by: ctx.actor!.userId });
    await stories.markRead(tx.db, [id], ctx.actor!.userId, true);
    await record(tx, { action: 'intake.story.advisory', targetType: 'intake_story', targetId: id, details: { advisoryId, fromCsaf: imported } });
    return { advisoryId, fromCsaf: imported, csafFailures: csaf && !csaf.ok ? csaf.failures.length : 0 };
  });
}

/** Adds a story to a week's media items (this week unless another is named). */
export async function addToMedia(ctx: Ctx, id: string, week: string | undefined) {
  authorize(ctx.actor, 'intake:write');
  const target = week ?? isoWeek();
  if (!ISO_WEEK.test(target)) throw badRequest('intake_week', 'A week looks like 2026-W48.', { field: 'week' });
  return inTransaction(ctx, async (tx) => {
    const story = await stories.findStory(tx.db, id, ctx.actor!.userId, { forUpdate: true });
    if (!story) throw notFound('story');
    if (story.media_week === target) throw conflict('intake_already_media', `This story is already a media item of ${target}.`);
    const items = await stories.itemsOfStory(tx.db, id);
    const lead = items.find((i) => i.url && /^https?:\/\//.test(i.url)) ?? items[0];
    const media = await addMediaItem(tx, {
      week: target,
      title: story.title,
      url: lead?.url && /^https?:\/\//.test(lead.url) ? lead.url : null,
      sourceName: lead?.source_name ?? '',
      summary: story.summary.slice(0, 1000),
      tlp: story.tlp,
      storyId: id,
    });
    await stories.setMedia(tx.db, id, target, media.id);
    await record(tx, { action: 'intake.story.media', targetType: 'intake_story', targetId: id, details: { week: target, mediaItemId: media.id } });
    return { week: target, mediaItemId: media.id };
  });
}
