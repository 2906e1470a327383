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
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, forbidden } from '#server/errors.ts';
import { record } from '#modules/audit/audit.service.ts';
import { findCert } from '#modules/organisations/organisation.repository.ts';
import * as repo from './signing-key.repository.ts';

/*
 * The CERT's OpenPGP key: one active key signs (CSAF documents, later mail); retired keys stay so
 * that older signatures still verify. Keys are made as v4 EdDSA on Ed25519 with a Curve25519 ECDH
 * subkey ("ed25519Legacy"), the kind GnuPG 2.2 and other CSAF tools verify; the newer RFC 9580
 * Ed25519 keys are not readable by GnuPG 2.2.
 */

/** How long a generated key is valid; `wachtpost doctor` warns in the last month. */
export const KEY_LIFETIME_DAYS = 730;
/** The window in which an expiring key is reported. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;
const TRIAL_DATA = new TextEncoder().encode('wachtpost key check');

export type InvalidKeyReason =
  'malformed' | 'not_private' | 'several_keys' | 'cannot_sign' | 'expired' | 'revoked' | 'passphrase_required' | 'wrong_passphrase' | 'unsupported_algorithm';

const invalid = (reason: InvalidKeyReason, message: string): AppError => badRequest('signing_key_invalid', message, { reason });

const missingKey = (): AppError =>
  new AppError('conflict', 'signing_key_missing', 'No active OpenPGP key: run “wachtpost keys rotate” or “wachtpost keys import <file>”.');

export interface ActiveSigningKey {
  fingerprint: string;
  publicKeyArmored: string;
  userId: string;
  expiresAt: Date | null;
}

export interface PublicSigningKey {
  fingerprint: string;
  armored: string;
  status: 'active' | 'retired';
}

export interface SigningKeyInfo {
  fingerprint: string;
  userId: string;
  algorithm: string;
  status: 'active' | 'retired';
  /** When the key itself was made (as GnuPG shows it). */
  createdAt: Date;
  /** When Wachtpost stored it (generated or imported). */
  addedAt: Date;
  expiresAt: Date | null;
  retiredAt: Date | null;
  /** Whether the stored private key is encrypted with WACHTPOST_KEY_PASSPHRASE. */
  passphraseProtected: boolean;
}

/** A key ready to store: public data and the private key as it goes into the database. */
interface PreparedKey {
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
// Key helpers (no database)

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
async function detachedSignature(key: PrivateKey, bytes: Uint8Array): Promise<string> {
  const signature: unknown = await sign({ message: await createMessage({ binary: bytes }), signingKeys: key, detached: true, format: 'armored' });
  if (typeof signature !== 'string') throw new Error('OpenPGP returned no armored signature.');
  return signature;
}

const fingerprintOf = (key: Key): string => key.getFingerprint().toUpperCase();

/** The private key as stored: encrypted with WACHTPOST_KEY_PASSPHRASE when it is set. */
async function storedForm(ctx: Ctx, key: PrivateKey): Promise<{ armored: string; protected: boolean }> {
  const passphrase = ctx.services.config.keyPassphrase;
  if (!passphrase) return { armored: key.armor(), protected: false };
  const locked = await encryptKey({ privateKey: key, passphrase });
  return { armored: locked.armor(), protected: true };
}

async function prepare(ctx: Ctx, key: PrivateKey): Promise<PreparedKey> {
  const stored = await storedForm(ctx, key);
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

async function unlockedKey(ctx: Ctx, fingerprint: string, armored: string): Promise<PrivateKey> {
  const cached = unlocked.get(fingerprint);
  if (cached) return cached;
  const key = await unlockStored(armored, ctx.services.config.keyPassphrase);
  remember(fingerprint, key);
  return key;
}

/** "Name <mail@host>" (or a bare name or address) as an OpenPGP user ID. */
function parseUserId(text: string): UserID {
  const trimmed = text.trim();
  const withMail = /^([^<>]*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(trimmed);
  if (withMail) return { ...(withMail[1] && { name: withMail[1] }), email: withMail[2] ?? '' };
  if (/^[^<>\s]+@[^<>\s]+$/.test(trimmed)) return { email: trimmed };
  if (trimmed && !/[<>]/.test(trimmed)) return { name: trimmed };
  throw badRequest('signing_key_user_id_invalid', 'The user ID of the key must be a name, an e-mail address or “Name <address>”.');
}

/** "CERT voor de zorg <cert@cert.example>": the CERT organisation's name and the host of PUBLIC_URL. */
async function defaultUserId(ctx: Ctx): Promise<UserID> {
  const cert = await findCert(ctx.db);
  const name = (cert?.name ?? '').replace(/[<>]/g, '').trim() || 'Wachtpost CERT';
  const host = new URL(ctx.services.config.publicUrl).hostname.toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host) ? { name, email: `cert@${host}` } : { name };
}

async function generate(ctx: Ctx, userId: string | undefined): Promise<PreparedKey> {
  const { privateKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userId ? parseUserId(userId) : await defaultUserId(ctx)],
    keyExpirationTime: KEY_LIFETIME_DAYS * 86_400,
    format: 'object',
  });
  return prepare(ctx, privateKey);
}

