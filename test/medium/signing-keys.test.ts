import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { armor, encryptKey, enums, generateKey, readPrivateKey, revokeKey, type PrivateKey } from 'openpgp';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';
import { loadConfig } from '../../src/server/config.ts';
import { AppError } from '../../src/server/errors.ts';
import { systemContext, type Ctx, type Services } from '../../src/server/context.ts';
import * as orgRepo from '../../src/modules/organisations/organisation.repository.ts';
import { verifyChain } from '../../src/modules/audit/audit.service.ts';
import {
  activeSigningKey,
  ensureSigningKey,
  importSigningKey,
  listSigningKeys,
  publicKeys,
  rotateSigningKey,
  signDetached,
} from '../../src/modules/keys/signing-key.service.ts';

/*
 * The CERT's signing key against a real database, and its signatures checked by GnuPG itself (the
 * tool most CSAF consumers verify with). Without /usr/bin/gpg the file is skipped, except on CI.
 */

const GPG = '/usr/bin/gpg';
const hasGpg = existsSync(GPG);
const mustRun = process.env.CI === 'true';
if (!hasGpg && !mustRun) console.warn(`signing-keys.test.ts: skipped, GnuPG (gpg) is not installed at ${GPG}.`);

const PASSPHRASE = 'een lange geheime zin voor de sleutel';
const homes: string[] = [];

function tempHome(): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'wp-gpg-'));
  homes.push(home);
  return home;
}

