import { inTransaction, type Ctx } from '#server/context.ts';
import type { DigestKind } from '#db/schema-digests.ts';
import { certOrganisation } from '#modules/advisories/advisory.repository.ts';
import { portalUrl } from '#modules/advisories/publication.service.ts';
import { calendarOverrides } from '#modules/monitoring/schedule.repository.ts';
import { amsterdamDay } from '#modules/monitoring/working-days.ts';
import { ConstituencyFigures, type DigestContent, type DigestEntryContent } from './digest-content.ts';
import { amsterdamInstant, digestTitles, lastWorkingDayOfWeek, periodBounds, periodDays } from './digest-period.ts';
import * as repo from './digest.repository.ts';

/**
 * Assembling a digest: its row for a period, the products published in it (in Europe/Amsterdam),
 * and the content as it would go out now. Re-assembly appends products published since, drops
 * products withdrawn since, and leaves the editor's order, texts, media items and links alone.
 */

// Media items and links belong to the CERT; a marking needs an owner even when there is no CERT row yet.
const NO_ORGANISATION = '00000000-0000-0000-0000-000000000000';

/** When the schedule sends a week's digest: the last working day (Dutch holidays, the CERT's calendar) at the set time. */
export async function weekSendMoment(ctx: Ctx, period: string): Promise<Date | null> {
  const { first, last } = periodDays('week', period);
  const overrides = new Map((await calendarOverrides(ctx.db, first, last)).map((o) => [o.day, o]));
  const day = lastWorkingDayOfWeek(period, overrides);
  return day ? amsterdamInstant(day, ctx.services.config.digests.weekSendTime) : null;
}

/** When an approved month's digest goes: at the month send time of the day of approval, or at once when that has passed. */
export function monthSendMoment(ctx: Ctx, approvedAt: Date): Date {
  const at = amsterdamInstant(amsterdamDay(approvedAt), ctx.services.config.digests.monthSendTime);
  return approvedAt >= at ? approvedAt : at;
}

/** The digest of a period, made and assembled when it does not exist yet (any number of callers at once). */
export async function ensureDigest(ctx: Ctx, kind: DigestKind, period: string): Promise<repo.DigestRow> {
  const existing = await repo.findByPeriod(ctx.db, kind, period);
  if (existing) return existing;
  const titles = digestTitles(kind, period);
  return inTransaction(ctx, async (tx) => {
    const row = await repo.insertDigest(tx.db, {
      kind,
      period,
      startsAt: periodBounds(kind, period).start,
      title: titles.nl,
      titleEn: titles.en,
      scheduledAt: kind === 'week' ? await weekSendMoment(tx, period) : null,
    });
    return assemble(tx, row.id);
  });
}

/** Re-assembles an unsent digest under a row lock; returns the row as it is afterwards. */
export async function assemble(ctx: Ctx, id: string): Promise<repo.DigestRow> {
  return inTransaction(ctx, async (tx) => {
    const row = await repo.findDigest(tx.db, id, { forUpdate: true });
    if (!row) throw new Error(`digest ${id} does not exist`);
    if (row.status === 'sent') return row;
    const { start, end } = periodBounds(row.kind, row.period);
    const published = await repo.productsPublishedIn(tx.db, start, end);
    const current = await repo.listEntries(tx.db, id);
    const inDigest = new Set(current.filter((e) => e.product_id).map((e) => e.product_id!));
    const stillThere = new Set(published);
    await repo.deleteEntries(
      tx.db,
      id,
      current.filter((e) => e.kind === 'product' && !stillThere.has(e.product_id!)).map((e) => e.id),
    );
    await repo.appendEntries(
      tx.db,
      id,
      published
        .filter((p) => !inDigest.has(p))
        .map((productId) => ({
          kind: 'product' as const,
          productId,
          title: '',
          url: null,
          sourceName: '',
          summary: '',
          tlp: 'CLEAR',
          storyId: null,
          addedBy: null,
        })),
    );
    await repo.updateDigest(tx.db, id, { assembled_at: new Date(), ...(row.kind === 'week' && { scheduled_at: await weekSendMoment(tx, row.period) }) });
    return (await repo.findDigest(tx.db, id))!;
  });
}

/** The month's figures from our own data: counts only, never an organisation. */
export async function constituencyFigures(ctx: Ctx, period: string): Promise<ConstituencyFigures> {
  const { start, end } = periodBounds('month', period);
  return ConstituencyFigures.parse(await repo.constituencyCounts(ctx.db, start, end));
}

/** The digest's whole content as it stands now (every entry, the month's figures): what sending would freeze. */
export async function buildContent(ctx: Ctx, row: repo.DigestRow): Promise<DigestContent> {
  const entries = await repo.listEntries(ctx.db, row.id);
  const recipients = await repo.productRecipients(
    ctx.db,
    entries.filter((e) => e.product_id).map((e) => e.product_id!),
  );
  const cert = await certOrganisation(ctx.db);
  const certId = cert?.id ?? NO_ORGANISATION;
  const { start } = periodBounds(row.kind, row.period);
  const out: DigestEntryContent[] = [];
  for (const e of entries) {
    if (e.kind === 'product') {
      // A product withdrawn (or unpublished) since assembly is left out until re-assembly removes it.
      if (e.product_status !== 'published' || !e.identifier || !e.product_tlp || !e.product_kind || !e.owner_organisation_id) continue;
      out.push({
        id: e.id,
        kind: 'product',
        productId: e.product_id,
        productKind: e.product_kind,
        identifier: e.identifier,
        title: e.product_title ?? e.identifier,
        titleEn: e.product_title_en,
        summary: e.product_summary ?? '',
        summaryEn: e.product_summary_en,
        url: portalUrl(ctx, e.identifier),
        sourceName: '',
        tlp: e.product_tlp,
        recipients: recipients.get(e.product_id!) ?? [],
        ownerOrganisationId: e.owner_organisation_id,
        urgency: e.urgency,
        vendors: e.vendors ?? [],
        publishedAt: e.published_at?.toISOString() ?? null,
        updated: !!e.first_published_at && e.first_published_at < start,
      });
    } else {
      out.push({
        id: e.id,
        kind: e.kind,
        productId: null,
        productKind: null,
        identifier: null,
        title: e.title,
        titleEn: null,
        summary: e.summary,
        summaryEn: null,
        url: e.url,
        sourceName: e.source_name,
        tlp: e.tlp,
        recipients: [],
        ownerOrganisationId: certId,
        urgency: null,
        vendors: [],
        publishedAt: null,
        updated: false,
      });
    }
  }
  return {
    digestId: row.id,
    kind: row.kind,
    period: row.period,
    title: row.title,
    titleEn: row.title_en,
    introduction: row.introduction,
    commentary: row.kind === 'month' ? row.commentary : '',
    entries: out,
    figures: row.kind === 'month' ? await constituencyFigures(ctx, row.period) : null,
    certName: cert?.name ?? 'CERT',
    archiveUrl: `${ctx.services.config.publicUrl}/digests/${row.id}`,
  };
}
