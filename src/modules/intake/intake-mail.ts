import { simpleParser, type ParsedMail } from 'mailparser';
import type { SMTPServerSession } from 'smtp-server';
import { inTransaction, systemContext, type Ctx, type Services } from '#server/context.ts';
import { bodyText, envelopeSender, fallbackMessageId, isAutomaticReply, smtpError, startSmtpIntake, type SmtpIntake } from '#modules/mail/smtp-intake.ts';
import { extractAdvisoryIds, extractCves } from './fetchers/text.ts';
import type { FetchedItem } from './fetchers/types.ts';
import * as repo from './source.repository.ts';
import { ingestItems, loadDeclared } from './story.service.ts';

/**
 * The intake mailbox (INTAKE_SMTP_PORT): mailing lists and partners' mail to the intake address, or
 * to a plus-address of it that routes to a mailbox source of its own (intake+ncsc@…). Each mail is
 * an item of that source, its Message-ID the item's id, so a retry or a copy through a second list
 * is taken once. 250 only after the item is committed; 451 when there is no enabled mailbox source.
 */

export const INTAKE_MAIL_MAX_BYTES = 15 * 1024 * 1024;

export function isPlusAddress(base: string, address: string): boolean {
  const [local, domain] = base.split('@');
  if (!local || !domain) return false;
  return address.startsWith(`${local}+`) && address.endsWith(`@${domain}`) && /^[a-z0-9._-]+$/.test(address.slice(local.length + 1, -domain.length - 1));
}

export async function startIntakeMailbox(services: Services, options: { maxBytes?: number } = {}): Promise<SmtpIntake> {
  const { smtpPort, smtpAddress } = services.config.intake;
  if (smtpPort === undefined) throw new Error('INTAKE_SMTP_PORT is not set: the intake mailbox has no port to listen on.');
  return startSmtpIntake(services, {
    banner: 'Wachtpost intake mailbox',
    name: 'intake mailbox',
    component: 'intake-mailbox',
    port: smtpPort,
    address: smtpAddress,
    alsoAccepts: (a) => isPlusAddress(smtpAddress, a),
    takes: 'mail for the CERT to triage',
    maxBytes: options.maxBytes ?? INTAKE_MAIL_MAX_BYTES,
    tooLargeHint: 'send a link to large files instead.',
    take: (raw, session) => takeMail(systemContext(services, 'intake-mailbox'), raw, session),
  });
}

/** A mail as an intake item: subject, plain text, CVEs and advisory ids found in either. */
export function mailItem(parsed: ParsedMail, raw: Buffer): FetchedItem {
  const subject = (parsed.subject ?? '').trim() || '(no subject)';
  const text = bodyText(parsed).slice(0, 4000);
  const both = `${subject}\n${text}`;
  const link = /https?:\/\/[^\s<>"')\]]+/.exec(text)?.[0] ?? null;
  return {
    externalId: parsed.messageId ?? fallbackMessageId(raw, 'intake-mailbox'),
    url: link,
    title: subject.slice(0, 1000),
    summary: text,
    publishedAt: parsed.date ?? null,
    updatedAt: null,
    cves: extractCves(both),
    advisoryIds: extractAdvisoryIds(both),
    vendors: [],
    products: [],
    tlp: null,
    csaf: null,
    revision: null,
  };
}

export async function takeMail(ctx: Ctx, raw: Buffer, session: SMTPServerSession): Promise<string> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw);
  } catch {
    throw smtpError(554, 'The message could not be read as a mail.');
  }
  if (isAutomaticReply(parsed, envelopeSender(session))) return 'OK: automatic replies are not taken';
  const { smtpAddress } = ctx.services.config.intake;
  const recipient =
    session.envelope.rcptTo.map((r) => r.address.trim().toLowerCase()).find((a) => a === smtpAddress || isPlusAddress(smtpAddress, a)) ?? smtpAddress;
  const source = await repo.mailboxFor(ctx.db, recipient, smtpAddress);
  // No enabled mailbox source yet: the sending server keeps the mail and retries.
  if (!source) throw smtpError(451, `No mailbox source takes mail for <${recipient}> right now; try again later.`);
  const item = mailItem(parsed, raw);
  const declared = await loadDeclared(ctx);
  const startedAt = new Date();
  const counts = await inTransaction(ctx, async (tx) => {
    const c = await ingestItems(tx, source, [item], declared);
    await repo.finishMail(tx.db, source.id, startedAt, c.newItems);
    return c;
  });
  ctx.services.log.info({ source: source.id, messageId: item.externalId, new: counts.newItems }, 'intake mailbox took a mail');
  return counts.newItems ? 'OK: taken for triage' : 'OK: already taken';
}
