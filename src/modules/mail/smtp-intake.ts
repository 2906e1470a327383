import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError, type SMTPServerSession } from 'smtp-server';
import type { Services } from '#server/context.ts';
import { AppError, type ErrorKind } from '#server/errors.ts';

/**
 * A receiving SMTP endpoint for one address, the way an MX (or a forward) delivers to it: the
 * incident intake and the CVD intake are both one of these with their own `take`. A mail is
 * answered 250 only after `take` resolves, so a crash or a database outage before then leaves the
 * mail with the sending server, which retries; `take` must make a retry harmless (a Message-ID).
 */

export interface SmtpIntakeOptions {
  /** The greeting, e.g. "Wachtpost incident intake". */
  banner: string;
  /** How the log names this endpoint ("incident intake"); `component` is its log component. */
  name: string;
  component: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The one recipient taken (compared case-insensitively); mail to any other is refused with 550. */
  address: string;
  /** Other recipients this endpoint takes as well (e.g. plus-addresses of `address`). */
  alsoAccepts?: (address: string) => boolean;
  /** What the address takes, for that 550: "incident reports". */
  takes: string;
  /** The largest mail taken, in bytes; a larger one is refused whole with 552. */
  maxBytes: number;
  /** The text of the 552 for an oversize mail (after "larger than N bytes this address takes; "). */
  tooLargeHint: string;
  /**
   * Takes one mail. A string it resolves with is the text of the 250 reply (else "OK"). It rejects
   * with an `smtpError` for a reply of its own, an AppError of a permanent kind for a bounce (554),
   * anything else for 451, so the sender retries.
   */
  take(raw: Buffer, session: SMTPServerSession, receivedAt: Date): Promise<string | void>;
}

export interface SmtpIntake {
  port: number;
  /** Stops listening, then waits for the mails still being taken (so the database outlives them). */
  close(): Promise<void>;
}

/** Refusals a retry cannot change: the sender gets a bounce with the reason instead of retrying for days. */
const PERMANENT_KINDS: ReadonlySet<ErrorKind> = new Set(['bad_request', 'forbidden', 'payload_too_large', 'unsupported_media_type']);

export async function startSmtpIntake(services: Services, options: SmtpIntakeOptions): Promise<SmtpIntake> {
  const { config } = services;
  const address = options.address.trim().toLowerCase();
  const { maxBytes, name } = options;
  const log = services.log.child({ component: options.component });
  // Mails still being taken: close() waits for them.
  const inFlight = new Set<Promise<unknown>>();

  const server = new SMTPServer({
    banner: options.banner,
    size: maxBytes,
    // A receiving endpoint like an MX: anyone may deliver, but only to the one address.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    // smtp-server logs every command at info; `take` logs what it did with each mail instead.
    logger: false,
    maxClients: 50,
    onRcptTo(rcpt, session, callback) {
      const recipient = rcpt.address.trim().toLowerCase();
      if (recipient === address || options.alsoAccepts?.(recipient)) return callback();
      log.info({ session: session.id, remote: session.remoteAddress, recipient: rcpt.address }, `${name} refused a recipient`);
      callback(smtpError(550, `This server only takes ${options.takes} for <${address}>; <${rcpt.address}> is not served here.`));
    },
    onData(stream, session, callback) {
      const receivedAt = new Date();
      const work = readMessage(stream, maxBytes, options.tooLargeHint)
        .then((raw) => options.take(raw, session, receivedAt))
        .then(
          (reply) => callback(null, reply || 'OK'),
          (err: unknown) => callback(toSmtpError(err, session, log, name)),
        );
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
  });
  // Without a listener a client's reset connection would be an unhandled 'error' and end the process.
  server.on('error', (err: Error) => log.warn({ err }, `${name} connection error`));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, config.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.server.address() as AddressInfo).port;
  log.info({ host: config.host, port: bound, address }, `${name} listening on ${config.host}:${bound} for <${address}>`);

  return {
    port: bound,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** A rejected promise carries the SMTP reply: 552 for an oversize mail, which is refused whole. */
function readMessage(stream: SMTPServerDataStream, maxBytes: number, tooLargeHint: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      // Keep reading an oversize mail to its end (the protocol requires it), but stop keeping it.
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => {
      if (stream.sizeExceeded) reject(smtpError(552, `The report is larger than the ${maxBytes} bytes this address takes; ${tooLargeHint}`));
      else resolve(Buffer.concat(chunks));
    });
  });
}

/** An error that `take` rejects with to send exactly this reply. */
export function smtpError(code: number, message: string): SMTPServerError {
  const err: SMTPServerError = new Error(message);
  err.responseCode = code;
  return err;
}

function toSmtpError(err: unknown, session: SMTPServerSession, log: Services['log'], name: string): SMTPServerError {
  if (err instanceof Error && typeof (err as SMTPServerError).responseCode === 'number') return err;
  if (err instanceof AppError && PERMANENT_KINDS.has(err.kind)) {
    log.info({ session: session.id, code: err.code }, `${name} refused a report`);
    return smtpError(554, err.message);
  }
  // Anything else (the database, a bug) is ours: 451 keeps the mail with the sender, who retries.
  log.error({ err, session: session.id }, `${name} failed to take a report`);
  return smtpError(451, 'The report could not be stored just now; please try again later.');
}

// ---------------------------------------------------------------------------------------------
// What every `take` needs from a parsed mail

/** The envelope sender ('' for the null sender of a bounce). */
export function envelopeSender(session: SMTPServerSession): string {
  return session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
}

/** Bounces and out-of-office answers: no reports, and acknowledging them could start a mail loop. */
export function isAutomaticReply(parsed: ParsedMail, envelopeFrom: string): boolean {
  // RFC 5321: the null sender marks delivery status notifications.
  if (envelopeFrom === '') return true;
  // RFC 3834: only auto-replied; auto-generated mail (a participant's SIEM, a scanner) is a report like any other.
  const auto = parsed.headers.get('auto-submitted');
  return typeof auto === 'string' && auto.trim().toLowerCase().startsWith('auto-replied');
}

/** The text part, or the HTML as text (mailparser converts it when there is no text part). */
export function bodyText(parsed: ParsedMail): string {
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
export function fallbackMessageId(raw: Buffer, label: string): string {
  return `<sha256-${createHash('sha256').update(raw).digest('hex')}@${label}.invalid>`;
}