/** Key changes are for CERT admins; a context without an actor is the server itself or the CLI. */
function requireKeyAdmin(ctx: Ctx): void {
  if (ctx.actor && ctx.actor.role !== 'cert-admin') throw forbidden('Only a CERT admin manages the OpenPGP keys.');
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown };
  return e.code === '23505';
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Import checks

/** Parses an armored private key and checks that it can sign now; returns it decrypted. */
async function checkImport(armored: string, passphrase: string | undefined): Promise<PrivateKey> {
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

// ---------------------------------------------------------------------------------------------
// The API

/**
 * Makes sure there is an active key, generating one when there is none. Run at server start; safe
 * when several processes start at once (the key changes are serialised and re-read). An existing
 * key stored unprotected is encrypted once WACHTPOST_KEY_PASSPHRASE is set.
 *
 * `userId` is the OpenPGP user ID of a new key; by default the CERT's name and cert@<PUBLIC_URL host>.
 */
export async function ensureSigningKey(ctx: Ctx, opts: { userId?: string } = {}): Promise<{ fingerprint: string; created: boolean }> {
  requireKeyAdmin(ctx);
  const existing = await repo.findActive(ctx.db);
  if (existing) {
    await protectIfNeeded(ctx, existing.fingerprint, existing.private_key);
    warnIfExpiring(ctx, existing.fingerprint, existing.expires_at);
    return { fingerprint: existing.fingerprint, created: false };
  }
  const key = await generate(ctx, opts.userId);
  try {
    return await inTransaction(ctx, async (tx) => {
      await repo.lockKeys(tx.db);
      const raced = await repo.findActive(tx.db);
      if (raced) return { fingerprint: raced.fingerprint, created: false };
      await repo.insertActive(tx.db, key);
      await record(tx, {
        action: 'signing_key.generate',
        targetType: 'signing_key',
        targetId: key.fingerprint,
        details: { userId: key.userId, algorithm: key.algorithm, expiresAt: key.expiresAt?.toISOString() ?? null, passphraseProtected: key.protected },
      });
      ctx.services.log.info({ fingerprint: key.fingerprint }, 'generated the OpenPGP signing key');
      return { fingerprint: key.fingerprint, created: true };
    });
  } catch (err) {
    if (!isUniqueViolation(err) || ctx.db.isTransaction) throw err;
    const winner = await repo.findActive(ctx.db);
    if (!winner) throw err;
    return { fingerprint: winner.fingerprint, created: false };
  }
}

async function protectIfNeeded(ctx: Ctx, fingerprint: string, storedPrivateKey: string): Promise<void> {
  const passphrase = ctx.services.config.keyPassphrase;
  if (!passphrase) return;
  const key = await readPrivateKey({ armoredKey: storedPrivateKey });
  if (needsPassphrase(key) || secretPackets(key).length === 0) return;
  const locked = (await encryptKey({ privateKey: key, passphrase })).armor();
  await inTransaction(ctx, async (tx) => {
    await repo.lockKeys(tx.db);
    if (!(await repo.replacePrivateKey(tx.db, fingerprint, storedPrivateKey, locked))) return;
    await record(tx, { action: 'signing_key.protect', targetType: 'signing_key', targetId: fingerprint });
    ctx.services.log.info({ fingerprint }, 'the OpenPGP signing key is now stored protected by WACHTPOST_KEY_PASSPHRASE');
  });
}

function warnIfExpiring(ctx: Ctx, fingerprint: string, expiresAt: Date | null): void {
  if (!expiresAt) return;
  const days = Math.floor((expiresAt.getTime() - Date.now()) / DAY_MS);
  if (days < 0) ctx.services.log.warn({ fingerprint }, `the OpenPGP signing key expired on ${day(expiresAt)}: run “wachtpost keys rotate”`);
  else if (days <= EXPIRY_WARNING_DAYS)
    ctx.services.log.warn({ fingerprint }, `the OpenPGP signing key expires on ${day(expiresAt)}: run “wachtpost keys rotate” before then`);
}

/** The active key's public part. */
export async function activeSigningKey(ctx: Ctx): Promise<ActiveSigningKey> {
  const row = await repo.findActive(ctx.db);
  if (!row) throw missingKey();
  return { fingerprint: row.fingerprint, publicKeyArmored: row.public_key, userId: row.user_id, expiresAt: row.expires_at };
}

/** A detached, armored signature over the exact bytes (a string is signed as its UTF-8 bytes), by the active key. */
export async function signDetached(ctx: Ctx, data: string | Uint8Array): Promise<{ signature: string; fingerprint: string }> {
  const row = await repo.findActiveForSigning(ctx.db);
  if (!row) throw missingKey();
  if (row.expires_at && row.expires_at.getTime() <= Date.now())
    throw new AppError(
      'conflict',
      'signing_key_expired',
      `The active OpenPGP key expired on ${day(row.expires_at)}: run “wachtpost keys rotate” or “wachtpost keys import <file>”.`,
    );
  const key = await unlockedKey(ctx, row.fingerprint, row.private_key);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return { signature: await detachedSignature(key, bytes), fingerprint: row.fingerprint };
}

/** Every public key, active first, then the retired ones (whose older signatures still verify). */
export async function publicKeys(ctx: Ctx): Promise<PublicSigningKey[]> {
  const rows = await repo.listKeys(ctx.db);
  return rows.map((r) => ({ fingerprint: r.fingerprint, armored: r.public_key, status: r.status }));
}

/** Every key with the details `wachtpost keys show` prints. */
export async function listSigningKeys(ctx: Ctx): Promise<SigningKeyInfo[]> {
  requireKeyAdmin(ctx);
  const rows = await repo.listKeysWithPrivate(ctx.db);
  return Promise.all(
    rows.map(async (r) => {
      const [pub, priv] = await Promise.all([readKey({ armoredKey: r.public_key }), readPrivateKey({ armoredKey: r.private_key })]);
      return {
        fingerprint: r.fingerprint,
        userId: r.user_id,
        algorithm: r.algorithm,
        status: r.status,
        createdAt: pub.getCreationTime(),
        addedAt: r.created_at,
        expiresAt: r.expires_at,
        retiredAt: r.retired_at,
        passphraseProtected: isProtected(priv),
      };
    }),
  );
}

/**
 * Makes an existing private key the active one: it must be able to sign now (not expired, not
 * revoked). It is decrypted with `passphrase` and stored under WACHTPOST_KEY_PASSPHRASE (or
 * unprotected without it). Importing a retired key makes it active again; the active key unchanged.
 */
export async function importSigningKey(ctx: Ctx, armoredPrivateKey: string, opts: { passphrase?: string } = {}): Promise<{ fingerprint: string }> {
  requireKeyAdmin(ctx);
  const key = await prepare(ctx, await checkImport(armoredPrivateKey, opts.passphrase));
  return inTransaction(ctx, async (tx) => {
    await repo.lockKeys(tx.db);
    const known = await repo.findByFingerprint(tx.db, key.fingerprint);
    if (known?.status === 'active') return { fingerprint: key.fingerprint };
    const retired = await repo.retireActive(tx.db);
    if (known) await repo.reactivate(tx.db, key.fingerprint, key.privateKey);
    else await repo.insertActive(tx.db, key);
    await record(tx, {
      action: 'signing_key.import',
      targetType: 'signing_key',
      targetId: key.fingerprint,
      details: {
        userId: key.userId,
        algorithm: key.algorithm,
        expiresAt: key.expiresAt?.toISOString() ?? null,
        passphraseProtected: key.protected,
        retired,
        reactivated: Boolean(known),
      },
    });
    return { fingerprint: key.fingerprint };
  });
}

/** Generates a new key and makes it the active one; the old one is retired (and still published). */
export async function rotateSigningKey(ctx: Ctx): Promise<{ fingerprint: string; retired: string | null }> {
  requireKeyAdmin(ctx);
  const key = await generate(ctx, undefined);
  return inTransaction(ctx, async (tx) => {
    await repo.lockKeys(tx.db);
    const retired = await repo.retireActive(tx.db);
    await repo.insertActive(tx.db, key);
    await record(tx, {
      action: 'signing_key.rotate',
      targetType: 'signing_key',
      targetId: key.fingerprint,
      details: { userId: key.userId, algorithm: key.algorithm, expiresAt: key.expiresAt?.toISOString() ?? null, passphraseProtected: key.protected, retired },
    });
    return { fingerprint: key.fingerprint, retired };
  });
}
