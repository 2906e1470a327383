import { createHash } from 'node:crypto';

/**
 * MIME entities built by hand, because PGP/MIME (RFC 3156) signs the exact bytes of a body part:
 * every line ends in CRLF, every part is 7-bit (base64), and the same part can be reused inside
 * a signed and an encrypted message without a single byte changing.
 */

const CRLF = '\r\n';

/** RFC 2047 encoded words for a header value that is not plain ASCII (UTF-8, base64, ≤ 75 chars each). */
export function encodeHeaderValue(value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
   
  if (/^[\x20-\x7e]*$/.test(clean)) return foldAscii(clean);
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    // 45 bytes of UTF-8 become 60 base64 characters: with "=?UTF-8?B?" and "?=" a word stays under 75.
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(`${CRLF} `);
}

function foldAscii(value: string): string {
  if (value.length <= 76) return value;
  const out: string[] = [];
  let line = '';
  for (const word of value.split(' ')) {
    if (line && line.length + word.length + 1 > 76) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out.join(`${CRLF} `);
}

/** "Name <address>" with the name encoded when needed. */
export function formatAddress(name: string | null, address: string): string {
  if (!name) return `<${address}>`;
   
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeHeaderValue(name);
  return `${display} <${address}>`;
}

function base64Lines(content: string | Uint8Array): string {
  const b64 = Buffer.from(content).toString('base64');
  return (b64.match(/.{1,76}/g) ?? []).join(CRLF);
}

/** A boundary that cannot occur in base64 content or in our headers, stable for the same content. */
function boundaryFor(seed: string): string {
  return `=_wp_${createHash('sha256').update(seed).digest('hex').slice(0, 24)}`;
}

/** text/plain and text/html as multipart/alternative: the entity a PGP/MIME signature covers. */
export function alternativeEntity(text: string, html: string, language: string): string {
  const boundary = boundaryFor(`${text}\u0000${html}`);
  const lf = (s: string) => s.replace(/\r?\n/g, CRLF);
  return [
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    `Content-Language: ${language}`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(lf(text)),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(lf(html)),
    `--${boundary}--`,
  ].join(CRLF);
}

/**
 * multipart/signed around `entity` (RFC 3156 §5). The signed data is the entity exactly as it
 * appears between the boundaries (the CRLF before a boundary belongs to the boundary), so the
 * caller signs `entity` as given and passes the armored signature. Entities here never end in CRLF.
 */
export function signedEntity(entity: string, armoredSignature: string, micalg: string): string {
  const boundary = boundaryFor(`signed\u0000${entity}`);
  return [
    `Content-Type: multipart/signed; micalg=${micalg}; protocol="application/pgp-signature"; boundary="${boundary}"`,
    '',
    'This is an OpenPGP/MIME signed message (RFC 4880 and 3156)',
    `--${boundary}`,
    entity,
    `--${boundary}`,
    'Content-Type: application/pgp-signature; name="signature.asc"',
    'Content-Description: OpenPGP digital signature',
    'Content-Disposition: attachment; filename="signature.asc"',
    '',
    armoredSignature.replace(/\r?\n/g, CRLF).replace(/\r\n$/, ''),
    `--${boundary}--`,
  ].join(CRLF);
}

/** multipart/encrypted (RFC 3156 §4) holding an armored OpenPGP message. */
export function encryptedEntity(armoredMessage: string, seed: string): string {
  const boundary = boundaryFor(`encrypted\u0000${seed}`);
  return [
    `Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${boundary}"`,
    '',
    'This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)',
    `--${boundary}`,
    'Content-Type: application/pgp-encrypted',
    'Content-Description: PGP/MIME version identification',
    '',
    'Version: 1',
    '',
    `--${boundary}`,
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    'Content-Description: OpenPGP encrypted message',
    'Content-Disposition: inline; filename="encrypted.asc"',
    '',
    armoredMessage.replace(/\r?\n/g, CRLF).replace(/\r\n$/, ''),
    `--${boundary}--`,
  ].join(CRLF);
}

/** A whole message: top-level headers in order, then the (already complete) body entity. */
export function message(headers: [string, string][], entity: string): string {
  const lines = headers.map(([name, value]) => `${name}: ${value}`);
  return [...lines, 'MIME-Version: 1.0', entity].join(CRLF);
}
