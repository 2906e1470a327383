import { type UserID } from 'openpgp';
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, forbidden } from '#server/errors.ts';
import { record } from '#modules/audit/audit.service.ts';
import { findCert } from '#modules/organisations/organisation.repository.ts';
import {
  checkImport,
  detachedSignature,
  generatePrivateKey,
  parseUserId,
  prepareKey,
  protectedForm,
  storedKeyDetails,
  unlockedKey,
  type PreparedKey,
} from './openpgp-key.ts';
import * as repo from './signing-key.repository.ts';

/*
 * The CERT's OpenPGP key: one active key signs (CSAF documents, later mail); retired keys stay so
 * that older signatures still verify. The key material itself is handled in openpgp-key.ts.
 */

/** The window in which an expiring key is reported. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

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

/** "CERT voor de zorg <cert@cert.example>": the CERT organisation's name and the host of PUBLIC_URL. */
async function defaultUserId(ctx: Ctx): Promise<UserID> {
  const cert = await findCert(ctx.db);
  const name = (cert?.name ?? '').replace(/[<>]/g, '').trim() || 'Wachtpost CERT';
  const host = new URL(ctx.services.config.publicUrl).hostname.toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host) ? { name, email: `cert@${host}` } : { name };
}

async function generate(ctx: Ctx, userId: string | undefined): Promise<PreparedKey> {
  const privateKey = await generatePrivateKey(userId ? parseUserId(userId) : await defaultUserId(ctx));
  return prepareKey(privateKey, ctx.services.config.keyPassphrase);
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
  const locked = await protectedForm(storedPrivateKey, passphrase);
  if (locked === null) return;
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
  const key = await unlockedKey(row.fingerprint, row.private_key, ctx.services.config.keyPassphrase);
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
      const { createdAt, passphraseProtected } = await storedKeyDetails(r.public_key, r.private_key);
      return {
        fingerprint: r.fingerprint,
        userId: r.user_id,
        algorithm: r.algorithm,
        status: r.status,
        createdAt,
        addedAt: r.created_at,
        expiresAt: r.expires_at,
        retiredAt: r.retired_at,
        passphraseProtected,
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
  const key = await prepareKey(await checkImport(armoredPrivateKey, opts.passphrase), ctx.services.config.keyPassphrase);
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
