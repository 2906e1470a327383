import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { MailMessage } from './mail.types.ts';

export interface Mailer {
  readonly mode: 'smtp' | 'log';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP when SMTP_URL is set; otherwise every mail is written to the log, so a demo shows what would
 * have been sent (and says so at start).
 */
export function createMailer(smtpUrl: string | undefined, from: string, log: Logger): Mailer {
  if (!smtpUrl) {
    return {
      mode: 'log',
      async send(m) {
        log.info({ mail: { to: m.to, subject: m.subject, messageId: m.messageId } }, `mail (not sent, no SMTP_URL):\n${m.text}`);
      },
      close() {},
    };
  }
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    mode: 'smtp',
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers });
    },
    close() {
      transport.close();
    },
  };
}
