import type { Ctx } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { badRequest, conflict, notFound } from '#server/errors.ts';
import { csvCell } from '#lib/csv.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { sha256 } from '#modules/identity/secrets.ts';
import { signLink, verifyLink } from '#modules/keys/signed-link.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import { queueSignedMail } from '#modules/mail/signed-mail.ts';
import { resolveVisible } from '#modules/advisories/reader.service.ts';
import * as productRepo from '#modules/advisories/advisory.repository.ts';
import type { AlertResponseStatus } from '#db/schema.ts';
import * as repo from './alert-response.repository.ts';
import { ALERT_LINK_DAYS } from './dispatch.ts';
import { encryptionRequired } from './delivery.service.ts';

/**
 * Closing the loop on an operational alert: each recipient organisation says where it stands
 * (received, not affected, mitigating, patched), from the signed link in its mail or in the portal.
 * Every answer is kept; the dashboard shows the latest per organisation and who has not answered.
 */

export const RESPONSE_STATUSES: AlertResponseStatus[] = ['received', 'not_affected', 'mitigating', 'patched'];

async function liveAlert(ctx: Ctx, productId: string) {
  const p = await productRepo.findProduct(ctx.db, productId);
  if (!p || p.kind !== 'alert' || p.current_revision === null) throw notFound('alert');
  if (p.status === 'withdrawn') throw conflict('alert_withdrawn', 'This alert has been withdrawn; no answer is needed any more.');
  return p;
}

function isStatus(s: string | undefined): s is AlertResponseStatus {
  return RESPONSE_STATUSES.includes(s as AlertResponseStatus);
}

/** What a link would record, for the confirmation page (nothing is recorded yet). */
export async function describeLink(ctx: Ctx, token: string) {
  const claims = await verifyLink(ctx, 'alert-response', token);
  if (!claims.p || !claims.o || !isStatus(claims.s)) throw badRequest('link_invalid', 'This link is not valid.');
  const p = await liveAlert(ctx, claims.p);
  const org = await ctx.db.selectFrom('organisations').select('name').where('id', '=', claims.o).executeTakeFirst();
  if (!org) throw notFound('organisation');
  return { identifier: p.identifier ?? '', title: p.title ?? '', organisationName: org.name, status: claims.s };
}

/** Records the answer a signed link carries. Each link (one per choice) works once. */
export async function respondByLink(ctx: Ctx, token: string, comment: string | null) {
  const claims = await verifyLink(ctx, 'alert-response', token);
  if (!claims.p || !claims.o || !isStatus(claims.s)) throw badRequest('link_invalid', 'This link is not valid.');
  const status = claims.s;
  const p = await liveAlert(ctx, claims.p);
  return inTransaction(ctx, async (tx) => {
    if (!(await repo.useLink(tx.db, sha256(token))))
      throw conflict('link_used', 'This answer was already recorded with this link. To give another answer, use its link in the mail or log in to the portal.');
    const row = await repo.insertResponse(tx.db, { productId: p.id, organisationId: claims.o!, status, comment, via: 'link', contactId: claims.c || null, userId: null });
    await record(tx, { action: 'alert.respond', targetType: 'product', targetId: p.id, details: { organisationId: claims.o, status, via: 'link', contactId: claims.c || null } });
    await publish(tx, { type: 'alert.response', organisationId: claims.o!, data: { productId: p.id } });
    return { ...row, status, identifier: p.identifier };
  });
}

/** An answer from the portal, for the actor's own organisation (the CERT may record one for any that may read it). */
export async function respondInPortal(ctx: Ctx, idOrIdentifier: string, input: { status: AlertResponseStatus; comment: string | null; organisationId?: string }) {
  const visible = await resolveVisible(ctx, idOrIdentifier, 'alerts:respond');
  const actor = ctx.actor!;
  const organisationId = input.organisationId ?? actor.organisationId;
  authorize(actor, 'alerts:respond', { organisationId, notFoundAs: 'organisation' });
  // Any organisation that may read the alert may answer it, mailed or not (the portal showed it).
  const p = await liveAlert(ctx, visible.id);
  return inTransaction(ctx, async (tx) => {
    const row = await repo.insertResponse(tx.db, { productId: p.id, organisationId, status: input.status, comment: input.comment, via: 'portal', contactId: null, userId: actor.userId });
    await record(tx, { action: 'alert.respond', targetType: 'product', targetId: p.id, details: { organisationId, status: input.status, via: 'portal' } });
    await publish(tx, { type: 'alert.response', organisationId, data: { productId: p.id } });
    return { ...row, status: input.status };
  });
}

/** My organisation's answers to an alert (for the portal page). */
export async function myResponses(ctx: Ctx, idOrIdentifier: string) {
  const visible = await resolveVisible(ctx, idOrIdentifier);
  const actor = ctx.actor!;
  const audience = await repo.alertAudience(ctx.db, visible.id);
  return {
    recipient: audience.some((a) => a.organisation_id === actor.organisationId),
    responses: await repo.responsesOfOrganisation(ctx.db, visible.id, actor.organisationId),
  };
}

