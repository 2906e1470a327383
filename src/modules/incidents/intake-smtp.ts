import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError, type SMTPServerSession } from 'smtp-server';
import { systemContext, type Services } from '#server/context.ts';
import { AppError, type ErrorKind } from '#server/errors.ts';
import { openCaseFromMail } from './case.service.ts';

/**
 * Incident reports by mail: an SMTP endpoint the intake address's MX (or a forward) delivers to.
 * A mail is answered 250 only after its case is committed, so a crash or a database outage before
 * that leaves the mail with the sending server, which retries; the Message-ID keeps a retry from
 * opening a second case.
 */

/** What common mail providers accept: a report with screenshots fits; disk images go to evidence upload. */
export const INTAKE_MAX_BYTES = 25 * 1024 * 1024;

export interface IncidentIntake {
  port: number;
  close(): Promise<void>;
}

export interface IntakeOptions {
  /** The largest mail taken, in bytes (tests use a small one). */
  maxBytes?: number;
}

/** Case service refusals a retry cannot change: the sender gets a bounce with the reason instead of retrying for days. */
const PERMANENT_KINDS: ReadonlySet<ErrorKind> = new Set(['bad_request', 'forbidden', 'payload_too_large', 'unsupported_media_type']);

export async function startIncidentIntake(services: Services, options: IntakeOptions = {}): Promise<IncidentIntake> {
  const { config } = services;
  const port = config.incidents.intakeSmtpPort;
  if (port === undefined) throw new Error('INCIDENT_INTAKE_SMTP_PORT is not set: the incident intake has no port to listen on.');
  const intakeAddress = config.incidents.intakeAddress;
  const maxBytes = options.maxBytes ?? INTAKE_MAX_BYTES;
  const log = services.log.child({ component: 'incident-intake' });
  // Mails whose case is still being opened: close() waits for them, so the database outlives them.
  const inFlight = new Set<Promise<unknown>>();

  const server = new SMTPServer({
    banner: 'Wachtpost incident intake',
    size: maxBytes,
    // A receiving endpoint like an MX: anyone may deliver, but only to the intake address.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    // smtp-server logs every command at info; the intake logs what it did with each mail instead.
    logger: false,
    maxClients: 50,
    onRcptTo(address, session, callback) {
      if (address.address.trim().toLowerCase() === intakeAddress) return callback();
      log.info({ session: session.id, remote: session.remoteAddress, recipient: address.address }, 'incident intake refused a recipient');
      callback(smtpError(550, `This server only takes incident reports for <${intakeAddress}>; <${address.address}> is not served here.`));
    },
    onData(stream, session, callback) {
      const receivedAt = new Date();
      const work = readMessage(stream, maxBytes)
        .then((raw) => takeReport(services, raw, session, receivedAt))
        .then(
          (reply) => callback(null, reply),
          (err: unknown) => callback(toSmtpError(err, session, log)),
        );
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
  });
  // Without a listener a client's reset connection would be an unhandled 'error' and end the process.
  server.on('error', (err: Error) => log.warn({ err }, 'incident intake connection error'));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, config.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.server.address() as AddressInfo).port;
  log.info({ host: config.host, port: bound, address: intakeAddress }, `incident intake listening on ${config.host}:${bound} for <${intakeAddress}>`);

  return {
    port: bound,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** A rejected promise carries the SMTP reply: 552 for an oversize mail, which is refused whole. */
function readMessage(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      // Keep reading an oversize mail to its end (the protocol requires it), but stop keeping it.
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => {
      if (stream.sizeExceeded)
        reject(
          smtpError(552, `The report is larger than the ${maxBytes} bytes this address takes; send large files through the portal once the case is open.`),
        );
      else resolve(Buffer.concat(chunks));
    });
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

  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  if (isAutomaticReply(parsed, envelopeFrom)) {
    // Bounces and out-of-office answers are no reports, and acknowledging them could start a mail loop.
    log.info({ messageId: parsed.messageId ?? null, envelopeFrom }, 'incident intake ignored an automatic reply');
    return 'OK: automatic replies are not taken as reports';
  }

  // The From header names the reporter; the envelope sender is often a list or forwarding address.
  const from = parsed.from?.value.find((a) => a.address);
  const fromAddress = (from?.address ?? envelopeFrom).trim().toLowerCase();
  if (!fromAddress) throw smtpError(554, 'A report needs a sender address to be answered.');

  const result = await openCaseFromMail(systemContext(services, 'incident-intake'), {
    fromAddress,
    fromName: from?.name.trim() || null,
    subject: (parsed.subject ?? '').trim(),
    text: bodyText(parsed),
    messageId: parsed.messageId ?? fallbackMessageId(raw),
    receivedAt,
  });
  log.info(
    { caseId: result.id, reference: result.reference, created: result.created, messageId: parsed.messageId ?? null, attachments: parsed.attachments.length },
    result.created ? `incident reported by mail: ${result.reference}` : `mail already taken as ${result.reference}`,
  );
  // The reference stays out of the reply: the connecting server is not necessarily the reporter.
  return 'OK: report received';
}

function isAutomaticReply(parsed: ParsedMail, envelopeFrom: string): boolean {
  // RFC 5321: the null sender marks delivery status notifications.
  if (envelopeFrom === '') return true;
  // RFC 3834: only auto-replied; auto-generated mail (a participant's SIEM) is a report like any other.
  const auto = parsed.headers.get('auto-submitted');
  return typeof auto === 'string' && auto.trim().toLowerCase().startsWith('auto-replied');
}

/** The text part, or the HTML as text (mailparser converts it when there is no text part). */
function bodyText(parsed: ParsedMail): string {
  const text = parsed.text?.trim() ?? '';
  if (text || typeof parsed.html !== 'string') return text;
  // mailparser leaves the text empty for HTML it declines to convert (too long or too deeply
  // nested); tag-stripping keeps the words of the report rather than nothing.
  return parsed.html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Without a Message-ID, a sending server's retry carries the same bytes: their hash identifies the mail. */
function fallbackMessageId(raw: Buffer): string {
  return `<sha256-${createHash('sha256').update(raw).digest('hex')}@incident-intake.invalid>`;
}

function smtpError(code: number, message: string): SMTPServerError {
  const err: SMTPServerError = new Error(message);
  err.responseCode = code;
  return err;
}

function toSmtpError(err: unknown, session: SMTPServerSession, log: Services['log']): SMTPServerError {
  if (err instanceof Error && typeof (err as SMTPServerError).responseCode === 'number') return err;
  if (err instanceof AppError && PERMANENT_KINDS.has(err.kind)) {
    log.info({ session: session.id, code: err.code }, 'incident intake refused a report');
    return smtpError(554, err.message);
  }
  // Anything else (the database, a bug) is ours: 451 keeps the mail with the sender, who retries.
  log.error({ err, session: session.id }, 'incident intake failed to take a report');
  return smtpError(451, 'The report could not be stored just now; please try again later.');
}
