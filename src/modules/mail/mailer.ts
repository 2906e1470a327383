import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { MailMessage } from './mail.types.ts';
import { RawSmtpPool } from './raw-smtp-pool.ts';

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
  const timeouts = {
    connectionTimeout: 30_000,
    greetingTimeout: 60_000,
    // A slow server (30 s per command) still delivers; a dead connection fails within two minutes.
    socketTimeout: options.socketTimeoutMs ?? 120_000,
  };
  const maxConnections = options.maxConnections ?? 4;
  const transport: Transporter = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections, maxMessages: Infinity, ...timeouts });
  // Messages that are complete already (signed, encrypted) skip nodemailer's composing: see raw-smtp-pool.ts.
  const rawPool = new RawSmtpPool({ url: smtpUrl, maxConnections, ...timeouts });
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
    sendRaw(envelope, raw) {
      return rawPool.send(envelope, raw);
    },
    close() {
      transport.close();
      rawPool.close();
    },
  };
}
