import type { Ctx } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import { renderMarkdown } from '#lib/markdown.ts';
import type { Mailer } from '#modules/mail/mailer.ts';
import type { MailMessage } from '#modules/mail/mail.types.ts';
import { mailHandler, messageIdFor, queueMail, type OutboxHandler } from '#modules/mail/outbox.service.ts';
import { alternativeEntity, encodeHeaderValue, formatAddress, message } from '#modules/distribution/mime.ts';
import { encryptBody, signBody, usableForEncryption } from '#modules/distribution/pgp-mime.ts';
import * as repo from './request.repository.ts';

/**
 * Mail out of a request: the CERT's answers and the acknowledgement of a portal question. Each is
 * PGP/MIME signed with the CERT key (and encrypted when the asker is a contact with a usable key),
 * built whole inside the transaction that records the answer, and queued in the outbox as a raw
 * message: the Message-ID stored on the answer is the one in the mail, so the asker's reply threads.
 */

export interface RequestMailPayload extends MailMessage {
  /** The complete RFC 5322 message (signed, maybe encrypted); the plain fields are its fallback. */
  raw: string;
  envelopeFrom: string;
}

/** "[REQ-2026-0001#token] subject": the token lets a reply that lost its headers thread anyway. */
export function requestSubject(reference: string, token: string, subject: string): string {
  return `[${reference}#${token}] ${subject}`;
}

/** The reference and token a subject carries, if any. */
export function subjectToken(subject: string): { reference: string; token: string } | null {
  const m = /\[(REQ-\d{4}-\d{4,})#([A-Za-z0-9_-]{8,64})\]/.exec(subject);
  return m ? { reference: m[1]!, token: m[2]! } : null;
}

function parseMailbox(from: string): { name: string | null; address: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return m ? { name: m[1]!.trim() || null, address: m[2]!.trim() } : { name: null, address: from.trim() };
}

export interface OutgoingRequestMail {
  request: {
    id: string;
    organisation_id: string;
    reference: string;
    mail_token: string;
    subject: string;
    asker_email: string | null;
    asker_name: string | null;
    language: 'nl' | 'en';
  };
  /** The outbox key; also makes the Message-ID. */
  key: string;
  text: string;
  /** Message-IDs this mail answers (In-Reply-To: the last; References: all). */
  thread: string[];
}

/** Queues one mail to the asker; returns the Message-ID it carries (null when there is no address). */
export async function queueRequestMail(ctx: Ctx, m: OutgoingRequestMail): Promise<string | null> {
  const to = m.request.asker_email;
  if (!to) return null;
  const config = ctx.services.config;
  const sender = parseMailbox(config.mailFrom);
  const messageId = messageIdFor(ctx, m.key);
  const subject = requestSubject(m.request.reference, m.request.mail_token, m.request.subject);
  const threadHeaders: [string, string][] = [];
  const last = m.thread.at(-1);
  if (last) threadHeaders.push(['In-Reply-To', last], ['References', m.thread.join(' ')]);

  let entity = alternativeEntity(m.text, renderMarkdown(m.text), m.request.language);
  let signed = false;
  let encrypted = false;
  try {
    const body = await signBody(ctx, entity);
    entity = body.entity;
    signed = true;
    const key = await repo.contactKey(ctx.db, m.request.organisation_id, to);
    if (key?.pgp_public_key && key.pgp_fingerprint && (await usableForEncryption(key.pgp_fingerprint, key.pgp_public_key))) {
      entity = await encryptBody(body, { fingerprint: key.pgp_fingerprint, armored: key.pgp_public_key }, messageId);
      encrypted = true;
    }
  } catch (err) {
    // Without a CERT key the answer still goes out (unsigned): a question must not go unanswered
    // because the key is being rotated. The operator sees why in the log.
    if (!(err instanceof AppError && err.code === 'signing_key_missing')) throw err;
    ctx.services.log.warn({ reference: m.request.reference }, 'request mail sent unsigned: the CERT has no active OpenPGP key');
  }
  const raw = message(
    [
      ['From', formatAddress(sender.name, sender.address)],
      ['Reply-To', formatAddress(sender.name, config.requests.intakeAddress)],
      ['To', formatAddress(m.request.asker_name, to)],
      ['Subject', encodeHeaderValue(subject)],
      ['Date', new Date().toUTCString().replace('GMT', '+0000')],
      ['Message-ID', messageId],
      ...threadHeaders,
      ['Auto-Submitted', 'no'],
      ['X-Wachtpost-Request', m.request.reference],
    ],
    entity,
  );
  const payload: Omit<RequestMailPayload, 'messageId'> = {
    to,
    subject,
    // The fallback, for a worker that does not know raw mail: never the plaintext of an encrypted answer.
    text: encrypted ? `${m.request.reference}: the answer is in the portal (${config.publicUrl}/requests/${m.request.id}).` : m.text,
    headers: Object.fromEntries([['Reply-To', config.requests.intakeAddress], ...threadHeaders]),
    raw,
    envelopeFrom: sender.address,
  };
  await queueMail(ctx, m.key, payload);
  ctx.services.log.debug({ reference: m.request.reference, signed, encrypted }, 'request mail queued');
  return messageId;
}

/**
 * The outbox handler for 'mail' rows that also sends the raw (signed) mail of a request as built;
 * every other mail row goes through the plain handler unchanged. boot.ts installs it.
 */
export function requestAwareMailHandler(mailer: Mailer): OutboxHandler {
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
