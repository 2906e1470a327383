import { inTransaction, type Ctx } from '#server/context.ts';
import { conflict, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { messageIdFor, notifyWorkers } from '#modules/mail/outbox.service.ts';
import { amsterdamDay, amsterdamTime } from '#modules/monitoring/working-days.ts';
import { assemble, buildContent, ensureDigest, weekSendMoment } from './digest-assembly.ts';
import { versionFor, versionTlp, type DigestContent, type DigestSnapshot, type RecipientSummary } from './digest-content.ts';
import { resolveRecipients, type DigestRecipient } from './digest-audience.ts';
import { addDays, previousMonthOf, weekPeriodOf } from './digest-period.ts';
import { DigestDispatchPayload } from './digest-dispatch.ts';
import { renderDigestMail } from './templates/digest-mail.ts';
import { parseSnapshot } from './digest.service.ts';
import * as repo from './digest.repository.ts';

/**
 * Sending a digest: in one transaction, under the digest's row lock, the digest is re-assembled,
 * its content frozen (the snapshot), its recipients resolved, and one outbox row per contact
 * written (dedupe key per digest and contact, Message-ID fixed the same way); the status becomes
 * 'sent'. A second run finds it sent and does nothing, so no schedule or button sends twice.
 * The schedule (runDigestTick) and the previews live here too.
 */

export type SendOutcome = { sent: true; digestId: string; recipients: RecipientSummary } | { sent: false; digestId: string; reason: string };

export async function sendDigest(ctx: Ctx, id: string, by: 'schedule' | 'person'): Promise<SendOutcome> {
  return inTransaction(ctx, async (tx) => {
    const row = await repo.findDigest(tx.db, id, { forUpdate: true });
    if (!row) throw notFound('digest');
    if (row.status === 'sent') return { sent: false, digestId: id, reason: 'already sent' };
    if (row.kind === 'month' && row.status !== 'approved') {
      if (by === 'schedule') return { sent: false, digestId: id, reason: 'not approved' };
      throw conflict('digest_not_approved', 'An end-of-month digest is sent only after a second analyst approved it.');
    }
    if (row.kind === 'week' && row.status === 'held' && by === 'schedule') return { sent: false, digestId: id, reason: 'held' };
    const assembled = await assemble(tx, id);
    const content = await buildContent(tx, assembled);
    const { recipients, summary } = await resolveRecipients(tx, content);
    const rows = recipients
      .filter((r) => !r.skipped)
      .map((r) => {
        const payload: DigestDispatchPayload = {
          template: 'digest',
          digestId: id,
          entryIds: r.entryIds,
          to: r.email,
          name: r.name,
          languages: r.languages,
          messageId: messageIdFor(tx, `digest.${row.period}.${r.contactId}`),
          key: r.key,
          requireEncryption: r.requireEncryption,
        };
        return {
          dedupeKey: `${repo.outboxKeyPrefix(id)}contact:${r.contactId}`,
          payload,
          contactId: r.contactId,
          organisationId: r.organisationId,
          recipient: r.email,
          encrypted: r.key !== null,
          held: r.held,
        };
      });
    await repo.insertOutboxRows(tx.db, rows);
    const sentAt = new Date();
    const snapshot: DigestSnapshot = { content, recipients: summary, sentAt: sentAt.toISOString() };
    await repo.updateDigest(tx.db, id, { status: 'sent', sent_at: sentAt, sent_by: tx.actor?.userId ?? null, snapshot: JSON.stringify(snapshot) });
    await record(tx, { action: 'digest.send', targetType: 'digest', targetId: id, details: { kind: row.kind, period: row.period, by, ...summary } });
    await notifyWorkers(tx);
    return { sent: true, digestId: id, recipients: summary };
  });
}

/** "Send now": a week's digest (also a held one) at once; a month's only once approved. */
export async function sendNow(ctx: Ctx, id: string): Promise<SendOutcome> {
  authorize(ctx.actor, 'digests:write');
  return sendDigest(ctx, id, 'person');
}

export interface TickOutcome {
  day: string;
  week: string;
  month: string;
  sends: SendOutcome[];
}

/**
 * The schedule's tick (every five minutes): this week's digest exists and is assembled; the last
 * working day's send time past, the week's digest goes unless held (the previous week's too, when
 * the tick missed it); the previous month's digest exists, and an approved month goes at the first
 * tick past the month's send time.
 */
export async function runDigestTick(ctx: Ctx, now: Date = new Date()): Promise<TickOutcome> {
  const day = amsterdamDay(now);
  const week = weekPeriodOf(day);
  // One digest that cannot be sent (its log says why) does not keep the others from going.
  const send = async (id: string): Promise<SendOutcome> => {
    try {
      return await sendDigest(ctx, id, 'schedule');
    } catch (err) {
      ctx.services.log.error({ err, digestId: id }, 'digest could not be sent');
      return { sent: false, digestId: id, reason: err instanceof Error ? err.message : String(err) };
    }
  };
  const current = await ensureDigest(ctx, 'week', week);
  if (current.status !== 'sent') await assemble(ctx, current.id);
  const sends: SendOutcome[] = [];
  for (const period of [weekPeriodOf(addDays(day, -7)), week]) {
    const d = await repo.findByPeriod(ctx.db, 'week', period);
    if (!d || d.status !== 'draft') continue;
    const moment = await weekSendMoment(ctx, period);
    if (moment && now >= moment) sends.push(await send(d.id));
  }
  const month = previousMonthOf(day);
  await ensureDigest(ctx, 'month', month);
  if (amsterdamTime(now) >= ctx.services.config.digests.monthSendTime) {
    const { rows } = await repo.listDigests(ctx.db, { sentOnly: false, kind: 'month', status: 'approved', limit: 100 });
    for (const d of rows) sends.push(await send(d.id));
  }
  return { day, week, month, sends };
}

// ---- recipients and previews (the CERT)

async function plannedFor(
  ctx: Ctx,
  id: string,
): Promise<{ row: repo.DigestRow; content: DigestContent; recipients: DigestRecipient[]; summary: RecipientSummary }> {
  authorize(ctx.actor, 'digests:write');
  const row = await repo.findDigest(ctx.db, id);
  if (!row) throw notFound('digest');
  // A sent digest: its frozen content; the recipients as the policy resolves them from it.
  const content = row.status === 'sent' ? parseSnapshot(row).content : await buildContent(ctx, row);
  const { recipients, summary } = await resolveRecipients(ctx, content);
  return { row, content, recipients, summary };
}

/** Every subscribed contact, with how many entries their version has (0: they get none this week). */
export async function recipientsOf(ctx: Ctx, id: string) {
  const { recipients, summary } = await plannedFor(ctx, id);
  return { recipients, summary };
}

/** The mail exactly as one contact gets (or got) it: the same version, template and languages. */
export async function previewFor(ctx: Ctx, id: string, contactId: string) {
  const { row, content, recipients } = await plannedFor(ctx, id);
  let recipient = recipients.find((r) => r.contactId === contactId);
  if (row.status === 'sent') {
    // What was queued for them, not what the policy would say today.
    const queued = await repo.outboxRowFor(ctx.db, id, contactId);
    const payload = queued ? DigestDispatchPayload.safeParse(queued.payload) : null;
    if (!payload?.success) throw notFound('digest_recipient');
    recipient = recipient
      ? {
          ...recipient,
          entryIds: payload.data.entryIds,
          languages: payload.data.languages,
          key: payload.data.key,
          requireEncryption: payload.data.requireEncryption,
        }
      : undefined;
  }
  if (!recipient) throw notFound('digest_recipient');
  const version = versionFor(content, new Set(recipient.entryIds));
  const mail = renderDigestMail(version, recipient.languages, `${ctx.services.config.publicUrl}/account`);
  return { recipient, subject: mail.subject, html: mail.html, text: mail.text, entries: version.entries.length, tlp: versionTlp(version) };
}
