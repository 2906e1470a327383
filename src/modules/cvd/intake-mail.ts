import { isIPv4 } from 'node:net';
import { Readable } from 'node:stream';
import { simpleParser, type Attachment, type HeaderValue, type ParsedMail, type StructuredHeader } from 'mailparser';
import { armor, enums } from 'openpgp';
import type { SMTPServerSession } from 'smtp-server';
import { parse as parseHost } from 'tldts';
import type { z } from 'zod';
import { systemContext, type Ctx, type Services } from '#server/context.ts';
import { badRequest } from '#server/errors.ts';
import { bodyText, envelopeSender, fallbackMessageId, isAutomaticReply, smtpError, startSmtpIntake, type SmtpIntake } from '#modules/mail/smtp-intake.ts';
import { MAX_ATTACHMENTS, discardAttachments, storeAttachment } from './attachments.ts';
import { ReportInput } from './cvd.schema.ts';
import { submitReport, type IncomingAttachment } from './intake.service.ts';
import { decryptForCert, isUndecryptable } from './mail-crypto.ts';

/**
 * Vulnerability reports by mail to the CVD address (CVD_INTAKE_SMTP_PORT), plain or encrypted to
 * the CERT's published OpenPGP key: PGP/MIME (RFC 3156) or an armored block in the body. A mail is
 * answered 250 only after its case is committed (451 on a database failure, so the sender
 * retries); the Message-ID keeps a retry from opening a second case. What the finder did not say
 * in fields (what is affected, their language) is guessed simply: the analyst corrects it on the
 * case, and a wrong guess costs less than a bounced report.
 */

export const CVD_INTAKE_MAX_BYTES = 25 * 1024 * 1024;

export type CvdIntake = SmtpIntake;

export interface CvdIntakeOptions {
  /** The largest mail taken, in bytes (tests use a small one). */
  maxBytes?: number;
}

export const UNDECRYPTABLE_DESCRIPTION = "Encrypted report that could not be decrypted with the CERT's keys; the armored message is attached.";
/** The target of a report that names no host or address: a placeholder the scope check matches nothing with. */
export const UNKNOWN_TARGET = '(see description)';
const DESCRIPTION_MAX = 50_000;
const ARMORED_MESSAGE = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/;

export async function startCvdIntake(services: Services, options: CvdIntakeOptions = {}): Promise<CvdIntake> {
  const port = services.config.cvd.intakeSmtpPort;
  if (port === undefined) throw new Error('CVD_INTAKE_SMTP_PORT is not set: the CVD intake has no port to listen on.');
  return startSmtpIntake(services, {
    banner: 'Wachtpost CVD intake',
    name: 'CVD intake',
    component: 'cvd-intake',
    port,
    address: services.config.cvd.intakeAddress,
    takes: 'vulnerability reports',
    maxBytes: options.maxBytes ?? CVD_INTAKE_MAX_BYTES,
    tooLargeHint: 'share large files through a link in your report, or through your private link once the case is open.',
    take: (raw, session, receivedAt) => takeReport(services, raw, session, receivedAt),
  });
}

/** A file of the report as the mail carried it, before it is stored. */
interface MailFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** What the finder wrote, after decryption. */
interface Content {
  encrypted: boolean;
  undecryptable: boolean;
  subject: string;
  text: string;
  files: MailFile[];
}

