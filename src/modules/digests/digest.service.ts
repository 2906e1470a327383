import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, conflict, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { canSeeDigest, canSeeDigestEntry, isDigestEditor } from '#modules/access/policy-digests.ts';
import { record } from '#modules/audit/audit.service.ts';
import { auditedRead, tlpRank, type Tlp } from '#lib/tlp.ts';
import type { Updateable } from 'kysely';
import type { DigestsTable } from '#db/schema-digests.ts';
import { assemble, buildContent, ensureDigest, monthSendMoment } from './digest-assembly.ts';
import { previousMonthOf, weekPeriodOf } from './digest-period.ts';
import { amsterdamDay } from '#modules/monitoring/working-days.ts';
import { DigestSnapshot, markingOf, type DigestContent, type RecipientSummary } from './digest-content.ts';
import { MediaItemInput, type DigestCreateInput, type DigestListQuery, type DigestPatch, type EntryInput } from './digest.schema.ts';
import * as repo from './digest.repository.ts';

/**
 * The digests' editorial side: the archive (list and detail, each reader's version), the editor's
 * texts, order, media items and links, holding a week's digest, and the month's four eyes (a second
 * analyst, neither its author nor its last editor, approves). Sending is digest-send.service.ts.
 */

export async function listDigests(ctx: Ctx, q: DigestListQuery) {
  authorize(ctx.actor, 'digests:read');
  const editor = isDigestEditor(ctx.actor);
  return repo.listDigests(ctx.db, { sentOnly: !editor, kind: q.kind, status: editor ? q.status : undefined, limit: q.limit, cursor: q.cursor });
}

/** A digest the actor may see, or not found (a reader never learns of an unsent one). */
async function loadVisible(ctx: Ctx, id: string): Promise<repo.DigestRow> {
  authorize(ctx.actor, 'digests:read');
  const row = await repo.findDigest(ctx.db, id);
  if (!row || !canSeeDigest(ctx.actor, row.status)) throw notFound('digest');
  return row;
}

export function parseSnapshot(row: repo.DigestRow): DigestSnapshot {
  const parsed = DigestSnapshot.safeParse(row.snapshot);
  if (!parsed.success) throw new AppError('unavailable', 'digest_snapshot_corrupt', 'The stored copy of this digest cannot be read.');
  return parsed.data;
}

/** The reader's version of a sent digest: entries whose marking as sent and (for products) current marking both admit them. */
async function readerVersion(ctx: Ctx, content: DigestContent): Promise<DigestContent> {
  const current = await repo.currentProductMarkings(
    ctx.db,
    content.entries.filter((e) => e.productId).map((e) => e.productId!),
  );
  const entries = content.entries.filter((e) => {
    if (e.productId) {
      const now = current.get(e.productId);
      return !!now && canSeeDigestEntry(ctx.actor, [markingOf(e), now]);
    }
    return canSeeDigestEntry(ctx.actor, [markingOf(e)]);
  });
  return { ...content, entries };
}

export interface DigestView {
  row: repo.DigestRow;
  content: DigestContent;
  editor: null | {
    names: Map<string, string>;
    mayApprove: boolean;
    recipients: RecipientSummary | null;
    outbox: { pending: number; sent: number; failed: number; held: number };
  };
}

/** Whether the actor may approve: a month in review, and neither its author, last editor nor submitter. */
function fourEyesOk(actorId: string, row: repo.DigestRow): boolean {
  return ![row.author_id, row.last_edited_by, row.submitted_by].includes(actorId);
}

export async function getDigest(ctx: Ctx, id: string): Promise<DigestView> {
  const row = await loadVisible(ctx, id);
  const editor = isDigestEditor(ctx.actor);
  const snapshot = row.status === 'sent' ? parseSnapshot(row) : null;
  if (!editor) {
    const content = await readerVersion(ctx, snapshot!.content);
    const strictest = content.entries.reduce<Tlp>((m, e) => (tlpRank(e.tlp) > tlpRank(m) ? e.tlp : m), 'CLEAR');
    if (auditedRead(strictest))
      await record(ctx, { action: 'digest.read', targetType: 'digest', targetId: id, details: { tlp: strictest, entries: content.entries.length } });
    return { row, content, editor: null };
  }
  const content = snapshot ? snapshot.content : await buildContent(ctx, row);
  const counts = await repo.outboxCounts(ctx.db, id);
  const count = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
  return {
    row,
    content,
    editor: {
      names: await repo.userNames(ctx.db, [row.author_id, row.last_edited_by, row.submitted_by, row.reviewer_id]),
      mayApprove: row.kind === 'month' && row.status === 'in_review' && fourEyesOk(ctx.actor!.userId, row),
      recipients: snapshot?.recipients ?? null,
      outbox: { pending: count('pending') + count('sending'), sent: count('sent'), failed: count('failed'), held: count('held') },
    },
  };
}