function gpg(home: string, args: string[], input?: string) {
  const r = spawnSync(GPG, ['--homedir', home, '--batch', '--no-tty', ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Verifies `signature` over `data` with GnuPG in a fresh home that holds only `publicKey`. */
function gpgVerify(publicKey: string, data: string | Uint8Array, signature: string) {
  const home = tempHome();
  const imported = gpg(home, ['--import'], publicKey);
  if (imported.code !== 0) throw new Error(`gpg --import failed: ${imported.stderr}`);
  writeFileSync(path.join(home, 'data'), data);
  writeFileSync(path.join(home, 'data.asc'), signature);
  return gpg(home, ['--status-fd', '1', '--verify', path.join(home, 'data.asc'), path.join(home, 'data')]);
}

/** A key made by GnuPG itself, exported armored (optionally protected by `passphrase`). */
function gnupgKey(userId: string, passphrase = ''): { armored: string; fingerprint: string } {
  const home = tempHome();
  const gen = gpg(home, ['--pinentry-mode', 'loopback', '--passphrase', passphrase, '--quick-gen-key', userId, 'ed25519', 'sign', '1y']);
  if (gen.code !== 0) throw new Error(`gpg --quick-gen-key failed: ${gen.stderr}`);
  const exported = gpg(home, ['--pinentry-mode', 'loopback', '--passphrase', passphrase, '--armor', '--export-secret-keys']);
  const listed = gpg(home, ['--with-colons', '--list-secret-keys']);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listed.stdout)?.[1];
  spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
  if (!fingerprint || !exported.stdout.includes('PRIVATE KEY BLOCK')) throw new Error(`gpg export failed: ${exported.stderr}`);
  return { armored: exported.stdout, fingerprint };
}

async function expectCode(p: Promise<unknown>, code: string, reason?: string): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(AppError);
  const appError = err as AppError;
  expect(appError.code).toBe(code);
  if (reason) expect(appError.details).toMatchObject({ reason });
  expect(appError.message).toMatch(/[.!]$/);
  return appError;
}

async function openpgpKey(opts: { date?: Date; keyExpirationTime?: number } = {}): Promise<PrivateKey> {
  const { privateKey } = await generateKey({ userIDs: [{ name: 'Test', email: 'test@cert.example' }], format: 'object', ...opts });
  return privateKey;
}

describe.skipIf(!hasGpg && !mustRun)('the CERT signing key', () => {
  let db: TestDatabase;
  let services: Services;
  let ctx: Ctx;
  /** The same installation with WACHTPOST_KEY_PASSPHRASE set. */
  let protectedCtx: Ctx;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ PUBLIC_URL: 'https://cert.example', LOG_LEVEL: 'silent' });
    services = { config, database: db.database, log: pino({ level: 'silent' }) };
    ctx = systemContext(services, 'test');
    protectedCtx = systemContext({ ...services, config: { ...config, keyPassphrase: PASSPHRASE } }, 'test');
  });
  afterAll(async () => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    await db?.drop();
  });

  it('without a key, reading or signing says what to run', async () => {
    const err = await expectCode(activeSigningKey(ctx), 'signing_key_missing');
    expect(err.message).toBe('No active OpenPGP key: run “wachtpost keys rotate” or “wachtpost keys import <file>”.');
    await expectCode(signDetached(ctx, 'x'), 'signing_key_missing');
    expect(await publicKeys(ctx)).toEqual([]);
  });

  it('ensureSigningKey called concurrently makes exactly one key, named "Wachtpost CERT" before there is a CERT organisation', async () => {
    const results = await Promise.all([ensureSigningKey(ctx), ensureSigningKey(ctx), ensureSigningKey(ctx)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.fingerprint)).size).toBe(1);
    const rows = await ctx.db.selectFrom('signing_keys').select(['fingerprint', 'status']).execute();
    expect(rows).toEqual([{ fingerprint: results[0].fingerprint, status: 'active' }]);
    expect(results[0].fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect((await activeSigningKey(ctx)).userId).toBe('Wachtpost CERT <cert@cert.example>');
    // Once there is a key, a later start changes nothing.
    expect(await ensureSigningKey(ctx)).toEqual({ fingerprint: results[0].fingerprint, created: false });
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', 'like', 'signing_key.%').execute();
    expect(audit).toEqual([{ action: 'signing_key.generate', target_id: results[0].fingerprint }]);
  });

  it('rotate retires the old key, names the new one after the CERT, and old signatures still verify with the old key', async () => {
    const old = await activeSigningKey(ctx);
    const oldSignature = await signDetached(ctx, 'signed before the rotation\n');
    await orgRepo.insertOrganisation(ctx.db, {
      kind: 'cert',
      name: 'CERT voor de zorg',
      shortName: null,
      segment: null,
      membershipStatus: 'active',
      memberSince: null,
      memberUntil: null,
    });
    const rotated = await rotateSigningKey(ctx);
    expect(rotated.retired).toBe(old.fingerprint);
    expect(rotated.fingerprint).not.toBe(old.fingerprint);
    const active = await activeSigningKey(ctx);
    expect(active).toMatchObject({ fingerprint: rotated.fingerprint, userId: 'CERT voor de zorg <cert@cert.example>' });
    // Two years, give or take the test's run time.
    expect(Math.round((active.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(730);
    const keys = await publicKeys(ctx);
    expect(keys.map((k) => [k.fingerprint, k.status])).toEqual([
      [rotated.fingerprint, 'active'],
      [old.fingerprint, 'retired'],
    ]);
    expect(keys[0]!.armored).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(keys[0]!.armored).not.toContain('PRIVATE');
    expect(gpgVerify(keys[1]!.armored, 'signed before the rotation\n', oldSignature.signature).code).toBe(0);
    const fresh = await signDetached(ctx, 'after');
    expect(fresh.fingerprint).toBe(rotated.fingerprint);
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('action', '=', 'signing_key.rotate')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ target_id: rotated.fingerprint, details: { retired: old.fingerprint } });
  });

  it('signs a string detached and armored; GnuPG verifies it, names the fingerprint, and refuses a tampered file', async () => {
    const { publicKeyArmored, fingerprint } = await activeSigningKey(ctx);
    const document = `${JSON.stringify({ document: { title: 'Kwetsbaarheid in infuuspomp', tracking: { id: 'WP-2026-0001' } } }, null, 2)}\n`;
    const signed = await signDetached(ctx, document);
    expect(signed.fingerprint).toBe(fingerprint);
    expect(signed.signature).toMatch(/^-----BEGIN PGP SIGNATURE-----[\s\S]+-----END PGP SIGNATURE-----\s*$/);
    const good = gpgVerify(publicKeyArmored, document, signed.signature);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain(`VALIDSIG ${fingerprint}`);
    expect(good.stderr).toContain(fingerprint);
    expect(good.stderr).toContain('Good signature from "CERT voor de zorg <cert@cert.example>"');
    const tampered = gpgVerify(publicKeyArmored, document.replace('infuuspomp', 'infuuspompen'), signed.signature);
    expect(tampered.code).not.toBe(0);
    expect(tampered.stdout).toContain('BADSIG');
  });

  it('signs bytes exactly as given (a binary signature: CRLF and non-UTF-8 bytes are not rewritten)', async () => {
    const { publicKeyArmored } = await activeSigningKey(ctx);
    const bytes = new Uint8Array([0x7b, 0x0d, 0x0a, 0xff, 0x00, 0x7d, 0x0a]);
    const signed = await signDetached(ctx, bytes);
    expect(gpgVerify(publicKeyArmored, bytes, signed.signature).code).toBe(0);
    expect(gpgVerify(publicKeyArmored, new Uint8Array([0x7b, 0x0a, 0xff, 0x00, 0x7d, 0x0a]), signed.signature).code).not.toBe(0);
  });

  it('signs fast once the key is unlocked (signatures per second)', async () => {
    const data = JSON.stringify({ document: { notes: 'x'.repeat(20_000) } });
    await signDetached(ctx, data);
    const n = 100;
    const started = performance.now();
    for (let i = 0; i < n; i++) await signDetached(ctx, data);
    const perSecond = n / ((performance.now() - started) / 1000);
    console.info(`signDetached: ${perSecond.toFixed(0)} signatures/second (20 kB document, PGlite)`);
    expect(perSecond).toBeGreaterThan(20);
  });

  it('imports a key made by GnuPG; its signatures verify, and the previous key is retired', async () => {
    const before = await activeSigningKey(ctx);
    const made = gnupgKey('Test <t@cert.example>');
    const imported = await importSigningKey(ctx, made.armored);
    expect(imported.fingerprint).toBe(made.fingerprint);
    const active = await activeSigningKey(ctx);
    expect(active).toMatchObject({ fingerprint: made.fingerprint, userId: 'Test <t@cert.example>' });
    expect(active.expiresAt).toBeInstanceOf(Date);
    const statuses = new Map((await publicKeys(ctx)).map((k) => [k.fingerprint, k.status]));
    expect(statuses.get(before.fingerprint)).toBe('retired');
    expect(statuses.get(made.fingerprint)).toBe('active');
    const signed = await signDetached(ctx, 'signed by an imported key');
    expect(signed.fingerprint).toBe(made.fingerprint);
    const r = gpgVerify(active.publicKeyArmored, 'signed by an imported key', signed.signature);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`VALIDSIG ${made.fingerprint}`);
    const info = (await listSigningKeys(ctx)).find((k) => k.fingerprint === made.fingerprint);
    expect(info).toMatchObject({ status: 'active', algorithm: 'EdDSA ed25519', passphraseProtected: false });
    // Importing the active key again changes nothing.
    expect(await importSigningKey(ctx, made.armored)).toEqual({ fingerprint: made.fingerprint });
    expect(await ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'signing_key.import').execute()).toHaveLength(1);
  });

  it('imports a passphrase-protected GnuPG key with its passphrase only', async () => {
    const made = gnupgKey('Beschermd <b@cert.example>', 'het wachtwoord van gnupg');
    await expectCode(importSigningKey(ctx, made.armored), 'signing_key_invalid', 'passphrase_required');
    await expectCode(importSigningKey(ctx, made.armored, { passphrase: 'fout' }), 'signing_key_invalid', 'wrong_passphrase');
    expect((await activeSigningKey(ctx)).fingerprint).not.toBe(made.fingerprint);
    await importSigningKey(ctx, made.armored, { passphrase: 'het wachtwoord van gnupg' });
    const active = await activeSigningKey(ctx);
    expect(active.fingerprint).toBe(made.fingerprint);
    // Stored without WACHTPOST_KEY_PASSPHRASE: unprotected, so the server can sign without the GnuPG passphrase.
    const signed = await signDetached(ctx, 'x');
    expect(gpgVerify(active.publicKeyArmored, 'x', signed.signature).code).toBe(0);
  });

  it('refuses a public key, an expired key, a revoked key, a bundle of keys, garbage and broken armor, with the reason', async () => {
    const active = (await activeSigningKey(ctx)).fingerprint;
    const key = await openpgpKey();
    await expectCode(importSigningKey(ctx, key.toPublic().armor()), 'signing_key_invalid', 'not_private');
    const expired = await openpgpKey({ date: new Date(Date.now() - 3 * 86_400_000), keyExpirationTime: 86_400 });
    const err = await expectCode(importSigningKey(ctx, expired.armor()), 'signing_key_invalid', 'expired');
    expect(err.message).toMatch(/^This key expired on \d{4}-\d{2}-\d{2}\.$/);
    const { privateKey: revoked } = await revokeKey({ key: await openpgpKey(), format: 'object' });
    await expectCode(importSigningKey(ctx, revoked.armor()), 'signing_key_invalid', 'revoked');
    const second = await openpgpKey();
    await expectCode(importSigningKey(ctx, `${key.armor()}\n${second.armor()}`), 'signing_key_invalid', 'several_keys');
    // As GnuPG exports two keys: one armored block.
    const bundle = armor(enums.armor.privateKey, new Uint8Array([...key.write(), ...second.write()]));
    await expectCode(importSigningKey(ctx, bundle), 'signing_key_invalid', 'several_keys');
    await expectCode(importSigningKey(ctx, 'dit is geen sleutel'), 'signing_key_invalid', 'malformed');
    const broken = key.armor().replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    await expectCode(importSigningKey(ctx, broken), 'signing_key_invalid', 'malformed');
    const truncated = key.armor().split('\n').slice(0, 4).join('\n') + '\n-----END PGP PRIVATE KEY BLOCK-----\n';
    await expectCode(importSigningKey(ctx, truncated), 'signing_key_invalid', 'malformed');
    // A key in the newer RFC 9580 format, which GnuPG 2.2 cannot verify.
    const { privateKey: modern } = await generateKey({ type: 'curve25519', userIDs: [{ name: 'Nieuw' }], format: 'object' });
    await expectCode(importSigningKey(ctx, modern.armor()), 'signing_key_invalid', 'unsupported_algorithm');
    expect((await activeSigningKey(ctx)).fingerprint).toBe(active);
  });

  it('refuses key changes by anyone but a CERT admin', async () => {
    const analyst = {
      ...ctx,
      actor: {
        userId: '00000000-0000-0000-0000-000000000001',
        email: 'a@cert.example',
        role: 'cert-analyst' as const,
        organisationId: '00000000-0000-0000-0000-000000000002',
        organisationKind: 'cert' as const,
        clientOrganisationIds: [],
        partnerOrganisationIds: [],
        sessionId: null,
        tokenId: null,
        tokenPermissions: null,
      },
    };
    await expectCode(rotateSigningKey(analyst), 'forbidden');
    await expectCode(importSigningKey(analyst, (await openpgpKey()).armor()), 'forbidden');
  });

  it('with WACHTPOST_KEY_PASSPHRASE the private key is stored encrypted and opens only with that passphrase', async () => {
    const rotated = await rotateSigningKey(protectedCtx);
    const row = await ctx.db.selectFrom('signing_keys').select('private_key').where('fingerprint', '=', rotated.fingerprint).executeTakeFirstOrThrow();
    const stored = await readPrivateKey({ armoredKey: row.private_key });
    expect(stored.isDecrypted()).toBe(false);
    expect((await listSigningKeys(ctx)).find((k) => k.fingerprint === rotated.fingerprint)?.passphraseProtected).toBe(true);
    // A process without the passphrase, or with another, cannot sign (tried before any process unlocked this key).
    const locked = await expectCode(signDetached(ctx, 'x'), 'signing_key_locked');
    expect(locked.message).toContain('WACHTPOST_KEY_PASSPHRASE is not set');
    const wrong = systemContext({ ...services, config: { ...services.config, keyPassphrase: 'een andere lange zin' } }, 'test');
    expect((await expectCode(signDetached(wrong, 'x'), 'signing_key_locked')).message).toContain('does not open');
    const signed = await signDetached(protectedCtx, 'beschermd');
    expect(signed.fingerprint).toBe(rotated.fingerprint);
    expect(gpgVerify((await activeSigningKey(ctx)).publicKeyArmored, 'beschermd', signed.signature).code).toBe(0);
  });

  it('an imported key is stored under WACHTPOST_KEY_PASSPHRASE, not its GnuPG passphrase', async () => {
    const key = await openpgpKey();
    const gnupgProtected = await encryptKey({ privateKey: key, passphrase: 'oude passphrase' });
    const { fingerprint } = await importSigningKey(protectedCtx, gnupgProtected.armor(), { passphrase: 'oude passphrase' });
    const row = await ctx.db.selectFrom('signing_keys').select('private_key').where('fingerprint', '=', fingerprint).executeTakeFirstOrThrow();
    const stored = await readPrivateKey({ armoredKey: row.private_key });
    expect(stored.isDecrypted()).toBe(false);
    const signed = await signDetached(protectedCtx, 'y');
    expect(gpgVerify(key.toPublic().armor(), 'y', signed.signature).code).toBe(0);
  });

  it('an unprotected key is encrypted at the next start once WACHTPOST_KEY_PASSPHRASE is set', async () => {
    const { fingerprint } = await importSigningKey(ctx, (await openpgpKey()).armor());
    expect((await listSigningKeys(ctx)).find((k) => k.fingerprint === fingerprint)?.passphraseProtected).toBe(false);
    expect(await ensureSigningKey(protectedCtx)).toEqual({ fingerprint, created: false });
    expect((await listSigningKeys(ctx)).find((k) => k.fingerprint === fingerprint)?.passphraseProtected).toBe(true);
    expect(await ctx.db.selectFrom('audit_log').select('target_id').where('action', '=', 'signing_key.protect').execute()).toEqual([
      { target_id: fingerprint },
    ]);
    // A second start does not encrypt it again.
    await ensureSigningKey(protectedCtx);
    expect(await ctx.db.selectFrom('audit_log').select('target_id').where('action', '=', 'signing_key.protect').execute()).toHaveLength(1);
  });

  it('re-importing a retired key makes it active again; an expired active key refuses to sign', async () => {
    const key = await openpgpKey();
    const { fingerprint } = await importSigningKey(ctx, key.armor());
    await rotateSigningKey(ctx);
    await importSigningKey(ctx, key.armor());
    expect((await activeSigningKey(ctx)).fingerprint).toBe(fingerprint);
    expect(await ctx.db.selectFrom('signing_keys').select('fingerprint').where('status', '=', 'active').execute()).toHaveLength(1);
    await ctx.db
      .updateTable('signing_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('fingerprint', '=', fingerprint)
      .execute();
    const err = await expectCode(signDetached(ctx, 'x'), 'signing_key_expired');
    expect(err.message).toContain('wachtpost keys rotate');
  });

  it('every key change is in an intact audit chain', async () => {
    expect((await verifyChain(ctx)).ok).toBe(true);
    const actions = (await ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'signing_key.%').orderBy('seq').execute()).map(
      (a) => a.action,
    );
    expect(actions).toContain('signing_key.generate');
    expect(actions).toContain('signing_key.rotate');
    expect(actions).toContain('signing_key.import');
    expect(actions).toContain('signing_key.protect');
  });
});
