import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { MailMessage } from './mail.types.ts';

export interface Envelope {
  /** The envelope sender: where bounces go. */
  from: string;
  to: string;
}

export interface Mailer {
  readonly mode: 'smtp' | 'log';
  send(message: MailMessage): Promise<void>;
  /** A complete RFC 5322 message, as built (and signed) by the caller: not one byte is changed. */
  sendRaw(envelope: Envelope, raw: string): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** Parallel SMTP connections (a pool): mail to many recipients is not sent one after another. */
  maxConnections?: number;
  /** How long one SMTP command may take before the attempt counts as failed and is retried. */
  socketTimeoutMs?: number;
}

/** An SMTP reply in the 5xx range: the server will never take this mail; retrying is pointless. */
export function isPermanentSmtpFailure(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** The Message-ID header of a raw message (searched in its header block only). */
function messageIdOf(raw: string): string | undefined {
  const end = raw.indexOf('\r\n\r\n');
  return /^Message-ID:[ \t]*(<[^>\r\n]+>)/im.exec(end < 0 ? raw : raw.slice(0, end))?.[1];
}

/**
 * SMTP when SMTP_URL is set (smtp:// upgrades with STARTTLS when offered, smtps:// is TLS from the
 * start, user:password@ authenticates); otherwise every mail is written to the log, so a demo shows
 * what would have been sent (and says so at start).
 */
export function createMailer(smtpUrl: string | undefined, from: string, log: Logger, options: MailerOptions = {}): Mailer {
  if (!smtpUrl) {
    return {
      mode: 'log',
      async send(m) {
        log.info({ mail: { to: m.to, subject: m.subject, messageId: m.messageId } }, `mail (not sent, no SMTP_URL):\n${m.text}`);
      },
      async sendRaw(envelope, raw) {
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';
        log.info({ mail: { to: envelope.to, subject, bytes: raw.length } }, 'mail (not sent, no SMTP_URL)');
      },
      close() {},
    };
  }
  const transport: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: options.maxConnections ?? 4,
    maxMessages: Infinity,
    connectionTimeout: 30_000,
    greetingTimeout: 60_000,
    // A slow server (30 s per command) still delivers; a dead connection fails within two minutes.
    socketTimeout: options.socketTimeoutMs ?? 120_000,
  });
  return {
    mode: 'smtp',
    async send(m) {
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        headers: m.headers,
        attachments: m.attachments,
      });
    },
    async sendRaw(envelope, raw) {
      // The raw message has its Message-ID; passing it on spares nodemailer making up a random one
      // for its log (two randomBytes calls a mail). The bytes sent are the same either way.
      await transport.sendMail({ envelope: { from: envelope.from, to: [envelope.to] }, raw, messageId: messageIdOf(raw) });
    },
    close() {
      transport.close();
    },
  };
}