/** Opens (makes and assembles when needed) the digest of a period. */
export async function createDigest(ctx: Ctx, input: DigestCreateInput): Promise<string> {
  authorize(ctx.actor, 'digests:write');
  const today = amsterdamDay();
  const period = input.period ?? (input.kind === 'week' ? weekPeriodOf(today) : previousMonthOf(today));
  const existed = await repo.findByPeriod(ctx.db, input.kind, period);
  const row = await ensureDigest(ctx, input.kind, period);
  if (!existed) await record(ctx, { action: 'digest.create', targetType: 'digest', targetId: row.id, details: { kind: input.kind, period } });
  return row.id;
}

/** For a write: the digest locked, unsent, or the error saying why not. */
async function loadForWrite(tx: Ctx, id: string): Promise<repo.DigestRow> {
  authorize(tx.actor, 'digests:write');
  const row = await repo.findDigest(tx.db, id, { forUpdate: true });
  if (!row) throw notFound('digest');
  if (row.status === 'sent') throw conflict('digest_sent', 'This digest has been sent; what went out stays as it was.');
  return row;
}

/**
 * Records who edited: the first writer becomes the author. An edit to a month's digest in review or
 * approved sends it back to draft: the approval covered the text as it was.
 */
function edited(tx: Ctx, row: repo.DigestRow): Updateable<DigestsTable> {
  const userId = tx.actor!.userId;
  const back = row.kind === 'month' && (row.status === 'in_review' || row.status === 'approved');
  return {
    author_id: row.author_id ?? userId,
    last_edited_by: userId,
    last_edited_at: new Date(),
    ...(back && { status: 'draft' as const, submitted_by: null, submitted_at: null, reviewer_id: null, approved_at: null, scheduled_at: null }),
  };
}

export async function updateDigest(ctx: Ctx, id: string, patch: DigestPatch): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await loadForWrite(tx, id);
    if (patch.commentary !== undefined && row.kind !== 'month')
      throw badRequest('digest_commentary_month_only', 'Only an end-of-month digest has a commentary.', { field: 'commentary' });
    await repo.updateDigest(tx.db, id, {
      ...(patch.introduction !== undefined && { introduction: patch.introduction }),
      ...(patch.commentary !== undefined && { commentary: patch.commentary }),
      ...edited(tx, row),
    });
    await record(tx, { action: 'digest.update', targetType: 'digest', targetId: id, details: { fields: Object.keys(patch) } });
  });
}

/** The editor's order: every entry of the digest exactly once. */
export async function reorder(ctx: Ctx, id: string, entryIds: readonly string[]): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await loadForWrite(tx, id);
    const current = (await repo.listEntries(tx.db, id)).map((e) => e.id);
    const given = new Set(entryIds);
    if (given.size !== entryIds.length || given.size !== current.length || current.some((e) => !given.has(e)))
      throw conflict('digest_order_stale', 'The order must name every entry of the digest once; reload it, entries may have been added.');
    await repo.setPositions(tx.db, id, entryIds);
    await repo.updateDigest(tx.db, id, edited(tx, row));
    await record(tx, { action: 'digest.reorder', targetType: 'digest', targetId: id, details: { entries: entryIds.length } });
  });
}

export async function addEntry(ctx: Ctx, id: string, input: EntryInput): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const row = await loadForWrite(tx, id);
    const [entryId] = await repo.appendEntries(tx.db, id, [
      {
        kind: input.kind,
        productId: null,
        title: input.title,
        url: input.url ?? null,
        sourceName: input.sourceName,
        summary: input.summary,
        tlp: input.tlp,
        storyId: null,
        addedBy: tx.actor!.userId,
      },
    ]);
    await repo.updateDigest(tx.db, id, edited(tx, row));
    await record(tx, { action: 'digest.entry_add', targetType: 'digest', targetId: id, details: { kind: input.kind, tlp: input.tlp, entryId } });
    return entryId!;
  });
}

/** Media items and links can be removed; products are what was published and stay. */
export async function removeEntry(ctx: Ctx, id: string, entryId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await loadForWrite(tx, id);
    const entry = (await repo.listEntries(tx.db, id)).find((e) => e.id === entryId);
    if (!entry) throw notFound('digest_entry');
    if (entry.kind === 'product')
      throw conflict('digest_entry_is_product', 'A published product belongs in the digest of its period; it cannot be removed, only moved.');
    await repo.deleteEntries(tx.db, id, [entryId]);
    await repo.updateDigest(tx.db, id, edited(tx, row));
    await record(tx, { action: 'digest.entry_remove', targetType: 'digest', targetId: id, details: { kind: entry.kind, entryId } });
  });
}

