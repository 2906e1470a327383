import type { PgpStatus } from './request-mail-in-crypto.ts';
import type { ParsedMail } from 'mailparser';
import type { SMTPServerSession } from 'smtp-server';
import { inTransaction, systemContext, type Ctx, type Services } from '#server/context.ts';
import { envelopeSender, fallbackMessageId, isAutomaticReply, smtpError, startSmtpIntake, type SmtpIntake } from '#modules/mail/smtp-intake.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as repo from './request.repository.ts';
import { openRequest, reopen } from './request.service.ts';
import { parseMail, readMail } from './request-mail-in-crypto.ts';
import { queueRequestMail, subjectToken } from './request-mail.ts';

/**
 * Questions by mail to the request address (REQUESTS_INTAKE_SMTP_PORT). Mail in is hostile input:
 * a reply threads into its request (by the Message-IDs we sent, or the token in the subject) only
 * when it comes from a known contact or user of that request's organisation; anything else is held
 * for the CERT to release or discard, and nothing is mailed back to it (no backscatter). A mail is
 * answered 250 only after it is committed; its Message-ID makes a sending server's retry harmless.
 */

export const REQUEST_INTAKE_MAX_BYTES = 10 * 1024 * 1024;

export async function startRequestIntake(services: Services, options: { maxBytes?: number } = {}): Promise<SmtpIntake> {
  const port = services.config.requests.intakeSmtpPort;
  if (port === undefined) throw new Error('REQUESTS_INTAKE_SMTP_PORT is not set: the request intake has no port to listen on.');
  return startSmtpIntake(services, {
    banner: 'Wachtpost request intake',
    name: 'request intake',
    component: 'request-intake',
    port,
    address: services.config.requests.intakeAddress,
    takes: 'questions to the CERT',
    maxBytes: options.maxBytes ?? REQUEST_INTAKE_MAX_BYTES,
    tooLargeHint: 'ask your question in the portal and share large files there.',
    take: (raw, session, receivedAt) => takeMail(services, raw, session, receivedAt),
  });
}

export type TakeOutcome = 'ignored' | 'duplicate' | 'opened' | 'threaded' | 'held';

/** Message-IDs as mailparser gives them ('<id@host>'), from In-Reply-To and References. */
function threadIds(parsed: ParsedMail): string[] {
  const refs = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : parsed.references.split(/\s+/);
  return [...new Set([parsed.inReplyTo ?? '', ...refs].map((s) => s.trim()).filter(Boolean))].slice(0, 100);
}

async function takeMail(services: Services, raw: Buffer, session: SMTPServerSession, receivedAt: Date): Promise<string> {
  const log = services.log.child({ component: 'request-intake', session: session.id });
  let parsed: ParsedMail;
  try {
    parsed = await parseMail(raw);
  } catch (err) {
    log.warn({ err }, 'request intake could not parse a mail');
    throw smtpError(554, 'The message could not be read as a mail.');
  }
  const envelopeFrom = envelopeSender(session);
  const from = parsed.from?.value.find((a) => a.address);
  if (isAutomaticReply(parsed, envelopeFrom) || [from?.address ?? '', envelopeFrom].some((a) => /^mailer-daemon@/i.test(a))) {
    log.info({ messageId: parsed.messageId ?? null }, 'request intake ignored an automatic reply');
    return 'OK: automatic replies are not taken';
  }
  const outcome = await takeParsed(systemContext(services, 'request-intake'), parsed, raw, {
    envelopeFrom,
    fromName: from?.name.trim() || null,
    fromAddress: (from?.address ?? envelopeFrom).trim().toLowerCase(),
    receivedAt,
  });
  log.info({ messageId: parsed.messageId ?? null, outcome }, `request intake: ${outcome}`);
  // Whatever happened, the connecting server learns only that the mail was taken.
  return 'OK: message received';
}