async function takeReport(services: Services, raw: Buffer, session: SMTPServerSession, receivedAt: Date): Promise<string> {
  const log = services.log.child({ component: 'cvd-intake', session: session.id });
  let parsed: ParsedMail;
  try {
    parsed = await parseMail(raw);
  } catch (err) {
    // The same bytes fail the same way on every retry: bounce instead of a retry loop.
    log.warn({ err }, 'CVD intake could not parse a mail');
    throw smtpError(554, 'The message could not be read as a mail.');
  }

  const envelopeFrom = envelopeSender(session);
  const from = parsed.from?.value.find((a) => a.address);
  // The incident intake's rule, and a mailer-daemon's From: some bounces come with a real envelope sender.
  if (isAutomaticReply(parsed, envelopeFrom) || [from?.address ?? '', envelopeFrom].some((a) => /^mailer-daemon@/i.test(a))) {
    log.info({ messageId: parsed.messageId ?? null, envelopeFrom }, 'CVD intake ignored an automatic reply');
    return 'OK: automatic replies are not taken as reports';
  }

  const ctx = systemContext(services, 'cvd-intake');
  const content = await readContent(ctx, parsed);
  const { input, files } = toReport(content, { address: from?.address ?? '', name: from?.name ?? '', envelopeFrom });
  if (files.length > MAX_ATTACHMENTS)
    throw badRequest(
      'cvd_too_many_attachments',
      `A report may carry at most ${MAX_ATTACHMENTS} attachments; put the files in one archive and send the report again.`,
    );

  const stored = await storeFiles(services, files);
  const messageId = parsed.messageId ?? fallbackMessageId(raw, 'cvd-intake');
  let result;
  try {
    const note = content.undecryptable ? undefined : `The report as mailed by ${from?.address ?? envelopeFrom}:\n\n${content.text.trim()}`.slice(0, 20_000);
    result = await submitReport(ctx, input, stored, { intake: 'mail', encrypted: content.encrypted, messageId, receivedAt, internalNote: note });
  } catch (err) {
    await discardAttachments(services, stored);
    throw err;
  }
  // A repeat (a sender's retry) found its case: the files stored again belong to nothing.
  if (!result.created) await discardAttachments(services, stored);
  log.info(
    {
      caseId: result.id,
      reference: result.reference,
      created: result.created,
      messageId,
      encrypted: content.encrypted,
      undecryptable: content.undecryptable,
      attachments: stored.length,
    },
    result.created ? `vulnerability reported by mail: ${result.reference}` : `mail already taken as ${result.reference}`,
  );
  // The reference stays out of the reply: the connecting server is not necessarily the finder.
  return 'OK: report received';
}

function parseMail(raw: Buffer | string): Promise<ParsedMail> {
  return simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
}

// ---------------------------------------------------------------------------------------------
// Decryption

async function readContent(ctx: Ctx, parsed: ParsedMail): Promise<Content> {
  const subject = oneLine(parsed.subject ?? '');
  const pgpMime = pgpMimePart(parsed);
  if (pgpMime) {
    // The outer parts are only the envelope of the encryption: the report's own files are inside.
    const armored = pgpMime.content.includes('-----BEGIN PGP MESSAGE-----') ? pgpMime.content.toString('utf8') : armor(enums.armor.message, pgpMime.content);
    let plain: Uint8Array;
    try {
      plain = await decryptForCert(ctx, armored);
    } catch (err) {
      if (!isUndecryptable(err)) throw err;
      return undecryptableContent(ctx, subject, armored, [], err.message);
    }
    // The plaintext of PGP/MIME is a MIME entity of its own, with the text and the attachments.
    const inner = await innerEntity(plain);
    // Protected headers (Thunderbird and others hide the real subject inside, with "..." outside).
    return { encrypted: true, undecryptable: false, subject: oneLine(inner.subject ?? '') || subject, text: inner.text, files: inner.files };
  }

  const text = bodyText(parsed);
  const files = mailFiles(parsed.attachments);
  const block = ARMORED_MESSAGE.exec(text)?.[0];
  if (!block) return { encrypted: false, undecryptable: false, subject, text, files };
  try {
    const plain = utf8(await decryptForCert(ctx, block));
    // Words around the armored block (a greeting, a signature) stay where they were.
    return { encrypted: true, undecryptable: false, subject, text: text.replace(block, () => plain.trim()).trim(), files };
  } catch (err) {
    if (!isUndecryptable(err)) throw err;
    return undecryptableContent(ctx, subject, block, files, err.message);
  }
}

/** The encrypted part of an RFC 3156 mail: the part after the application/pgp-encrypted version part. */
function pgpMimePart(parsed: ParsedMail): Attachment | undefined {
  const type = parsed.headers.get('content-type');
  if (!isStructured(type) || type.value.toLowerCase() !== 'multipart/encrypted') return undefined;
  if ((type.params.protocol ?? '').toLowerCase() !== 'application/pgp-encrypted') return undefined;
  return parsed.attachments.find((a) => a.contentType.toLowerCase() !== 'application/pgp-encrypted');
}

/** Content-Type as mailparser gives it: the value and its parameters. */
function isStructured(v: HeaderValue | undefined): v is StructuredHeader {
  return (
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    typeof (v as Partial<StructuredHeader>).value === 'string' &&
    typeof (v as Partial<StructuredHeader>).params === 'object'
  );
}

