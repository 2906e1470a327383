import type { SMTPServerSession } from 'smtp-server';
import { systemContext, type Services } from '#server/context.ts';
import { startSmtpIntake, smtpError, type SmtpIntake } from '#modules/mail/smtp-intake.ts';
import { reportFailingAddress } from './address-health.service.ts';
import * as repo from './delivery.repository.ts';
import { isPermanent, parseDsn } from './dsn.ts';

/**
 * Bounces: the envelope sender of every product mail is the bounce address, and its MX (or a
 * forward) hands the reports to this endpoint (BOUNCE_SMTP_PORT). A permanent failure for a mail we
 * sent marks the row failed and the contact's address failing, and tells the CERT, exactly as a
 * 5xx at sending time does. A report is believed only when it names a Message-ID we sent to that
 * very address; anything else is taken (250) and dropped, so nobody learns what we sent.
 */
export const BOUNCE_MAX_BYTES = 2 * 1024 * 1024;

export async function startBounceIntake(services: Services): Promise<SmtpIntake> {
  const port = services.config.bounces.smtpPort;
  if (port === undefined) throw new Error('BOUNCE_SMTP_PORT is not set: the bounce intake has no port to listen on.');
  return startSmtpIntake(services, {
    banner: 'Wachtpost bounce intake',
    name: 'bounce intake',
    component: 'bounce-intake',
    port,
    address: services.config.bounces.address,
    takes: 'delivery status notifications',
    maxBytes: BOUNCE_MAX_BYTES,
    tooLargeHint: 'a delivery report returns the headers, not the whole message.',
    take: (raw, session) => takeBounce(services, raw, session),
  });
}

export async function takeBounce(services: Services, raw: Buffer, session?: SMTPServerSession): Promise<string> {
  const log = services.log.child({ component: 'bounce-intake', session: session?.id });
  let dsn;
  try {
    dsn = await parseDsn(raw);
  } catch (err) {
    log.warn({ err }, 'bounce intake could not parse a mail');
    throw smtpError(554, 'The message could not be read as a mail.');
  }
  if (!dsn) return 'OK: not a delivery status notification, ignored';
  if (!dsn.originalMessageId) return 'OK: no original Message-ID, ignored';
  const ctx = systemContext(services, 'bounce-intake');
  let marked = 0;
  for (const r of dsn.recipients.filter(isPermanent)) {
    const row = await repo.findSentRow(ctx.db, dsn.originalMessageId, r.recipient);
    if (!row) continue;
    const reason = `Bounced by the receiving server: ${r.status}${r.diagnostic ? ` (${r.diagnostic})` : ''}`;
    if (!(await repo.markBounced(ctx.db, row.id, reason))) continue;
    if (row.contact_id) await reportFailingAddress(ctx, row.contact_id, reason);
    marked++;
  }
  log.info({ originalMessageId: dsn.originalMessageId, recipients: dsn.recipients.length, marked }, 'delivery status notification taken');
  return `OK: ${marked} failed address(es) recorded`;
}
