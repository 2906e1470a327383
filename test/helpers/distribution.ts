import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKey } from 'openpgp';
import pino from 'pino';
import { createMailer, type Mailer } from '../../src/modules/mail/mailer.ts';
import { drainOutbox, type OutboxHandlers } from '../../src/modules/mail/outbox.service.ts';
import { rawAwareMailHandler } from '../../src/modules/mail/signed-mail.ts';
import { createDispatchHandler } from '../../src/modules/distribution/dispatch.ts';
import { createWebhookHandler } from '../../src/modules/distribution/webhook-sender.ts';
import * as contactRepo from '../../src/modules/organisations/contact.repository.ts';
import type { TestApp } from './test-app.ts';
import { runGpg } from './gpg.ts';

/** The distribution worker, wired as `wachtpost serve` wires it, against a test SMTP server. */
export interface Worker {
  mailer: Mailer;
  drain(): Promise<number>;
  close(): void;
}

export function startWorker(t: TestApp, smtpUrl: string): Worker {
  const mailer = createMailer(smtpUrl, t.services.config.mailFrom, pino({ level: 'silent' }), { maxConnections: 4 });
  const handlers: OutboxHandlers = { mail: rawAwareMailHandler(mailer), dispatch: createDispatchHandler(mailer), webhook: createWebhookHandler() };
  return {
    mailer,
    drain: () => drainOutbox(t.system, handlers, { concurrency: 4, leaseSeconds: 60 }),
    close: () => mailer.close(),
  };
}

export interface ContactKey {
  publicKey: string;
  privateKey: string;
}

/** A contact's own key pair (Curve25519, as GnuPG 2.2 makes by default), with no passphrase. */
export async function makeContactKey(name: string, email: string): Promise<ContactKey> {
  const { publicKey, privateKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name, email }], format: 'armored' });
  return { publicKey, privateKey };
}

export async function addContact(
  t: TestApp,
  organisationId: string,
  c: { name?: string; email: string; subscriptions?: string[]; languages?: string[]; roles?: string[]; key?: ContactKey; onlyRelevant?: boolean; userId?: string | null },
) {
  const { parsePublicKey } = await import('../../src/modules/organisations/pgp-key.ts');
  const parsed = c.key ? await parsePublicKey(c.key.publicKey) : null;
  return contactRepo.insertContact(t.system.db, organisationId, {
    name: c.name ?? c.email,
    email: c.email,
    kind: 'person',
    roles: c.roles ?? [],
    languages: c.languages ?? ['nl'],
    phone: null,
    subscriptions: c.subscriptions ?? ['advisories'],
    pgp_public_key: parsed?.armored ?? null,
    pgp_fingerprint: parsed?.fingerprint ?? null,
    pgp_user_ids: parsed?.userIds ?? null,
    pgp_expires_at: parsed?.expiresAt ?? null,
    user_id: c.userId ?? null,
    only_relevant: c.onlyRelevant ?? false,
  });
}

/** `gpg --decrypt` with the contact's private key in a throwaway keyring: what the recipient reads. */
export async function gpgDecrypt(key: ContactKey, armoredMessage: string): Promise<{ ok: boolean; plaintext: string; output: string }> {
  const home = await mkdtemp(path.join(tmpdir(), 'wp-gpg-'));
  try {
    await writeFile(path.join(home, 'key.asc'), key.privateKey);
    await writeFile(path.join(home, 'msg.asc'), armoredMessage);
    const imported = await runGpg(['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--import', path.join(home, 'key.asc')], { ...process.env, GNUPGHOME: home });
    if (imported.code !== 0) return { ok: false, plaintext: '', output: imported.stderr };
    const out = await runGpg(['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--status-fd', '2', '--decrypt', path.join(home, 'msg.asc')], { ...process.env, GNUPGHOME: home });
    return { ok: out.code === 0 && /DECRYPTION_OKAY/.test(out.stderr), plaintext: out.stdout.toString('utf8'), output: out.stderr };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** The parts of a multipart/signed entity (RFC 3156): the exact signed bytes and the signature. */
export function signedParts(entity: string): { micalg: string; signed: string; signature: string } {
  const header = /Content-Type: multipart\/signed;([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)/i.exec(entity);
  if (!header) throw new Error('not a multipart/signed entity');
  const boundary = /boundary="([^"]+)"/.exec(header[1]!)?.[1];
  const micalg = /micalg=([^;\s]+)/.exec(header[1]!)?.[1] ?? '';
  if (!boundary) throw new Error('no boundary');
  const delimiter = `\r\n--${boundary}`;
  const first = entity.indexOf(`--${boundary}\r\n`);
  const start = first + boundary.length + 4;
  const end = entity.indexOf(delimiter, start);
  const signed = entity.slice(start, end);
  const sigStart = entity.indexOf('-----BEGIN PGP SIGNATURE-----', end);
  const sigEnd = entity.indexOf('-----END PGP SIGNATURE-----', sigStart) + '-----END PGP SIGNATURE-----'.length;
  return { micalg, signed, signature: entity.slice(sigStart, sigEnd) };
}

/** The armored OpenPGP message inside a multipart/encrypted entity. */
export function encryptedPart(raw: string): string {
  const start = raw.indexOf('-----BEGIN PGP MESSAGE-----');
  const end = raw.indexOf('-----END PGP MESSAGE-----');
  if (start < 0 || end < 0) throw new Error('no PGP message');
  return raw.slice(start, end + '-----END PGP MESSAGE-----'.length);
}

/** The body of a base64 part, decoded (for reading the text of a signed entity). */
export function decodeParts(entity: string): string {
  return [...entity.matchAll(/Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)(?:\r\n--)/g)].map((m) => Buffer.from(m[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8')).join('\n');
}