/** The alert dashboard: organisations by their latest answer, time to first answer, who is silent. */
export async function dashboard(ctx: Ctx, idOrIdentifier: string) {
  const visible = await resolveVisible(ctx, idOrIdentifier, 'distribution:read');
  if (visible.kind !== 'alert') throw notFound('alert');
  const [audience, responses] = await Promise.all([repo.alertAudience(ctx.db, visible.id), repo.responsesOf(ctx.db, visible.id)]);
  const byOrg = new Map<string, typeof responses>();
  for (const r of responses) byOrg.set(r.organisation_id, [...(byOrg.get(r.organisation_id) ?? []), r]);
  const deliveredAt = new Map(audience.map((a) => [a.organisation_id, a.delivered_at]));
  const names = new Map([...audience.map((a) => [a.organisation_id, a.organisation_name] as const), ...responses.map((r) => [r.organisation_id, r.organisation_name] as const)]);
  const organisations = [...names.entries()]
    .map(([id, name]) => {
      const rs = byOrg.get(id) ?? [];
      const first = rs[0];
      const latest = rs.at(-1);
      const sentAt = deliveredAt.get(id) ?? null;
      return {
        organisationId: id,
        organisationName: name,
        recipient: sentAt !== null,
        status: latest?.status ?? null,
        comment: latest?.comment ?? null,
        respondedAt: latest?.responded_at ?? null,
        firstResponseAt: first?.responded_at ?? null,
        secondsToFirstResponse: first && sentAt ? Math.max(0, Math.round((first.responded_at.getTime() - sentAt.getTime()) / 1000)) : null,
        responses: rs.length,
      };
    })
    .sort((a, b) => a.organisationName.localeCompare(b.organisationName));
  const firstTimes = organisations.map((o) => o.secondsToFirstResponse).filter((s): s is number => s !== null).sort((a, b) => a - b);
  const counts = Object.fromEntries([...RESPONSE_STATUSES, 'none'].map((s) => [s, organisations.filter((o) => (o.status ?? 'none') === s).length])) as Record<AlertResponseStatus | 'none', number>;
  return {
    productId: visible.id,
    identifier: visible.identifier ?? '',
    title: visible.title ?? visible.draft_title,
    publishedAt: visible.first_published_at,
    counts,
    medianSecondsToFirstResponse: firstTimes.length ? firstTimes[Math.floor((firstTimes.length - 1) / 2)]! : null,
    organisations,
    history: responses,
  };
}

export async function responsesCsv(ctx: Ctx, idOrIdentifier: string): Promise<{ filename: string; csv: string }> {
  const d = await dashboard(ctx, idOrIdentifier);
  const lines = [['organisation', 'recipient', 'status', 'comment', 'responded_at', 'first_response_at', 'seconds_to_first_response', 'responses'].join(',')];
  for (const o of d.organisations)
    lines.push([o.organisationName, o.recipient, o.status ?? 'none', o.comment, o.respondedAt, o.firstResponseAt, o.secondsToFirstResponse, o.responses].map(csvCell).join(','));
  return { filename: `${d.identifier.toLowerCase() || 'alert'}-responses.csv`, csv: `${lines.join('\r\n')}\r\n` };
}

/**
 * Reminders: an organisation that has not answered an alert after ALERT_REMINDER_MINUTES gets one
 * mail to its on-call contacts (or, lacking those, the alert's subscribers), with fresh links.
 * The outbox key makes it once per alert, organisation and contact, however often the job runs.
 */
export async function sendReminders(ctx: Ctx): Promise<number> {
  const due = await repo.unansweredAfter(ctx.db, ctx.services.config.alertReminderMinutes, ALERT_LINK_DAYS);
  let queued = 0;
  for (const d of due) {
    const contacts = await repo.onCallContacts(ctx.db, d.organisation_id);
    await inTransaction(ctx, async (tx) => {
      for (const c of contacts) {
        const expires = new Date(Date.now() + ALERT_LINK_DAYS * 86_400_000);
        const link = async (s: AlertResponseStatus) => `${ctx.services.config.publicUrl}/respond/${await signLink(tx, 'alert-response', { p: d.product_id, o: d.organisation_id, c: c.id, s }, expires)}`;
        const en = c.languages.includes('en') && !c.languages.includes('nl');
        const lines = en
          ? [`Reminder: your organisation has not yet answered operational alert ${d.identifier}: ${d.title} [TLP:${d.tlp}].`, '', 'Answer with one click:']
          : [`Herinnering: uw organisatie heeft nog niet gereageerd op operationele waarschuwing ${d.identifier}: ${d.title} [TLP:${d.tlp}].`, '', 'Reageer met één klik:'];
        for (const s of RESPONSE_STATUSES) lines.push(`  ${s.replace('_', ' ')}: ${await link(s)}`);
        // Signed like the alert itself, encrypted where the contact has a key; under the policy
        // "encrypted only from TLP:x" a contact without a usable key gets no reminder.
        const outcome = await queueSignedMail(tx, {
          key: `alert:${d.product_id}:reminder:${d.organisation_id}:${c.id}`,
          to: c.email,
          toName: c.name,
          subject: `[TLP:${d.tlp}] ${en ? 'Reminder' : 'Herinnering'}: ${d.identifier} ${d.title}`,
          text: lines.join('\n'),
          html: null,
          language: en ? 'en' : 'nl',
          headers: [['Auto-Submitted', 'auto-generated'], ['X-Wachtpost-Product', d.identifier], ['X-Wachtpost-TLP', d.tlp]],
          encryptTo: c.pgp_public_key && c.pgp_fingerprint ? { fingerprint: c.pgp_fingerprint, armored: c.pgp_public_key } : null,
          requireEncryption: encryptionRequired(tx, d.tlp),
          fallbackText: en ? `Reminder: ${d.identifier} awaits your answer in the portal.` : `Herinnering: ${d.identifier} wacht op uw antwoord in het portaal.`,
        });
        if (outcome.queued) queued++;
        else ctx.services.log.warn({ product: d.identifier, contact: c.id }, 'alert reminder held back: the policy wants it encrypted and the contact has no usable key');
      }
    });
  }
  return queued;
}
