import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest } from '#server/errors.ts';
import { record } from '#modules/audit/audit.service.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import { notifyCertStaff } from '#modules/notifications/notification.service.ts';
import { matcherFor } from '#modules/monitoring/constituency.service.ts';
import { calendarOverrides } from '#modules/monitoring/schedule.repository.ts';
import { amsterdamDay } from '#modules/monitoring/working-days.ts';
import type { CvdScope } from '#db/schema-cvd.ts';
import type { StoredFile } from '#modules/incidents/evidence-store.ts';
import * as repo from './cvd.repository.ts';
import type { ReportInput } from './cvd.schema.ts';
import { addDays, defaultDisclosureDue, firstResponseDue, type Overrides } from './deadlines.ts';
import { linkFor, newToken } from './finder-link.ts';
import { acknowledgementMail } from './cvd-mail-text.ts';

/** An attachment already written to the store (by the form route or the mail intake) and waiting for its case. */
export interface IncomingAttachment extends StoredFile {
  fileName: string;
  contentType: string;
}

export interface IntakeMeta {
  intake: 'form' | 'mail' | 'analyst';
  encrypted: boolean;
  /** Kept as an internal note for the CERT only (a mailed report as received, signature and all). */
  internalNote?: string | undefined;
  messageId?: string | null | undefined;
  receivedAt?: Date | undefined;
}

export interface Submitted {
  id: string;
  reference: string;
  token: string;
  link: string;
  created: boolean;
}

/** The CERT's working-day calendar around `from` (a year ahead: more than any CVD clock needs). */
export async function workingDayOverrides(ctx: Ctx, from: Date = new Date()): Promise<Overrides> {
  const first = addDays(amsterdamDay(from), -400);
  const rows = await calendarOverrides(ctx.db, first, addDays(amsterdamDay(from), 400));
  return new Map(rows.map((r) => [r.day, { working: r.working, note: r.note }]));
}

/** The rules zod cannot say per field: what is affected decides what must be named. */
export function checkReport(input: ReportInput): void {
  if (input.targetKind !== 'product' && !input.target)
    throw badRequest('cvd_target_missing', 'Name the website or system: its address (https://…), host name or IP address.', { field: 'target' });
  if (input.targetKind === 'product' && (!input.vendor || !input.product))
    throw badRequest('cvd_product_missing', 'Name the manufacturer (vendor) and the product or device.', { field: input.vendor ? 'product' : 'vendor' });
  if (input.credit === 'alias' && !input.creditName)
    throw badRequest('cvd_credit_name_missing', 'Say which alias you want to be credited under, or choose no credit or anonymous credit.', { field: 'creditName' });
  if (input.credit === 'name' && !(input.creditName ?? input.finderName))
    throw badRequest('cvd_credit_name_missing', 'Say under which name you want to be credited, or choose no credit or anonymous credit.', { field: 'creditName' });
  if (input.anonymous && input.credit === 'name') throw badRequest('cvd_credit_conflict', 'An anonymous report cannot be credited by name; choose an alias or anonymous credit.', { field: 'credit' });
}

/** The host, address or AS a website/system target names (a URL is reduced to its host). */
export function targetHost(target: string): string {
  const t = target.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    try {
      return new URL(t).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return t;
    }
  }
  return t.replace(/\/.*$/, '').replace(/:\d+$/, '');
}

/**
 * Who the report concerns: the participants whose approved assets hold the reported host or
 * address, or whose declared products match the reported product (and the participant whose
 * security.txt sent the finder, when it delegated its CVD to us).
 */
export async function scopeOf(ctx: Ctx, r: { targetKind: string; target: string | null; vendor: string | null; product: string | null; model: string | null; organisationId?: string | undefined }): Promise<CvdScope> {
  const found = new Map<string, CvdScope['organisations'][number]>();
  if (r.target && r.targetKind !== 'product') {
    const host = targetHost(r.target);
    // Outside a transaction this is the process's matcher (rebuilt when assets change); callers
    // check scope before opening theirs, since a build over a large constituency takes seconds.
    const owners = (await matcherFor(ctx)).ownersOf(host);
    const names = new Map((await repo.organisationsByIds(ctx.db, owners.map((o) => o.organisationId))).map((o) => [o.id, o.name]));
    for (const o of owners) {
      const via = /^AS\d+$/i.test(o.asset) ? 'asn' : /[/:]|^\d+\.\d+\.\d+\.\d+$/.test(o.asset) ? 'ip' : 'domain';
      if (!found.has(o.organisationId)) found.set(o.organisationId, { id: o.organisationId, name: names.get(o.organisationId) ?? '', via, matched: o.asset });
    }
  }
  if (r.vendor && r.product) {
    for (const o of await repo.declaredProductOwners(ctx.db, { vendor: r.vendor, product: r.product, model: r.model })) {
      if (!found.has(o.id)) found.set(o.id, { id: o.id, name: o.name, via: 'product', matched: o.value });
    }
  }
  if (r.organisationId && !found.has(r.organisationId)) {
    const org = await repo.organisation(ctx.db, r.organisationId);
    if (org?.cvd_delegated) found.set(org.id, { id: org.id, name: org.name, via: 'delegated', matched: 'security.txt' });
  }
  return { organisations: [...found.values()], checkedAt: new Date().toISOString() };
}

