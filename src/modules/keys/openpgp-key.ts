import {
  SecretKeyPacket,
  SecretSubkeyPacket,
  createMessage,
  decryptKey,
  encryptKey,
  generateKey,
  readKey,
  readKeys,
  readPrivateKey,
  readSignature,
  sign,
  verify,
  type Key,
  type PrivateKey,
  type UserID,
} from 'openpgp';
import { AppError, badRequest } from '#server/errors.ts';

/*
 * Key material, without the database: generating, reading, checking, encrypting and unlocking the
 * CERT's OpenPGP keys, and signing with them. Keys are made as v4 EdDSA on Ed25519 with a Curve25519
 * ECDH subkey ("ed25519Legacy"), the kind GnuPG 2.2 and other CSAF tools verify; the newer RFC 9580
 * Ed25519 keys are not readable by GnuPG 2.2.
 */

/** How long a generated key is valid; `wachtpost doctor` warns in the last month. */
export const KEY_LIFETIME_DAYS = 730;
const TRIAL_DATA = new TextEncoder().encode('wachtpost key check');

export type InvalidKeyReason =
  'malformed' | 'not_private' | 'several_keys' | 'cannot_sign' | 'expired' | 'revoked' | 'passphrase_required' | 'wrong_passphrase' | 'unsupported_algorithm';

const invalid = (reason: InvalidKeyReason, message: string): AppError => badRequest('signing_key_invalid', message, { reason });

/** A key ready to store: public data and the private key as it goes into the database. */
export interface PreparedKey {
  fingerprint: string;
  userId: string;
  algorithm: string;
  publicKey: string;
  privateKey: string;
  expiresAt: Date | null;
  protected: boolean;
}

// ---------------------------------------------------------------------------------------------
// Unlocked keys, per process: decrypting a protected key costs tens of milliseconds (the S2K), a
// signature well under one. Keyed by fingerprint: the key material behind one never changes.
const UNLOCKED_MAX = 16;
const unlocked = new Map<string, PrivateKey>();

function remember(fingerprint: string, key: PrivateKey): void {
  unlocked.delete(fingerprint);
  unlocked.set(fingerprint, key);
  while (unlocked.size > UNLOCKED_MAX) {
    const oldest = unlocked.keys().next().value;
    if (oldest === undefined) break;
    unlocked.delete(oldest);
  }
}

// ---------------------------------------------------------------------------------------------
// Key helpers

/** The packets that carry secret material (not GnuPG's stubs for keys kept elsewhere). */
function secretPackets(key: Key): (SecretKeyPacket | SecretSubkeyPacket)[] {
  return key
    .getKeys()
    .map((k) => k.keyPacket)
    .filter((p): p is SecretKeyPacket | SecretSubkeyPacket => (p instanceof SecretKeyPacket || p instanceof SecretSubkeyPacket) && !p.isDummy());
}

function isProtected(key: Key): boolean {
  const secret = secretPackets(key);
  return secret.length > 0 && secret.every((p) => !p.isDecrypted());
}

function needsPassphrase(key: Key): boolean {
  return secretPackets(key).some((p) => !p.isDecrypted());
}

function algorithmLabel(key: Key): string {
  const info = key.getAlgorithmInfo();
  const names: Partial<Record<string, string>> = {
    eddsaLegacy: 'EdDSA',
    ecdsa: 'ECDSA',
    rsaEncryptSign: 'RSA',
    rsaSign: 'RSA',
    dsa: 'DSA',
    ed25519: 'Ed25519',
    ed448: 'Ed448',
  };
  const name = names[info.algorithm] ?? info.algorithm;
  const curve = info.curve ? ` ${info.curve.replace(/Legacy$/, '')}` : '';
  const bits = info.bits ? ` ${info.bits}` : '';
  return `${name}${curve}${bits}`;
}

async function expiryOf(key: Key): Promise<Date | null> {
  const expiration = await key.getExpirationTime();
  return expiration instanceof Date ? expiration : null;
}

async function primaryUserId(key: Key): Promise<string> {
  try {
    const primary = await key.getPrimaryUser();
    return primary.user.userID?.userID ?? key.getUserIDs()[0] ?? '';
  } catch {
    return key.getUserIDs()[0] ?? '';
  }
}