/**
 * An undecryptable report is still a report: the case opens (the finder is acknowledged, the
 * clocks run) with the armored message attached as message.asc, so nothing is lost and the CERT
 * can decrypt it by hand, e.g. with a key that is not in Wachtpost.
 */
function undecryptableContent(ctx: Ctx, subject: string, armored: string, files: MailFile[], reason: string): Content {
  ctx.services.log.warn({ component: 'cvd-intake', reason }, 'CVD intake took an encrypted report it could not decrypt');
  const message: MailFile = { fileName: 'message.asc', contentType: 'application/pgp-encrypted', content: Buffer.from(armored, 'utf8') };
  return { encrypted: true, undecryptable: true, subject, text: UNDECRYPTABLE_DESCRIPTION, files: [message, ...files] };
}

async function innerEntity(plain: Uint8Array): Promise<{ subject: string | undefined; text: string; files: MailFile[] }> {
  const text = utf8(plain);
  // A client that encrypted bare text (no MIME headers) would lose its first paragraph to the header parser.
  if (!looksLikeMime(text)) return { subject: undefined, text: text.trim(), files: [] };
  const inner = await parseMail(Buffer.from(plain));
  return { subject: inner.subject, text: bodyText(inner), files: mailFiles(inner.attachments) };
}

function looksLikeMime(text: string): boolean {
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const lines = head.split(/\r?\n/);
  return lines.every((l) => /^[!-9;-~]+:/.test(l) || /^[ \t]/.test(l)) && lines.some((l) => /^content-type:/i.test(l));
}

// ---------------------------------------------------------------------------------------------
// The report

/** A closing line ("Met vriendelijke groet,", "Kind regards") or the RFC 3676 delimiter "-- " starts a signature. */
const SIGNATURE_START = /^(-- ?|(met )?(vriendelijke )?groet(en)?[,.!]?|mvg[,.]?|kind regards[,.!]?|best regards[,.!]?|regards[,.!]?|best[,.!]?|cheers[,.!]?|sincerely[,.!]?|thanks[,.!]?|thank you[,.!]?|bedankt[,.!]?|alvast bedankt[,.!]?)\s*$/i;

export function withoutSignature(text: string): string {
  const lines = text.split(/\r?\n/);
  // Only a closing in the last lines counts: "Thanks" at the top of a report is not a signature.
  const from = Math.max(0, lines.length - 12);
  const at = lines.findIndex((l, i) => i >= from && i > 0 && SIGNATURE_START.test(l.trim()));
  return at > 0 ? lines.slice(0, at).join('\n') : text;
}

function toReport(content: Content, from: { address: string; name: string; envelopeFrom: string }): { input: ReportInput; files: MailFile[] } {
  // An undecryptable report's words are ciphertext: only its subject can be read.
  const readable = content.undecryptable ? content.subject : `${content.subject}\n${content.text}`;
  const language = guessLanguage(readable);
  const files = [...content.files];

  // A signature names the finder (and often their employer and phone): parties get the text above
  // it; the whole mail stays with the CERT as an internal note.
  let description = withoutSignature(content.text).trim();
  // A short body (the report is in an attachment, or in the subject): the subject and the file names say what it is about.
  if (description.length < 20) description = [content.subject, description].filter(Boolean).join('\n\n');
  if (description.length < 20 && files.length)
    description = [description, `(${language === 'en' ? 'Attachments' : 'Bijlagen'}: ${files.map((f) => f.fileName).join(', ')})`].filter(Boolean).join('\n\n');
  if (description.length < 20)
    throw smtpError(
      550,
      'The report is too short to act on: describe the vulnerability in a few sentences (what is affected, how to reproduce it) and send it again.',
    );
  if (description.length > DESCRIPTION_MAX) {
    // The case holds the start; the whole text is kept as a file rather than cut off.
    files.push({ fileName: 'report.txt', contentType: 'text/plain; charset=utf-8', content: Buffer.from(description, 'utf8') });
    description = `${description.slice(0, DESCRIPTION_MAX - 200).trimEnd()}\n\n[…] (shortened; the full text is attached as report.txt)`;
  }

  const draft: z.input<typeof ReportInput> = {
    ...guessTarget(readable),
    title: oneLine(content.subject).slice(0, 200).trim() || (language === 'en' ? 'Vulnerability report' : 'Melding kwetsbaarheid'),
    description,
    // From names the finder; the envelope sender (often a list or forward) only when From is unusable.
    finderEmail: [from.address, from.envelopeFrom].map((a) => a.trim().toLowerCase()).find((a) => ReportInput.shape.finderEmail.safeParse(a).data),
    finderName: oneLine(from.name).slice(0, 200),
    credit: 'none',
    language,
  };
  const checked = ReportInput.safeParse(draft);
  if (!checked.success) throw badRequest('cvd_mail_invalid', `The report could not be taken: ${checked.error.issues[0]?.message ?? 'it is incomplete'}`);
  return { input: checked.data, files };
}