/** Picks up products published since the last assembly (the schedule does this on every tick too). */
export async function reassemble(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await loadForWrite(tx, id);
    await assemble(tx, id);
  });
}

async function transition(
  ctx: Ctx,
  id: string,
  kind: 'week' | 'month',
  from: readonly string[],
  action: string,
  set: (tx: Ctx, row: repo.DigestRow) => Updateable<DigestsTable>,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await loadForWrite(tx, id);
    if (row.kind !== kind)
      throw conflict(`digest_not_${kind}`, kind === 'week' ? 'Only an end-of-week digest is held or released.' : 'Only an end-of-month digest is reviewed.');
    if (!from.includes(row.status)) throw conflict('invalid_transition', `This digest is ${row.status.replace('_', ' ')}; that step is not possible now.`);
    await repo.updateDigest(tx.db, id, set(tx, row));
    await record(tx, { action, targetType: 'digest', targetId: id, details: { period: row.period } });
  });
}

/** A held week's digest is not sent by the schedule (an editor may still send it). */
export async function hold(ctx: Ctx, id: string): Promise<void> {
  await transition(ctx, id, 'week', ['draft'], 'digest.hold', () => ({ status: 'held' }));
}

export async function release(ctx: Ctx, id: string): Promise<void> {
  await transition(ctx, id, 'week', ['held'], 'digest.release', () => ({ status: 'draft' }));
}

export async function submitForReview(ctx: Ctx, id: string): Promise<void> {
  await transition(ctx, id, 'month', ['draft'], 'digest.submit', (tx) => ({ status: 'in_review', submitted_by: tx.actor!.userId, submitted_at: new Date() }));
}

/** The second analyst's approval; the schedule sends at its next tick past the month's send time. */
export async function approve(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'digests:approve');
  await transition(ctx, id, 'month', ['in_review'], 'digest.approve', (tx, row) => {
    if (!fourEyesOk(tx.actor!.userId, row))
      throw new AppError('forbidden', 'digest_four_eyes', 'Four eyes: you wrote, edited or submitted this digest, so another analyst must approve it.');
    const now = new Date();
    return { status: 'approved', reviewer_id: tx.actor!.userId, approved_at: now, scheduled_at: monthSendMoment(tx, now) };
  });
}

/**
 * Triage's "add to the week's media items" (called by the intake module): the week's digest is made
 * when it does not exist yet; a story already added that week gives the same entry back.
 */
export async function addMediaItem(
  ctx: Ctx,
  input: { week: string; title: string; url: string | null; sourceName: string; summary: string; tlp: Tlp; storyId: string | null },
): Promise<{ id: string }> {
  authorize(ctx.actor, 'digests:write');
  // Outside text (a feed's title) is clipped to the fields' lengths rather than refused.
  const parsed = MediaItemInput.safeParse({
    ...input,
    title: input.title.trim().slice(0, 300),
    sourceName: input.sourceName.trim().slice(0, 200),
    summary: input.summary.trim().slice(0, 2000),
  });
  if (!parsed.success)
    throw badRequest('digest_media_item_invalid', parsed.error.issues[0]?.message ?? 'The media item is not valid.', { issues: parsed.error.issues });
  const item = parsed.data;
  const digest = await ensureDigest(ctx, 'week', item.week);
  return inTransaction(ctx, async (tx) => {
    const row = await loadForWrite(tx, digest.id);
    if (item.storyId) {
      const existing = await repo.findEntryByStory(tx.db, row.id, item.storyId);
      if (existing) return { id: existing };
    }
    const [id] = await repo.appendEntries(tx.db, row.id, [
      {
        kind: 'media',
        productId: null,
        title: item.title,
        url: item.url,
        sourceName: item.sourceName,
        summary: item.summary,
        tlp: item.tlp,
        storyId: item.storyId,
        addedBy: tx.actor!.userId,
      },
    ]);
    await repo.updateDigest(tx.db, row.id, { author_id: row.author_id ?? tx.actor!.userId });
    await record(tx, {
      action: 'digest.media_item',
      targetType: 'digest',
      targetId: row.id,
      details: { week: item.week, tlp: item.tlp, storyId: item.storyId, entryId: id },
    });
    return { id: id! };
  });
}
