import { createMessage, encrypt, enums, readKey, readSignature, type PublicKey } from 'openpgp';
import type { Ctx } from '#server/context.ts';
import { signDetached } from '#modules/keys/signing-key.service.ts';
import { encryptedEntity, signedEntity } from './mime.ts';

/**
 * OpenPGP for mail (RFC 3156). Signing covers a body entity that is the same for every recipient of
 * a revision and language, so it is done once and reused; encryption is per recipient and wraps the
 * already signed entity, as RFC 3156 §6.1 describes for signed-then-encrypted messages.
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
  try {
    const key = await recipientKey(fingerprint, armored);
    await key.getEncryptionKey();
    return true;
  } catch {
    return false;
  }
}

/** The signed entity encrypted to the recipient's key, as a multipart/encrypted entity. */
export async function encryptBody(signed: SignedBody, recipient: { fingerprint: string; armored: string }, seed: string): Promise<string> {
  const key = await recipientKey(recipient.fingerprint, recipient.armored);
  const armored: unknown = await encrypt({ message: await createMessage({ binary: new TextEncoder().encode(signed.entity) }), encryptionKeys: key, format: 'armored' });
  if (typeof armored !== 'string') throw new Error('OpenPGP returned no armored message.');
  return encryptedEntity(armored, seed);
}