/** An armored detached signature over exactly these bytes (a binary signature: no line-ending rewrite). */
export async function detachedSignature(key: PrivateKey, bytes: Uint8Array): Promise<string> {
  const signature: unknown = await sign({ message: await createMessage({ binary: bytes }), signingKeys: key, detached: true, format: 'armored' });
  if (typeof signature !== 'string') throw new Error('OpenPGP returned no armored signature.');
  return signature;
}

const fingerprintOf = (key: Key): string => key.getFingerprint().toUpperCase();

/** The private key as stored: encrypted with WACHTPOST_KEY_PASSPHRASE when it is set. */
async function storedForm(key: PrivateKey, passphrase: string | undefined): Promise<{ armored: string; protected: boolean }> {
  if (!passphrase) return { armored: key.armor(), protected: false };
  const locked = await encryptKey({ privateKey: key, passphrase });
  return { armored: locked.armor(), protected: true };
}

/** The key's public data and its private part as stored under `passphrase` (WACHTPOST_KEY_PASSPHRASE). */
export async function prepareKey(key: PrivateKey, passphrase: string | undefined): Promise<PreparedKey> {
  const stored = await storedForm(key, passphrase);
  return {
    fingerprint: fingerprintOf(key),
    userId: await primaryUserId(key),
    algorithm: algorithmLabel(key),
    publicKey: key.toPublic().armor(),
    privateKey: stored.armored,
    expiresAt: await expiryOf(key),
    protected: stored.protected,
  };
}

/** The stored private key, decrypted with WACHTPOST_KEY_PASSPHRASE when it is protected. */
async function unlockStored(armored: string, passphrase: string | undefined): Promise<PrivateKey> {
  const key = await readPrivateKey({ armoredKey: armored });
  if (!needsPassphrase(key)) return key;
  if (!passphrase)
    throw new AppError(
      'conflict',
      'signing_key_locked',
      'The active OpenPGP key is stored protected by a passphrase, but WACHTPOST_KEY_PASSPHRASE is not set: set it to the passphrase the key was stored with.',
    );
  try {
    return await decryptKey({ privateKey: key, passphrase });
  } catch {
    throw new AppError(
      'conflict',
      'signing_key_locked',
      'WACHTPOST_KEY_PASSPHRASE does not open the active OpenPGP key: it was stored with another passphrase. Set the passphrase it was stored with.',
    );
  }
}

/** The active key, unlocked: from the per-process cache, else read and decrypted with `passphrase`. */
export async function unlockedKey(fingerprint: string, armored: string, passphrase: string | undefined): Promise<PrivateKey> {
  const cached = unlocked.get(fingerprint);
  if (cached) return cached;
  const key = await unlockStored(armored, passphrase);
  remember(fingerprint, key);
  return key;
}

/**
 * The stored private key encrypted with `passphrase`, or null when there is nothing to encrypt: it
 * is already protected, or holds no secret material.
 */
export async function protectedForm(storedPrivateKey: string, passphrase: string): Promise<string | null> {
  const key = await readPrivateKey({ armoredKey: storedPrivateKey });
  if (needsPassphrase(key) || secretPackets(key).length === 0) return null;
  return (await encryptKey({ privateKey: key, passphrase })).armor();
}

/** What the stored key itself says: when it was made, and whether its private part is protected. */
export async function storedKeyDetails(publicKeyArmored: string, privateKeyArmored: string): Promise<{ createdAt: Date; passphraseProtected: boolean }> {
  const [pub, priv] = await Promise.all([readKey({ armoredKey: publicKeyArmored }), readPrivateKey({ armoredKey: privateKeyArmored })]);
  return { createdAt: pub.getCreationTime(), passphraseProtected: isProtected(priv) };
}

/** "Name <mail@host>" (or a bare name or address) as an OpenPGP user ID. */
export function parseUserId(text: string): UserID {
  const trimmed = text.trim();
  const withMail = /^([^<>]*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(trimmed);
  if (withMail) return { ...(withMail[1] && { name: withMail[1] }), email: withMail[2] ?? '' };
  if (/^[^<>\s]+@[^<>\s]+$/.test(trimmed)) return { email: trimmed };
  if (trimmed && !/[<>]/.test(trimmed)) return { name: trimmed };
  throw badRequest('signing_key_user_id_invalid', 'The user ID of the key must be a name, an e-mail address or “Name <address>”.');
}

/** A new signing key for `userId`, valid for {@link KEY_LIFETIME_DAYS}. */
export async function generatePrivateKey(userId: UserID): Promise<PrivateKey> {
  const { privateKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userId],
    keyExpirationTime: KEY_LIFETIME_DAYS * 86_400,
    format: 'object',
  });
  return privateKey;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Import checks

