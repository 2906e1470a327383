import type { Ctx } from '#server/context.ts';
import { renderMarkdown } from '#lib/markdown.ts';
import { parseMailbox, queueSignedMail } from '#modules/mail/signed-mail.ts';
import { formatAddress } from '#modules/distribution/mime.ts';
import * as repo from './request.repository.ts';

/**
 * Mail out of a request: the CERT's answers and the acknowledgement of a portal question. Each is
 * PGP/MIME signed with the CERT key (and encrypted when the asker is a contact with a usable key),
 * built whole inside the transaction that records the answer, and queued in the outbox as a raw
 * message: the Message-ID stored on the answer is the one in the mail, so the asker's reply threads.
 */

/** "[REQ-2026-0001#token] subject": the token lets a reply that lost its headers thread anyway. */
export function requestSubject(reference: string, token: string, subject: string): string {
  return `[${reference}#${token}] ${subject}`;
}

/** The reference and token a subject carries, if any. */
export function subjectToken(subject: string): { reference: string; token: string } | null {
  const m = /\[(REQ-\d{4}-\d{4,})#([A-Za-z0-9_-]{8,64})\]/.exec(subject);
  return m ? { reference: m[1]!, token: m[2]! } : null;
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
  const threadHeaders: [string, string][] = [];
  const last = m.thread.at(-1);
  if (last) threadHeaders.push(['In-Reply-To', last], ['References', m.thread.join(' ')]);
  const key = await repo.contactKey(ctx.db, m.request.organisation_id, to);
  const outcome = await queueSignedMail(ctx, {
    key: m.key,
    to,
    toName: m.request.asker_name,
    subject: requestSubject(m.request.reference, m.request.mail_token, m.request.subject),
    text: m.text,
    html: renderMarkdown(m.text),
    language: m.request.language,
    headers: [['Reply-To', formatAddress(sender.name, config.requests.intakeAddress)], ...threadHeaders, ['Auto-Submitted', 'no'], ['X-Wachtpost-Request', m.request.reference]],
    encryptTo: key?.pgp_public_key && key.pgp_fingerprint ? { fingerprint: key.pgp_fingerprint, armored: key.pgp_public_key } : null,
    requireEncryption: false,
    fallbackText: `${m.request.reference}: the answer is in the portal (${config.publicUrl}/requests/${m.request.id}).`,
  });
  if (!outcome.queued) return null;
  ctx.services.log.debug({ reference: m.request.reference, signed: outcome.signed, encrypted: outcome.encrypted }, 'request mail queued');
  return outcome.messageId;
}

