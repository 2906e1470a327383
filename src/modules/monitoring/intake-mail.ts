import { Readable } from 'node:stream';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import type { SMTPServerSession } from 'smtp-server';
import { record } from '#modules/audit/audit.service.ts';
import { envelopeSender, fallbackMessageId, isAutomaticReply, smtpError, startSmtpIntake, type SmtpIntake } from '#modules/mail/smtp-intake.ts';
import { inTransaction, systemContext, type Ctx, type Services } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import * as repo from './report.repository.ts';
import { ingestReport } from './report.service.ts';

/**
 * Monitoring reports by mail to the monitoring address (MONITORING_INTAKE_SMTP_PORT): Shadowserver
 * mails its reports as CSV attachments, and each becomes one report through the same ingestReport
 * as an upload. Only senders on MONITORING_INTAKE_SENDERS are taken (550 for others; an empty list
 * takes any). Reading a report commits batch by batch, so the mail is marked taken only after its
 * last attachment: 250 comes after that mark, a retry of a mail cut short reads it again (findings
 * merge), and a retry or copy of a finished one reads nothing.
 */

/** A Shadowserver report of a few hundred thousand rows, base64-encoded, fits; larger ones go through upload or the watched folder. */
export const MONITORING_INTAKE_MAX_BYTES = 40 * 1024 * 1024;

export interface MonitoringIntakeOptions {
  /** The largest mail taken, in bytes (tests use a small one). */
  maxBytes?: number;
}

export async function startMonitoringIntake(services: Services, options: MonitoringIntakeOptions = {}): Promise<SmtpIntake> {
  const { intakeSmtpPort: port, intakeAddress } = services.config.monitoring;
  if (port === undefined) throw new Error('MONITORING_INTAKE_SMTP_PORT is not set: the monitoring intake has no port to listen on.');
  // Copies of one mail delivered at the same time (two MX paths) are read one after the other, so the
  // second finds the first marked taken. One process holds the port, so this process sees them all.
  const taking = new Map<string, Promise<unknown>>();
  return startSmtpIntake(services, {
    banner: 'Wachtpost monitoring intake',
    name: 'monitoring intake',
    component: 'monitoring-intake',
    port,
    address: intakeAddress,
    takes: 'monitoring reports',
    maxBytes: options.maxBytes ?? MONITORING_INTAKE_MAX_BYTES,
    tooLargeHint: 'upload large reports in the portal or drop them in the watched folder.',
    take: (raw, session) => takeMail(services, raw, session, taking),
  });
}

/** A CSV attachment as the mail carried it. */
export interface ReportFile {
  fileName: string;
  content: Buffer;
}

export interface ReportMail {
  messageId: string;
  /** The sender the report keeps: the From address, or the envelope sender without one. */
  from: string;
  subject: string;
  files: ReportFile[];
}

export interface TakenFile {
  fileName: string;
  /** The report made of it; null for an unreadable file (whose report, of type 'unreadable', has the mail's Message-ID). */
  reportId: string | null;
  readable: boolean;
  detail: string;
}