export async function takeParsed(
  ctx: Ctx,
  parsed: ParsedMail,
  raw: Buffer,
  m: { envelopeFrom: string; fromName: string | null; fromAddress: string; receivedAt: Date },
): Promise<TakeOutcome> {
  if (!m.fromAddress) return 'ignored';
  const messageId = parsed.messageId ?? fallbackMessageId(raw, 'request-intake');
  if (await repo.messageIdKnown(ctx.db, messageId)) return 'duplicate';

  const senders = await repo.knownSenders(ctx.db, m.fromAddress);
  const ids = threadIds(parsed);
  let requestId = await repo.requestByMessageIds(ctx.db, ids);
  const token = subjectToken(parsed.subject ?? '');
  if (!requestId && token) requestId = await repo.requestByToken(ctx.db, token.reference, token.token);

  if (requestId) {
    const request = (await repo.findRequest(ctx.db, requestId))!;
    const sender = senders.find((s) => s.organisationId === request.organisation_id);
    const content = await readMail(ctx, parsed, raw, sender?.pgpKey ? [sender.pgpKey] : []);
    // A forged reply (a stranger, a signature that does not verify, or an unsigned mail in the name of a
    // contact who signs with a key on file: the From header alone is easily forged) waits for the CERT.
    const held = !sender || content.pgp === 'bad-signature' || unsignedByKeyHolder(sender.pgpKey, content.pgp);
    await inTransaction(ctx, async (tx) => {
      await repo.insertMessage(tx.db, {
        request_id: requestId,
        kind: 'question',
        channel: 'mail',
        author_user_id: held ? null : (sender?.userId ?? null),
        from_address: m.fromAddress,
        body: content.text || '(empty message)',
        message_id: messageId,
        in_reply_to: parsed.inReplyTo ?? null,
        pgp: content.pgp,
        held,
      });
      if (!held) await reopen(tx, request);
      else await publish(tx, { type: 'request.changed', organisationId: null, data: { id: requestId } });
      await record(tx, {
        action: held ? 'request.mail_held' : 'request.mail_reply',
        targetType: 'info_request',
        targetId: requestId,
        details: { from: m.fromAddress, pgp: content.pgp },
      });
    });
    return held ? 'held' : 'threaded';
  }

  const orgs = [...new Set(senders.map((s) => s.organisationId))];
  const sender = orgs.length === 1 ? senders[0] : undefined;
  const content = await readMail(
    ctx,
    parsed,
    raw,
    senders.map((s) => s.pgpKey).filter((k): k is string => !!k),
  );
  if (!sender || content.pgp === 'bad-signature' || unsignedByKeyHolder(sender.pgpKey, content.pgp)) {
    const reason =
      orgs.length > 1
        ? 'The address belongs to several organisations.'
        : !sender
          ? 'The sender is not a known contact or user of a participant.'
          : content.pgp === 'bad-signature'
            ? 'The signature does not verify.'
            : 'The contact signs with an OpenPGP key on file, and this mail is not signed with it.';
    await inTransaction(ctx, async (tx) => {
      await repo.insertHeldMail(tx.db, {
        messageId,
        from: m.fromAddress,
        subject: content.subject.slice(0, 200) || '(no subject)',
        body: content.text || '(empty message)',
        pgp: content.pgp,
        reason,
      });
      await record(tx, { action: 'request.mail_held', targetType: 'info_request_held_mail', targetId: null, details: { from: m.fromAddress, reason } });
      await publish(tx, { type: 'request.held', organisationId: null, data: {} });
    });
    return 'held';
  }

  await inTransaction(ctx, async (tx) => {
    const opened = await openRequest(tx, {
      organisationId: sender.organisationId,
      askerUserId: sender.userId,
      askerEmail: m.fromAddress,
      askerName: sender.name ?? m.fromName,
      topic: 'E-mail',
      subject: content.subject.slice(0, 200) || '(geen onderwerp)',
      channel: 'mail',
      language: 'nl',
      receivedAt: m.receivedAt,
      question: { body: content.text || '(empty message)', fromAddress: m.fromAddress, messageId, inReplyTo: parsed.inReplyTo ?? null, pgp: content.pgp },
    });
    const row = (await repo.findRequest(tx.db, opened.id))!;
    await queueRequestMail(tx, {
      request: row,
      key: `request-ack:${opened.id}`,
      text: `We hebben uw vraag ontvangen (${opened.reference}). Een specialist van het CERT beantwoordt haar.\n\nWe received your question (${opened.reference}); a specialist of the CERT will answer it.`,
      thread: [messageId],
    });
  });
  return 'opened';
}

/** A contact with a key on file whose mail carries no valid signature by it: possibly someone else using the address. */
function unsignedByKeyHolder(key: string | null | undefined, pgp: PgpStatus): boolean {
  return !!key && pgp !== 'signed' && pgp !== 'encrypted+signed';
}
