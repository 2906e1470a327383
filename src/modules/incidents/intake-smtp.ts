import { simpleParser, type ParsedMail } from 'mailparser';
import type { SMTPServerSession } from 'smtp-server';
import { systemContext, type Services } from '#server/context.ts';
import { bodyText, envelopeSender, fallbackMessageId, isAutomaticReply, smtpError, startSmtpIntake, type SmtpIntake } from '#modules/mail/smtp-intake.ts';
import { openCaseFromMail } from './case.service.ts';
import { discardMailAttachments, storeMailAttachments } from './mailed-evidence.ts';

/**
 * Incident reports by mail: an SMTP endpoint the intake address's MX (or a forward) delivers to.
 * A mail is answered 250 only after its case is committed, so a crash or a database outage before
 * that leaves the mail with the sending server, which retries; the Message-ID keeps a retry from
 * opening a second case. The SMTP side is the shared endpoint in mail/smtp-intake.ts.
 */

/** What common mail providers accept: a report with screenshots fits; disk images go to evidence upload. */
export const INTAKE_MAX_BYTES = 25 * 1024 * 1024;

export type IncidentIntake = SmtpIntake;

export interface IntakeOptions {
  /** The largest mail taken, in bytes (tests use a small one). */
  maxBytes?: number;
}

export async function startIncidentIntake(services: Services, options: IntakeOptions = {}): Promise<IncidentIntake> {
  const port = services.config.incidents.intakeSmtpPort;
  if (port === undefined) throw new Error('INCIDENT_INTAKE_SMTP_PORT is not set: the incident intake has no port to listen on.');
  return startSmtpIntake(services, {
    banner: 'Wachtpost incident intake',
    name: 'incident intake',
    component: 'incident-intake',
    port,
    address: services.config.incidents.intakeAddress,
    takes: 'incident reports',
    maxBytes: options.maxBytes ?? INTAKE_MAX_BYTES,
    tooLargeHint: 'send large files through the portal once the case is open.',
    take: (raw, session, receivedAt) => takeReport(services, raw, session, receivedAt),
  });
}

/** Parses one mail and opens (or finds) its case; resolves with the text of the 250 reply. */
async function takeReport(services: Services, raw: Buffer, session: SMTPServerSession, receivedAt: Date): Promise<string> {
  const log = services.log.child({ component: 'incident-intake', session: session.id });
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (err) {
    // The same bytes fail the same way on every retry: bounce instead of a retry loop.
    log.warn({ err }, 'incident intake could not parse a mail');
    throw smtpError(554, 'The message could not be read as a mail.');
  }

  const envelopeFrom = envelopeSender(session);
  if (isAutomaticReply(parsed, envelopeFrom)) {
    log.info({ messageId: parsed.messageId ?? null, envelopeFrom }, 'incident intake ignored an automatic reply');
    return 'OK: automatic replies are not taken as reports';
  }

  // The From header names the reporter; the envelope sender is often a list or forwarding address.
  const from = parsed.from?.value.find((a) => a.address);
  const fromAddress = (from?.address ?? envelopeFrom).trim().toLowerCase();
  if (!fromAddress) throw smtpError(554, 'A report needs a sender address to be answered.');

  // Attachments are evidence: stored before the case's transaction, removed again if it is not a new case.
  const files = await storeMailAttachments(services, parsed.attachments);
  let result: Awaited<ReturnType<typeof openCaseFromMail>>;
  try {
    result = await openCaseFromMail(systemContext(services, 'incident-intake'), {
      fromAddress,
      fromName: from?.name.trim() || null,
      subject: (parsed.subject ?? '').trim(),
      text: bodyText(parsed),
      messageId: parsed.messageId ?? fallbackMessageId(raw, 'incident-intake'),
      receivedAt,
      files,
    });
  } catch (err) {
    await discardMailAttachments(services, files);
    throw err;
  }
  if (!result.created) await discardMailAttachments(services, files);
  log.info(
    { caseId: result.id, reference: result.reference, created: result.created, messageId: parsed.messageId ?? null, attachments: files.length },
    result.created ? `incident reported by mail: ${result.reference}` : `mail already taken as ${result.reference}`,
  );
  // The reference stays out of the reply: the connecting server is not necessarily the reporter.
  return 'OK: report received';
}
