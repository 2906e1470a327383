import { readKey } from 'openpgp';
import { badRequest } from '#server/errors.ts';

export interface ParsedPublicKey {
  armored: string;
  fingerprint: string;
  userIds: string[];
  expiresAt: Date | null;
}

/**
 * Parses and checks an armored OpenPGP public key. A private key, a revoked key or one that cannot
 * encrypt is refused with the reason, so a contact never holds a key that would fail at send time.
 */
export async function parsePublicKey(armored: string): Promise<ParsedPublicKey> {
  const field = { field: 'pgpPublicKey' };
  if (armored.includes('PRIVATE KEY BLOCK')) throw badRequest('pgp_private_key', 'This is a private key. Upload only the public key, and keep the private key secret.', field);
  let key;
  try {
    key = await readKey({ armoredKey: armored.trim() });
  } catch {
    throw badRequest('pgp_key_invalid', 'This is not an ASCII-armored OpenPGP public key (it starts with -----BEGIN PGP PUBLIC KEY BLOCK-----).', field);
  }
  if (key.isPrivate()) throw badRequest('pgp_private_key', 'This is a private key. Upload only the public key.', field);
  if (await key.isRevoked()) throw badRequest('pgp_key_revoked', 'This key has been revoked by its owner.', field);
  const expiration = await key.getExpirationTime();
  const expiresAt = expiration instanceof Date ? expiration : null;
  if (expiresAt && expiresAt.getTime() < Date.now()) throw badRequest('pgp_key_expired', `This key expired on ${expiresAt.toISOString().slice(0, 10)}.`, field);
  try {
    await key.getEncryptionKey();
  } catch {
    throw badRequest('pgp_key_cannot_encrypt', 'This key has no usable encryption subkey.', field);
  }
  return { armored: key.armor(), fingerprint: key.getFingerprint().toUpperCase(), userIds: key.getUserIDs(), expiresAt };
}
