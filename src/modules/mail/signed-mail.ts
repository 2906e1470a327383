import type { Ctx } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import type { Mailer } from './mailer.ts';
import type { MailMessage } from './mail.types.ts';
import { mailHandler, messageIdFor, queueMail, type OutboxHandler } from './outbox.service.ts';
import { alternativeEntity, encodeHeaderValue, formatAddress, message } from '#modules/distribution/mime.ts';
import { encryptBody, signBody, usableForEncryption } from '#modules/distribution/pgp-mime.ts';

/**
 * Single mails the CERT signs (request answers, alert reminders): built whole inside the
 * transaction that causes them, PGP/MIME signed with the CERT key (RFC 3156) and encrypted to the
 * recipient's key where there is a usable one, then queued in the outbox as a raw message. The
 * Message-ID in the mail is the one the outbox row carries, so replies thread and a retried row is
 * the same mail. Bulk product mail signs once per body instead (distribution/dispatch.ts).
 */

export interface RawMailPayload extends MailMessage {
  /** The complete RFC 5322 message (signed, maybe encrypted); the plain fields are its fallback. */
  raw: string;
  envelopeFrom: string;
}

export interface SignedMail {
  /** The outbox key; also makes the Message-ID. */
  key: string;
  to: string;
  toName: string | null;
  subject: string;
  /** The text (also rendered to the HTML part by the caller, when it gives one). */
  text: string;
  html: string | null;
  /** Content-Language of the body, e.g. "nl" or "nl, en". */
  language: string;
  /** Headers after the standard ones (Reply-To, In-Reply-To, X-…). */
  headers: [string, string][];
  /** The recipient's key as stored; used when it can still encrypt. */
  encryptTo: { fingerprint: string; armored: string } | null;
  /** The policy wants this mail encrypted: without a usable key it is not queued. */
  requireEncryption: boolean;
  /** What a worker that cannot send raw mail would send instead: never the plaintext of an encrypted mail. */
  fallbackText: string;
}

export type SignedMailOutcome = { queued: true; messageId: string; signed: boolean; encrypted: boolean } | { queued: false; reason: 'no_usable_key' };

/** "Name <address>" or a bare address, as MAIL_FROM holds it. */
export function parseMailbox(from: string): { name: string | null; address: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return m ? { name: m[1]!.trim() || null, address: m[2]!.trim() } : { name: null, address: from.trim() };
}

export async function queueSignedMail(ctx: Ctx, m: SignedMail): Promise<SignedMailOutcome> {
  const config = ctx.services.config;
  const key = m.encryptTo && (await usableForEncryption(m.encryptTo.fingerprint, m.encryptTo.armored)) ? m.encryptTo : null;
  if (m.requireEncryption && !key) return { queued: false, reason: 'no_usable_key' };
  const sender = parseMailbox(config.mailFrom);
  const messageId = messageIdFor(ctx, m.key);
  let entity = alternativeEntity(m.text, m.html ?? '', m.language);
  let signed = false;
  let encrypted = false;
  try {
    const body = await signBody(ctx, entity);
    entity = body.entity;
    signed = true;
    if (key) {
      entity = await encryptBody(body, key, messageId);
      encrypted = true;
    }
  } catch (err) {
    // Without a CERT key (being rotated) a mail that need not be encrypted still goes out, unsigned;
    // one that must be encrypted waits for the key. The operator sees why in the log.
    if (!(err instanceof AppError && err.code === 'signing_key_missing') || m.requireEncryption) throw err;
    ctx.services.log.warn({ key: m.key }, 'mail sent unsigned: the CERT has no active OpenPGP key');
  }
  const raw = message(
    [
      ['From', formatAddress(sender.name, sender.address)],
      ['To', formatAddress(m.toName, m.to)],
      ['Subject', encodeHeaderValue(m.subject)],
      ['Date', new Date().toUTCString().replace('GMT', '+0000')],
      ['Message-ID', messageId],
      ...m.headers,
    ],
    entity,
  );
  const payload: Omit<RawMailPayload, 'messageId'> = {
    to: m.to,
    subject: m.subject,
    text: encrypted ? m.fallbackText : m.text,
    headers: Object.fromEntries(m.headers.filter(([name]) => !name.startsWith('X-'))),
    raw,
    envelopeFrom: sender.address,
  };
  await queueMail(ctx, m.key, payload);
  return { queued: true, messageId, signed, encrypted };
}

/**
 * The outbox handler for 'mail' rows: a row with a raw (signed) message is sent as built; every
 * other mail row goes through the plain handler unchanged. boot.ts installs it.
 */
export function rawAwareMailHandler(mailer: Mailer): OutboxHandler {
  const plain = mailHandler(mailer);
  return {
    async send(ctx, row) {
      const p = row.payload;
      if (typeof p.raw === 'string' && typeof p.to === 'string' && typeof p.envelopeFrom === 'string') {
        await mailer.sendRaw({ from: p.envelopeFrom, to: p.to }, p.raw);
        return;
      }
      await plain.send(ctx, row);
    },
  };
}
