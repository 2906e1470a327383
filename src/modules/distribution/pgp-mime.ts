import { enums, readSignature } from 'openpgp';
import type { Ctx } from '#server/context.ts';
import { signDetached } from '#modules/keys/signing-key.service.ts';
import { signedEntity } from './mime.ts';
import { encryptToRecipient, sharedCiphertext, usableForEncryption as usable, type RecipientKey, type SharedCiphertext } from './pgp-encrypt.ts';

/**
 * OpenPGP for mail (RFC 3156). Signing covers a body entity that is the same for every recipient of
 * a revision and language, so it is done once and reused. Encryption wraps the already signed
 * entity (RFC 3156 §6.1, signed then encrypted); how it is shared between recipients is in
 * pgp-encrypt.ts.
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

/** The symmetrically encrypted form of the signed body, made once and shared by its recipients. */
export function sharedCiphertextOf(signed: SignedBody): Promise<SharedCiphertext> {
  return (signed.encrypted ??= sharedCiphertext(signed.entity));
}

export async function signBody(ctx: Ctx, entity: string): Promise<SignedBody> {
  const started = performance.now();
  const { signature, fingerprint } = await signDetached(ctx, entity);
  const signMs = performance.now() - started;
  const parsed = await readSignature({ armoredSignature: signature });
  const packet = parsed.packets[0];
  if (!packet) throw new Error('The signature holds no packet.');
  return {
    entity: signedEntity(entity, signature, micalgOf(signature, packet.hashAlgorithm ?? enums.hash.sha256)),
    signingKeyFingerprint: fingerprint,
    signMs,
  };
}

/** Whether the key can take mail now (not revoked, not expired, has an encryption subkey). */
export function usableForEncryption(fingerprint: string, armored: string): Promise<boolean> {
  return usable({ fingerprint, armored });
}

/** The signed entity encrypted to the recipient's key, as a multipart/encrypted entity. */
export async function encryptBody(signed: SignedBody, recipient: RecipientKey, seed: string): Promise<string> {
  return encryptToRecipient(await sharedCiphertextOf(signed), recipient, seed);
}