async function takeMail(services: Services, raw: Buffer, session: SMTPServerSession, taking: Map<string, Promise<unknown>>): Promise<string> {
  const log = services.log.child({ component: 'monitoring-intake', session: session.id });
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (err) {
    // The same bytes fail the same way on every retry: bounce instead of a retry loop.
    log.warn({ err }, 'monitoring intake could not parse a mail');
    throw smtpError(554, 'The message could not be read as a mail.');
  }

  const envelopeFrom = envelopeSender(session);
  const fromAddress = (parsed.from?.value.find((a) => a.address)?.address ?? '').trim().toLowerCase();
  if (isAutomaticReply(parsed, envelopeFrom) || [fromAddress, envelopeFrom].some((a) => /^mailer-daemon@/i.test(a))) {
    log.info({ messageId: parsed.messageId ?? null, envelopeFrom }, 'monitoring intake ignored an automatic reply');
    return 'OK: automatic replies are not taken as reports';
  }

  const allowed = services.config.monitoring.intakeSenders;
  const from = fromAddress || envelopeFrom.trim().toLowerCase();
  if (![fromAddress, envelopeFrom].some((a) => senderAllowed(allowed, a))) {
    log.info({ messageId: parsed.messageId ?? null, from, envelopeFrom }, 'monitoring intake refused a sender');
    throw smtpError(550, `This address takes monitoring reports only from the senders the CERT has set up; <${from}> is not one of them.`);
  }

  const { files, skipped } = csvAttachments(parsed.attachments);
  if (!files.length) {
    log.info({ messageId: parsed.messageId ?? null, from, skipped }, 'monitoring intake refused a mail without a CSV report');
    throw smtpError(
      550,
      skipped.length
        ? `No CSV report in this mail: compressed or other attachments (${skipped.join(', ').slice(0, 200)}) are not read; attach the reports as plain .csv files.`
        : 'No CSV report in this mail: this address takes Shadowserver reports as .csv attachments.',
    );
  }

  const mail: ReportMail = {
    messageId: parsed.messageId ?? fallbackMessageId(raw, 'monitoring-intake'),
    from,
    subject: (parsed.subject ?? '').trim().slice(0, 500),
    files,
  };
  // Wait for a copy of this mail being read right now; then this one finds it taken.
  for (let busy = taking.get(mail.messageId); busy; busy = taking.get(mail.messageId)) await busy.catch(() => undefined);
  const work = takeReportMail(systemContext(services, 'monitoring-intake'), mail);
  taking.set(mail.messageId, work);
  let taken: Awaited<typeof work>;
  try {
    taken = await work;
  } finally {
    taking.delete(mail.messageId);
  }
  log.info(
    { messageId: mail.messageId, from, files: taken.files, skipped, duplicate: taken.duplicate },
    taken.duplicate ? 'monitoring intake: mail already taken' : 'monitoring intake took a mail',
  );
  if (taken.duplicate) return 'OK: already taken';
  const unreadable = taken.files.filter((f) => !f.readable).length;
  return `OK: ${taken.files.length} report(s) taken${unreadable ? `, ${unreadable} of them unreadable` : ''}`;
}

/**
 * Reads each CSV of a mail into a report, unless the mail was taken before. An unreadable file is
 * recorded as such (a report of type 'unreadable', the error on the source) and the others are read
 * still; only a failure of ours (the database) stops the mail, which is then not marked taken.
 */
export async function takeReportMail(ctx: Ctx, mail: ReportMail): Promise<{ duplicate: boolean; files: TakenFile[] }> {
  if (await repo.mailTaken(ctx.db, mail.messageId)) return { duplicate: true, files: [] };
  const files: TakenFile[] = [];
  for (const file of mail.files) {
    try {
      const r = await ingestReport(ctx, {
        format: 'shadowserver',
        fileName: file.fileName,
        content: Readable.from([file.content]),
        via: 'mail',
        mail: { from: mail.from, messageId: mail.messageId },
      });
      files.push({ fileName: file.fileName, reportId: r.id, readable: true, detail: `${r.reportType}: ${r.rowsTotal} rows, ${r.findingsNew} new findings` });
    } catch (err) {
      if (!(err instanceof AppError && err.kind === 'bad_request')) throw err;
      files.push({ fileName: file.fileName, reportId: null, readable: false, detail: err.message });
    }
  }
  await inTransaction(ctx, async (tx) => {
    await repo.markMailTaken(tx.db, { messageId: mail.messageId, from: mail.from, subject: mail.subject, reports: files.length });
    await record(tx, {
      action: 'monitoring.report_mail.taken',
      targetType: 'monitoring_report_mail',
      targetId: null,
      details: { messageId: mail.messageId, from: mail.from, subject: mail.subject, files },
    });
  });
  return { duplicate: false, files };
}

/** An address or domain on the list (a domain with its subdomains); an empty list takes any sender. */
export function senderAllowed(allowed: readonly string[], address: string): boolean {
  if (!allowed.length) return true;
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 1) return false;
  const domain = a.slice(at + 1);
  return allowed.some((entry) => (entry.includes('@') ? entry === a : domain === entry || domain.endsWith(`.${entry}`)));
}

const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/comma-separated-values']);

/** The CSV attachments (by name, or by type for a nameless one), and the names of the attachments not read. */
export function csvAttachments(attachments: readonly Attachment[]): { files: ReportFile[]; skipped: string[] } {
  const files: ReportFile[] = [];
  const skipped: string[] = [];
  attachments.forEach((a, i) => {
    const name = (a.filename ?? '').trim();
    if (/\.csv$/i.test(name)) files.push({ fileName: name, content: a.content });
    else if (!name && CSV_TYPES.has(a.contentType.toLowerCase())) files.push({ fileName: `attachment-${i + 1}.csv`, content: a.content });
    // An inline part without a name (a logo, the HTML body's images) is not a report anyone sent.
    else if (name) skipped.push(name);
  });
  return { files, skipped };
}
