import { randomBytes } from 'node:crypto';
import { armor, createMessage, encrypt, encryptSessionKey, enums, readKey, type PublicKey } from 'openpgp';
import { encryptedEntity } from './mime.ts';

/**
 * The encryption half of PGP/MIME (RFC 3156 §4), split the way an OpenPGP message to several
 * recipients is: the symmetrically encrypted data is made once per signed body under a fresh
 * session key, and each recipient's mail adds only its own public-key packet for that session key.
 * Every recipient of a body reads the same text, so sharing its session key discloses nothing.
 *
 * Only openpgp and mime.ts are imported: the per-recipient step also runs in worker threads
 * (encryption.worker.ts), which should load nothing else.
 */

export interface SharedCiphertext {
  sessionKey: { data: Uint8Array; algorithm: 'aes256' };
  /** The Symmetrically Encrypted Integrity Protected Data packet, serialised. */
  data: Uint8Array;
}

export interface RecipientKey {
  fingerprint: string;
  armored: string;
}

export async function sharedCiphertext(entity: string): Promise<SharedCiphertext> {
  const sessionKey = { data: new Uint8Array(randomBytes(32)), algorithm: 'aes256' as const };
  // encrypt() wants a recipient or a password; a random password's packet is dropped right away.
  const binary: unknown = await encrypt({
    message: await createMessage({ binary: new TextEncoder().encode(entity) }),
    sessionKey,
    passwords: [randomBytes(24).toString('base64')],
    format: 'binary',
  });
  if (!(binary instanceof Uint8Array)) throw new Error('OpenPGP returned no binary message.');
  // A copy of its own, not a view: it is posted to the worker threads once per recipient.
  return { sessionKey, data: binary.slice(firstPacketLength(binary)) };
}

/** The length of the first packet (the password's session-key packet): header and body, new format (RFC 4880 §4.2.2). */
const SKESK_TAG: number = enums.packet.symEncryptedSessionKey;

function firstPacketLength(bytes: Uint8Array): number {
  const tag = bytes[0]!;
  if ((tag & 0xc0) !== 0xc0 || (tag & 0x3f) !== SKESK_TAG) throw new Error('Unexpected first packet in the OpenPGP message.');
  const first = bytes[1]!;
  if (first < 192) return 2 + first;
  if (first < 224) return 3 + ((first - 192) << 8) + bytes[2]! + 192;
  if (first === 255) return 6 + ((bytes[2]! << 24) | (bytes[3]! << 16) | (bytes[4]! << 8) | bytes[5]!);
  throw new Error('A partial-length session key packet is not expected.');
}

// Parsed recipient keys by fingerprint: parsing an armored key costs more than encrypting to it.
const keyCache = new Map<string, PublicKey>();
const KEY_CACHE_LIMIT = 5000;
// Whether a key can encrypt (checking its self-signatures is the costly part), for a minute.
const usable = new Map<string, { ok: boolean; until: number }>();

async function recipientKey(recipient: RecipientKey): Promise<PublicKey> {
  const cached = keyCache.get(recipient.fingerprint);
  if (cached) return cached;
  const key = await readKey({ armoredKey: recipient.armored });
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(recipient.fingerprint, key);
  return key;
}

/** Whether the key can take mail now (not revoked, not expired, has an encryption subkey). */
export async function usableForEncryption(recipient: RecipientKey): Promise<boolean> {
  const known = usable.get(recipient.fingerprint);
  if (known && known.until > Date.now()) return known.ok;
  let ok: boolean;
  try {
    const key = await recipientKey(recipient);
    await key.getEncryptionKey();
    ok = true;
  } catch {
    ok = false;
  }
  if (usable.size >= KEY_CACHE_LIMIT) usable.clear();
  usable.set(recipient.fingerprint, { ok, until: Date.now() + 60_000 });
  return ok;
}

/** The shared ciphertext with the recipient's session-key packet in front, as a multipart/encrypted entity. */
export async function encryptToRecipient(shared: SharedCiphertext, recipient: RecipientKey, seed: string): Promise<string> {
  const key = await recipientKey(recipient);
  const pkesk: unknown = await encryptSessionKey({ ...shared.sessionKey, encryptionKeys: key, format: 'binary' });
  if (!(pkesk instanceof Uint8Array)) throw new Error('OpenPGP returned no session key packet.');
  const bytes = new Uint8Array(pkesk.length + shared.data.length);
  bytes.set(pkesk);
  bytes.set(shared.data, pkesk.length);
  return encryptedEntity(armor(enums.armor.message, bytes), seed);
}

/** The encrypted entity, or null when the key cannot take mail now. */
export async function encryptIfUsable(shared: SharedCiphertext, recipient: RecipientKey, seed: string): Promise<string | null> {
  return (await usableForEncryption(recipient)) ? encryptToRecipient(shared, recipient, seed) : null;
}