/** RFC 2606 names: the CERT's exercises and documentation use them like real domains. */
const RESERVED_TLDS = new Set(['example', 'test']);
/** Endings that are top-level domains but in a report far more often a file (poc.py, dump.zip). */
const FILE_ENDINGS = new Set(['py', 'sh', 'md', 'zip', 'mov', 'pl', 'rs', 'so', 'ps']);
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Not after "@" (the finder's own address) or inside a longer name; a sentence's full stop may follow.
const HOST_PATTERN = /(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?![\w-]|\.[\w-])/gi;
const IPV4_PATTERN = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w-]|\.\w)/g;

/**
 * What is affected, guessed from the text: the host of the first http(s) URL, else the first host
 * name (both a website: most mailed reports are about web applications), else the first IPv4
 * address (a system). With none of these the report is taken as about a system, target
 * "(see description)": a product report needs vendor and product, which free text does not give
 * reliably, and a report must not bounce for it. The scope check then finds no participant, which
 * puts the case before an analyst, who sets kind and target on the case.
 */
function guessTarget(text: string): { targetKind: 'website' | 'system'; target: string } {
  for (const [url] of text.matchAll(URL_PATTERN)) {
    try {
      const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      if (host) return { targetKind: 'website', target: host };
    } catch {
      // Not a URL after all ("https://" alone); look further.
    }
  }
  for (const [name] of text.matchAll(HOST_PATTERN)) {
    const host = parseHost(name.toLowerCase());
    const tld = host.publicSuffix ?? '';
    if (host.hostname && (host.isIcann || RESERVED_TLDS.has(tld)) && !FILE_ENDINGS.has(tld)) return { targetKind: 'website', target: host.hostname };
  }
  for (const [address] of text.matchAll(IPV4_PATTERN)) if (isIPv4(address)) return { targetKind: 'system', target: address };
  return { targetKind: 'system', target: UNKNOWN_TARGET };
}

// Frequent words of one language only ("is", "in", "we" are both): enough to tell a report's language.
const ENGLISH = new Set('the and of to this that with found vulnerability your you which are can it be have has not an on for by from would could'.split(' '));
const DUTCH = new Set(
  'de het een en van dat die niet op met voor ik uw u kwetsbaarheid zijn kan heb heeft deze er te naar bij ook wordt kunnen door'.split(' '),
);

/** English when English words outnumber Dutch ones; Dutch, the CERT's language, otherwise. */
function guessLanguage(text: string): 'nl' | 'en' {
  let en = 0;
  let nl = 0;
  for (const word of text
    .slice(0, 5000)
    .toLowerCase()
    .match(/\p{L}+/gu) ?? []) {
    if (ENGLISH.has(word)) en++;
    else if (DUTCH.has(word)) nl++;
  }
  return en > nl ? 'en' : 'nl';
}

// ---------------------------------------------------------------------------------------------
// Files

function mailFiles(attachments: readonly Attachment[]): MailFile[] {
  return attachments
    .filter((a) => a.content.length > 0)
    .map((a, i) => ({ fileName: safeFileName(a.filename, i), contentType: a.contentType || 'application/octet-stream', content: a.content }));
}

/** The base name the sender gave, without control characters; files are stored under random names anyway. */
function safeFileName(name: string | undefined, index: number): string {
  const base = (name ?? '')
    .replace(/^.*[/\\]/, '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200);
  return base && base !== '.' && base !== '..' ? base : `attachment-${index + 1}`;
}

/** Stores every file; when one fails, the ones already stored are removed again. */
async function storeFiles(services: Services, files: readonly MailFile[]): Promise<IncomingAttachment[]> {
  const stored: IncomingAttachment[] = [];
  try {
    for (const f of files) stored.push({ ...(await storeAttachment(services, Readable.from(f.content))), fileName: f.fileName, contentType: f.contentType });
  } catch (err) {
    await discardAttachments(services, stored);
    throw err;
  }
  return stored;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes).replace(/\r\n/g, '\n');
