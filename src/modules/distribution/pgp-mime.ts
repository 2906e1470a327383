import { randomBytes } from 'node:crypto';
import { armor, createMessage, encrypt, encryptSessionKey, enums, readKey, readSignature, type PublicKey } from 'openpgp';
import type { Ctx } from '#server/context.ts';
import { signDetached } from '#modules/keys/signing-key.service.ts';
import { encryptedEntity, signedEntity } from './mime.ts';

/**
 * OpenPGP for mail (RFC 3156). Signing covers a body entity that is the same for every recipient of
 * a revision and language, so it is done once and reused. Encryption wraps the already signed
 * entity (RFC 3156 §6.1, signed then encrypted) and is split the way an OpenPGP message to several
 * recipients is: the symmetrically encrypted data is made once per signed body under a fresh session
 * key, and each recipient's mail adds only its own public-key packet for that session key. Every
 * recipient of a body reads the same text, so sharing its session key discloses nothing.
 */

/** micalg names of RFC 3156 §5 for the hash ids in the signature packet. */
function micalgOf(armoredSignature: string, hashAlgorithm: number): string {
  const name = enums.read(enums.hash, hashAlgorithm);
  if (typeof name !== 'string') throw new Error(`Unknown hash algorithm ${hashAlgorithm} in ${armoredSignature.slice(0, 40)}…`);
  return `pgp-${name.toLowerCase()}`;
}

export interface SignedBody {
  /** The multipart/signed entity, ready to be a message body or to be encrypted. */
  entity: string;
  signingKeyFingerprint: string;
  /** Time spent in the signature itself (for the benchmark's signing share). */
  signMs: number;
  /** The encrypted form of `entity`, made at the first encrypted recipient. */
  encrypted?: Promise<SharedCiphertext>;
}

interface SharedCiphertext {
  sessionKey: { data: Uint8Array; algorithm: 'aes256' };
  /** The Symmetrically Encrypted Integrity Protected Data packet, serialised. */
  data: Uint8Array;
}

async function sharedCiphertext(entity: string): Promise<SharedCiphertext> {
  const sessionKey = { data: new Uint8Array(randomBytes(32)), algorithm: 'aes256' as const };
  // encrypt() wants a recipient or a password; a random password's packet is dropped right away.
  const binary: unknown = await encrypt({ message: await createMessage({ binary: new TextEncoder().encode(entity) }), sessionKey, passwords: [randomBytes(24).toString('base64')], format: 'binary' });
  if (!(binary instanceof Uint8Array)) throw new Error('OpenPGP returned no binary message.');
  return { sessionKey, data: binary.subarray(firstPacketLength(binary)) };
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

export async function signBody(ctx: Ctx, entity: string): Promise<SignedBody> {
  const started = performance.now();
  const { signature, fingerprint } = await signDetached(ctx, entity);
  const signMs = performance.now() - started;
  const parsed = await readSignature({ armoredSignature: signature });
  const packet = parsed.packets[0];
  if (!packet) throw new Error('The signature holds no packet.');
  return { entity: signedEntity(entity, signature, micalgOf(signature, packet.hashAlgorithm ?? enums.hash.sha256)), signingKeyFingerprint: fingerprint, signMs };
}

// Parsed recipient keys by fingerprint: parsing an armored key costs more than encrypting to it.
const keyCache = new Map<string, PublicKey>();
const KEY_CACHE_LIMIT = 5000;
// Whether a key can encrypt (checking its self-signatures is the costly part), for a minute.
const usable = new Map<string, { ok: boolean; until: number }>();

async function recipientKey(fingerprint: string, armored: string): Promise<PublicKey> {
  const cached = keyCache.get(fingerprint);
  if (cached) return cached;
  const key = await readKey({ armoredKey: armored });
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(fingerprint, key);
  return key;
}

/** Whether the key can take mail now (not revoked, not expired, has an encryption subkey). */
export async function usableForEncryption(fingerprint: string, armored: string): Promise<boolean> {
  const known = usable.get(fingerprint);
  if (known && known.until > Date.now()) return known.ok;
  let ok: boolean;
  try {
    const key = await recipientKey(fingerprint, armored);
    await key.getEncryptionKey();
    ok = true;
  } catch {
    ok = false;
  }
  if (usable.size >= KEY_CACHE_LIMIT) usable.clear();
  usable.set(fingerprint, { ok, until: Date.now() + 60_000 });
  return ok;
}

/** The signed entity encrypted to the recipient's key, as a multipart/encrypted entity. */
export async function encryptBody(signed: SignedBody, recipient: { fingerprint: string; armored: string }, seed: string): Promise<string> {
  const key = await recipientKey(recipient.fingerprint, recipient.armored);
  signed.encrypted ??= sharedCiphertext(signed.entity);
  const shared = await signed.encrypted;
  const pkesk: unknown = await encryptSessionKey({ ...shared.sessionKey, encryptionKeys: key, format: 'binary' });
  if (!(pkesk instanceof Uint8Array)) throw new Error('OpenPGP returned no session key packet.');
  const bytes = new Uint8Array(pkesk.length + shared.data.length);
  bytes.set(pkesk);
  bytes.set(shared.data, pkesk.length);
  return encryptedEntity(armor(enums.armor.message, bytes), seed);
}
