import { simpleParser, type HeaderValue, type ParsedMail, type StructuredHeader } from 'mailparser';
import { armor, createMessage, enums, readCleartextMessage, readKey, readSignature, verify } from 'openpgp';
import type { Ctx } from '#server/context.ts';
import { bodyText } from '#modules/mail/smtp-intake.ts';
import { decryptForCert, isUndecryptable } from '#modules/cvd/mail-crypto.ts';

/**
 * What PGP says about a mail to the request address: encrypted to the CERT key (PGP/MIME or an
 * armored block; decrypted with the CVD intake's keys), signed (PGP/MIME or cleartext; verified
 * against the OpenPGP keys of the sender's contacts). The status is recorded on the message.
 */

export type PgpStatus = 'signed' | 'bad-signature' | 'unknown-key' | 'encrypted' | 'encrypted+signed' | 'undecryptable' | null;

export interface ReadMail {
  subject: string;
  text: string;
  pgp: PgpStatus;
}

const ARMORED_MESSAGE = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/;
const CLEARSIGNED = /-----BEGIN PGP SIGNED MESSAGE-----[\s\S]*?-----END PGP SIGNATURE-----/;
const TEXT_MAX = 50_000;

function isStructured(v: HeaderValue | undefined): v is StructuredHeader {
  return typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && typeof (v as Partial<StructuredHeader>).value === 'string';
}

export function parseMail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
}

/** The armored keys of the sender's contacts: a signature by any of them counts. */
export async function readMail(ctx: Ctx, parsed: ParsedMail, raw: Buffer, senderKeys: readonly string[]): Promise<ReadMail> {
  const subject = (parsed.subject ?? '').replace(/[\r\n]+/g, ' ').trim();
  const type = parsed.headers.get('content-type');
  const kind = isStructured(type) ? type.value.toLowerCase() : '';

  if (kind === 'multipart/encrypted') {
    const part = parsed.attachments.find((a) => a.contentType.toLowerCase() !== 'application/pgp-encrypted');
    if (!part) return { subject, text: '(an encrypted mail without its encrypted part)', pgp: 'undecryptable' };
    const armored = part.content.includes('-----BEGIN PGP MESSAGE-----') ? part.content.toString('utf8') : armor(enums.armor.message, part.content);
    try {
      const plain = Buffer.from(await decryptForCert(ctx, armored));
      // The plaintext of PGP/MIME is a MIME entity of its own, maybe signed inside.
      const inner = await parseMail(plain);
      const innerRead = await readMail(ctx, inner, plain, senderKeys);
      const signed = innerRead.pgp === 'signed';
      return {
        subject: innerRead.subject && innerRead.subject !== '...' ? innerRead.subject : subject,
        text: innerRead.text,
        pgp: signed ? 'encrypted+signed' : 'encrypted',
      };
    } catch (err) {
      if (!isUndecryptable(err)) throw err;
      return { subject, text: `(${err.message})`, pgp: 'undecryptable' };
    }
  }

  if (kind === 'multipart/signed') {
    const text = clip(bodyText(parsed));
    return { subject, text, pgp: await verifyPgpMime(raw, type, parsed, senderKeys) };
  }

  const text = bodyText(parsed);
  const block = ARMORED_MESSAGE.exec(text)?.[0];
  if (block) {
    try {
      const plain = Buffer.from(await decryptForCert(ctx, block)).toString('utf8');
      return { subject, text: clip(text.replace(block, () => plain.trim())), pgp: 'encrypted' };
    } catch (err) {
      if (!isUndecryptable(err)) throw err;
      return { subject, text: clip(text), pgp: 'undecryptable' };
    }
  }
  const clear = CLEARSIGNED.exec(text)?.[0];
  if (clear) return { subject, text: clip(text), pgp: await verifyCleartext(clear, senderKeys) };
  return { subject, text: clip(text), pgp: null };
}

function clip(text: string): string {
  return text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX)}\n[…]` : text;
}

async function keysOf(armored: readonly string[]) {
  const keys = [];
  for (const a of armored) {
    try {
      keys.push(await readKey({ armoredKey: a }));
    } catch {
      // A broken key on file verifies nothing; the signature then counts as by an unknown key.
    }
  }
  return keys;
}

async function verdict(result: { signatures: { verified: Promise<boolean> }[] }): Promise<PgpStatus> {
  for (const s of result.signatures) {
    try {
      if (await s.verified) return 'signed';
    } catch {
      // Signed, but not by a key of the sender's contacts (or the bytes changed): a forgery as far as we can tell.
      return 'bad-signature';
    }
  }
  return 'bad-signature';
}

async function verifyCleartext(armored: string, senderKeys: readonly string[]): Promise<PgpStatus> {
  const keys = await keysOf(senderKeys);
  if (keys.length === 0) return 'unknown-key';
  try {
    const message = await readCleartextMessage({ cleartextMessage: armored });
    return await verdict(await verify({ message, verificationKeys: keys }));
  } catch {
    return 'bad-signature';
  }
}

/**
 * RFC 3156 §5: the signature covers the first body part exactly as it stands between the
 * boundaries (CRLF line ends), so it is cut from the raw mail rather than rebuilt by a parser.
 */
async function verifyPgpMime(raw: Buffer, type: HeaderValue | undefined, parsed: ParsedMail, senderKeys: readonly string[]): Promise<PgpStatus> {
  const boundary = isStructured(type) ? type.params.boundary : undefined;
  const sigPart = parsed.attachments.find((a) => a.contentType.toLowerCase() === 'application/pgp-signature');
  if (!boundary || !sigPart) return 'bad-signature';
  const keys = await keysOf(senderKeys);
  if (keys.length === 0) return 'unknown-key';
  const text = raw.toString('latin1').replace(/\r?\n/g, '\r\n');
  const delimiter = `\r\n--${boundary}`;
  const start = text.indexOf(`--${boundary}\r\n`);
  if (start < 0) return 'bad-signature';
  const bodyStart = start + boundary.length + 4;
  const end = text.indexOf(delimiter, bodyStart);
  if (end < 0) return 'bad-signature';
  const signed = Buffer.from(text.slice(bodyStart, end), 'latin1');
  try {
    const signature = await readSignature({ armoredSignature: sigPart.content.toString('utf8') });
    const message = await createMessage({ binary: new Uint8Array(signed) });
    return await verdict(await verify({ message, signature, verificationKeys: keys }));
  } catch {
    return 'bad-signature';
  }
}