/**
 * Takes in a report (form, mail or typed in by the CERT): the case, the finder as its first party
 * with a private link, the attachments, the scope check, an acknowledgement to the finder (when they
 * left an address) and a notice to the CERT, all in one transaction. The same Message-ID twice
 * opens one case.
 */
export async function submitReport(ctx: Ctx, input: ReportInput, attachments: readonly IncomingAttachment[], meta: IntakeMeta): Promise<Submitted> {
  checkReport(input);
  const receivedAt = meta.receivedAt ?? new Date();
  const overrides = await workingDayOverrides(ctx, receivedAt);
  const { token, hash } = newToken();
  const scope = await scopeOf(ctx, { ...input, target: input.target ?? null, vendor: input.vendor ?? null, product: input.product ?? null, model: input.model ?? null });
  return inTransaction(ctx, async (tx) => {
    if (meta.messageId) {
      const existing = await repo.caseFromMessageId(tx.db, meta.messageId);
      if (existing) return { id: existing.id, reference: existing.reference, token: '', link: '', created: false };
    }
    const reference = await repo.nextReference(tx.db, receivedAt);
    const product = input.targetKind === 'product';
    const id = await repo.insertCase(tx.db, {
      reference,
      intake: meta.intake,
      target_kind: input.targetKind,
      target: product ? null : (input.target ?? null),
      vendor: input.vendor ?? null,
      product: input.product ?? null,
      model: input.model ?? null,
      version: input.version ?? null,
      title: input.title,
      description: input.description,
      steps: input.steps,
      impact: input.impact,
      credit: input.credit,
      // An alias is only ever what the finder typed as one; their own name is never a fallback for it.
      credit_name: input.credit === 'alias' ? (input.creditName ?? null) : input.credit === 'name' ? (input.creditName ?? input.finderName ?? null) : null,
      finder_shares_identity: !input.anonymous && input.sharesIdentity,
      finder_shares_attachments: input.sharesAttachments,
      encrypted: meta.encrypted,
      language: input.language,
      mail_message_id: meta.messageId ?? null,
      received_at: receivedAt,
      first_response_due: firstResponseDue(receivedAt, overrides),
      disclosure_due: defaultDisclosureDue(receivedAt, tx.services.config.cvd.disclosureDays),
    });
    const finder = await repo.insertParty(tx.db, {
      case_id: id,
      kind: 'finder',
      name: input.anonymous ? '' : (input.finderName ?? ''),
      email: input.finderEmail ?? null,
      token_hash: hash,
      language: input.language,
    });
    for (const a of attachments) {
      await repo.insertAttachment(tx.db, {
        case_id: id,
        party_id: finder.id,
        file_name: a.fileName,
        content_type: a.contentType,
        size_bytes: a.sizeBytes,
        sha256: a.sha256,
        storage_name: a.storageName,
        encrypted: a.encrypted,
      });
    }
    await repo.setScope(tx.db, id, scope);
    if (meta.internalNote) await repo.insertMessage(tx.db, { case_id: id, party_id: null, direction: 'note', body: meta.internalNote, author_user_id: null });
    await repo.insertEvent(tx.db, { caseId: id, kind: 'received', text: `Report received (${meta.intake}${meta.encrypted ? ', encrypted' : ''}).`, actorUserId: tx.actor?.userId ?? null });
    const link = linkFor(tx.services.config.publicUrl, token);
    if (input.finderEmail) {
      await queueMail(tx, `cvd:${id}:ack`, acknowledgementMail({ to: input.finderEmail, reference, link, language: input.language, firstResponseDue: firstResponseDue(receivedAt, overrides) }));
    }
    await notifyCertStaff(tx, {
      kind: 'cvd.received',
      title: `New vulnerability report ${reference}: ${input.title}`,
      link: `/cvd-cases/${id}`,
      subjectType: 'cvd_case',
      subjectId: id,
      dedupeKey: `cvd:${id}:received`,
    });
    await record(tx, { action: 'cvd.received', targetType: 'cvd_case', targetId: id, details: { intake: meta.intake, encrypted: meta.encrypted, attachments: attachments.length } });
    return { id, reference, token, link, created: true };
  });
}