/** Parses an armored private key and checks that it can sign now; returns it decrypted. */
export async function checkImport(armored: string, passphrase: string | undefined): Promise<PrivateKey> {
  const text = armored.trim();
  if (!/-----BEGIN PGP (PRIVATE|PUBLIC) KEY BLOCK-----/.test(text))
    throw invalid('malformed', 'This is not an ASCII-armored OpenPGP key: it should start with -----BEGIN PGP PRIVATE KEY BLOCK-----.');
  const blocks = text.match(/-----BEGIN PGP [A-Z ]+-----/g) ?? [];
  if (blocks.length > 1)
    throw invalid(
      'several_keys',
      `The file holds ${blocks.length} armored blocks; export only the key that is to sign (gpg --export-secret-keys --armor <fingerprint>).`,
    );
  let keys: Key[];
  try {
    keys = await readKeys({ armoredKeys: text });
  } catch {
    throw invalid('malformed', 'The armored OpenPGP key cannot be read: it is damaged or incomplete.');
  }
  const [key] = keys;
  if (!key) throw invalid('malformed', 'The file holds no OpenPGP key.');
  if (keys.length > 1)
    throw invalid('several_keys', `The file holds ${keys.length} keys; export only the one that is to sign (gpg --export-secret-keys --armor <fingerprint>).`);
  if (!key.isPrivate() || secretPackets(key).length === 0)
    throw invalid('not_private', 'This is a public key; importing needs the private key (gpg --export-secret-keys --armor <fingerprint>).');
  if (await key.isRevoked()) throw invalid('revoked', 'This key has been revoked and cannot sign.');
  const expiration = await key.getExpirationTime();
  if (expiration instanceof Date && expiration.getTime() <= Date.now()) throw invalid('expired', `This key expired on ${day(expiration)}.`);
  if (expiration === null) throw invalid('malformed', 'This key has no valid self-signature: it is damaged or incomplete.');

  let usable: PrivateKey = key;
  if (needsPassphrase(key)) {
    if (!passphrase)
      throw invalid(
        'passphrase_required',
        'This key is protected by a passphrase: give the passphrase to import it (wachtpost keys import --passphrase-stdin).',
      );
    try {
      usable = await decryptKey({ privateKey: key, passphrase });
    } catch {
      throw invalid('wrong_passphrase', 'The passphrase does not open this key.');
    }
  }

  let signer;
  try {
    signer = await usable.getSigningKey();
  } catch {
    throw invalid('cannot_sign', 'This key has no valid key that may sign (no signing capability, or its signing subkey expired or was revoked).');
  }
  const info = signer.getAlgorithmInfo();
  if (signer.keyPacket.version >= 5 || info.algorithm === 'ed25519' || info.algorithm === 'ed448')
    throw invalid(
      'unsupported_algorithm',
      'This key uses the newer OpenPGP key format (RFC 9580), which GnuPG 2.2 and many CSAF tools cannot verify; use an Ed25519 (EdDSA) or RSA key.',
    );
  // A trial signature, checked against the public part: proves the secret and public halves belong together.
  let trial: string;
  try {
    trial = await detachedSignature(usable, TRIAL_DATA);
  } catch (err) {
    throw invalid('cannot_sign', `This key cannot make a signature: ${(err instanceof Error ? err.message : String(err)).replace(/\.$/, '')}.`);
  }
  const checked = await verify({
    message: await createMessage({ binary: TRIAL_DATA }),
    signature: await readSignature({ armoredSignature: trial }),
    verificationKeys: usable.toPublic(),
  });
  const valid = await Promise.all(
    checked.signatures.map((s) =>
      s.verified.then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!valid.length || !valid.every(Boolean)) throw invalid('malformed', 'The private and public parts of this key do not belong together.');
  return usable;
}
