import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSigningKey, ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import {
  addContact,
  decodeParts,
  encryptedPart,
  gpgDecrypt,
  makeContactKey,
  signedParts,
  startWorker,
  type ContactKey,
  type Worker,
} from '../helpers/distribution.ts';
import { gpgAvailable, gpgVerify } from '../helpers/gpg.ts';
import { actorCtx, makeCertTeam, productInState, type CertTeam } from '../helpers/products.ts';
import { makeOrganisation, makeUser, login } from '../helpers/factories.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink.ts';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import * as drafts from '../../src/modules/advisories/advisory.service.ts';

/*
 * Publishing delivers PGP/MIME mail to exactly the contacts the product's TLP and their
 * subscriptions allow, over a real SMTP server (smtp-server in this process), read back raw and
 * checked with GnuPG from Debian as the recipient would: gpg --verify and gpg --decrypt.
 */

const PUBLIC_URL = 'http://wachtpost.test.example';
const hasGpg = gpgAvailable();
if (!hasGpg) console.warn('skipping the GnuPG checks: gpg (GnuPG) is not installed');

let t: TestApp;
let sink: SmtpSink;
let worker: Worker;
let team: CertTeam;
let certKey: string;
let keyA: ContactKey;
let analyst: Credentials;
const orgs: Record<string, string> = {};
const contacts: Record<string, string> = {};

const to = (m: ReceivedMail) => m.envelopeTo[0] ?? '';
const arrivedFor = (productIdentifier: string) => sink.received.filter((m) => m.raw.toString('utf8').includes(`X-Wachtpost-Product: ${productIdentifier};`));

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL, MAIL_FROM: 'CERT voor de zorg <cert@cert.example>' });
  sink = await startSmtpSink();
  worker = startWorker(t, sink.url);
  team = await makeCertTeam(t);
  await ensureSigningKey(t.system);
  analyst = await login(t, team.author);
  certKey = (await activeSigningKey(t.system)).publicKeyArmored;
  keyA = await makeContactKey('Security Ziekenhuis A', 'security@ziekenhuis-a.example');
  const a = await makeOrganisation(t, 'participant', 'Ziekenhuis A');
  const b = await makeOrganisation(t, 'participant', 'GGZ B');
  const v = await makeOrganisation(t, 'vendor', 'MedTech Devices');
  const s = await makeOrganisation(t, 'participant', 'Verpleeghuis S (geschorst)');
  await t.system.db.updateTable('organisations').set({ membership_status: 'suspended' }).where('id', '=', s.id).execute();
  Object.assign(orgs, { a: a.id, b: b.id, v: v.id, s: s.id });
  const add = async (name: string, org: string, c: Parameters<typeof addContact>[2]) => (contacts[name] = (await addContact(t, org, c)).id);
  await add('aKey', a.id, { email: 'security@ziekenhuis-a.example', key: keyA });
  await add('aEn', a.id, { email: 'soc@ziekenhuis-a.example', languages: ['en'] });
  await add('aNone', a.id, { email: 'finance@ziekenhuis-a.example', subscriptions: [] });
  await add('bBoth', b.id, { email: 'ciso@ggz-b.example', languages: ['nl', 'en'] });
  await add('bRelevant', b.id, { email: 'it@ggz-b.example', onlyRelevant: true });
  await add('vendor', v.id, { email: 'psirt@medtech.example' });
  await add('suspended', s.id, { email: 'ict@verpleeghuis-s.example' });
});
afterAll(async () => {
  worker?.close();
  await sink?.close();
  await t?.close();
});

describe('Distribution: every product reaches the right people, signed, once', () => {
  it('shows who a GREEN advisory will reach before it is published, and delivers to exactly them', async () => {
    const draft = await productInState(t, team, 'approved', { tlp: 'GREEN' });
    const preview = await call(t, 'GET', `/api/v1/advisories/${draft.id}/audience`, analyst);
    expect(preview.statusCode).toBe(200);
    const audience = preview.json<{
      summary: { contacts: number; organisations: number; encrypted: number; held: number };
      contacts: { email: string; encrypted: boolean }[];
    }>();
    const expected = ['security@ziekenhuis-a.example', 'soc@ziekenhuis-a.example', 'ciso@ggz-b.example'];
    expect(audience.contacts.map((c) => c.email).sort()).toEqual([...expected].sort());
    expect(audience.summary).toMatchObject({ contacts: 3, organisations: 2, encrypted: 1, held: 0 });

    const { publish } = await import('../../src/modules/advisories/publication.service.ts');
    const published = await publish(await actorCtx(t, team.reviewers[0].id), draft.id);
    expect(published.audience).toMatchObject({ contacts: 3, organisations: 2, encrypted: 1 });
    // One outbox row per recipient, written by the publishing transaction.
    const rows = await t.system.db
      .selectFrom('outbox')
      .select(['recipient', 'status', 'encrypted'])
      .where('kind', '=', 'dispatch')
      .where('dedupe_key', 'like', `product:${draft.id}:%`)
      .execute();
    expect(rows.map((r) => r.recipient).sort()).toEqual([...expected].sort());

    expect(await worker.drain()).toBe(3);
    const mails = arrivedFor(published.identifier);
    expect(mails.map(to).sort()).toEqual([...expected].sort());
    // Nothing twice: a second pass sends nothing.
    expect(await worker.drain()).toBe(0);
    expect(arrivedFor(published.identifier)).toHaveLength(3);

    const state = await call(t, 'GET', `/api/v1/advisories/${draft.id}/deliveries`, analyst);
    expect(state.json<{ deliveries: { mail: { sent: number; pending: number } }[] }>().deliveries[0]!.mail).toMatchObject({ sent: 3, pending: 0 });
  });

  it('signs every mail as PGP/MIME (gpg --verify accepts it) and encrypts to a contact with a key (gpg --decrypt reads it)', async () => {
    const p = await productInState(t, team, 'published', { tlp: 'GREEN' });
    await worker.drain();
    const mails = arrivedFor(p.identifier!);
    const plain = mails.find((m) => to(m) === 'soc@ziekenhuis-a.example')!;
    const secret = mails.find((m) => to(m) === 'security@ziekenhuis-a.example')!;
    const raw = plain.raw.toString('utf8');
    // Headers: TLP in the subject, a Message-ID fixed per revision and contact, list headers.
    expect(plain.parsed.subject).toBe(`[TLP:GREEN] URGENT ${p.identifier}: Vulnerabilities in InfuCare pumps`);
    expect(secret.parsed.subject).toMatch(new RegExp(`^\\[TLP:GREEN\\] URGENT ${p.identifier}: Kwetsbaarheden in InfuCare-pompen`));
    expect(plain.parsed.messageId).toBe(`<${p.identifier!.toLowerCase()}.r1.${contacts.aEn}@wachtpost.test.example>`);
    expect(raw).toMatch(/^List-Id: .* <advisory\.wachtpost\.test\.example>$/m);
    expect(raw).toMatch(/^List-Unsubscribe: <http:\/\/wachtpost\.test\.example\/m\/preferences\/[A-Za-z0-9_.-]+>$/m);
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw).toMatch(/Content-Type: multipart\/signed; micalg=pgp-sha\d+; protocol="application\/pgp-signature"/);
    expect(plain.envelopeFrom).toBe('cert@cert.example');

    const parts = signedParts(raw);
    const text = decodeParts(parts.signed);
    // The English-only contact reads English; text and HTML both carry the TLP label, the HTML the FIRST colour.
    expect(text).toContain('TLP:GREEN');
    expect(text).toContain('Vulnerabilities in InfuCare pumps');
    expect(text).toContain(`http://wachtpost.test.example/advisories/${p.identifier}`);
    expect(text).toMatch(/color:#33FF00/i);
    if (hasGpg) {
      const verified = await gpgVerify(certKey, parts.signed, parts.signature);
      expect(verified.ok, verified.output).toBe(true);
      // A changed byte breaks it: the signature covers the body the reader sees.
      expect((await gpgVerify(certKey, parts.signed.replace('charset=utf-8', 'charset=utf-7'), parts.signature)).ok).toBe(false);
    }

    const encryptedRaw = secret.raw.toString('utf8');
    expect(encryptedRaw).toMatch(/Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted"/);
    expect(encryptedRaw).not.toContain('Kwetsbaarheden in InfuCare-pompen\r\n');
    if (hasGpg) {
      const decrypted = await gpgDecrypt(keyA, encryptedPart(encryptedRaw));
      expect(decrypted.ok, decrypted.output).toBe(true);
      const inner = signedParts(decrypted.plaintext.replace(/\r?\n/g, '\r\n'));
      expect(decodeParts(inner.signed)).toContain('Installeer firmware 4.3.1 of hoger');
      const verified = await gpgVerify(certKey, inner.signed, inner.signature);
      expect(verified.ok, verified.output).toBe(true);
    }
  });

  it('sends AMBER only to the named organisations (and the CERT), RED only to the named ones, never to suspended members', async () => {
    const amber = await productInState(t, team, 'published', { tlp: 'AMBER', recipients: [orgs.b!] });
    const red = await productInState(t, team, 'published', { tlp: 'RED', recipients: [orgs.a!, orgs.s!] });
    const clear = await productInState(t, team, 'published', { tlp: 'CLEAR' });
    await worker.drain();
    expect(arrivedFor(amber.identifier!).map(to).sort()).toEqual(['ciso@ggz-b.example']);
    expect(arrivedFor(red.identifier!).map(to).sort()).toEqual(['security@ziekenhuis-a.example', 'soc@ziekenhuis-a.example']);
    // CLEAR reaches the vendor too; the suspended member and the unsubscribed contact get nothing.
    expect(arrivedFor(clear.identifier!).map(to).sort()).toEqual([
      'ciso@ggz-b.example',
      'psirt@medtech.example',
      'security@ziekenhuis-a.example',
      'soc@ziekenhuis-a.example',
    ]);
    expect(sink.received.some((m) => to(m) === 'ict@verpleeghuis-s.example' || to(m) === 'finance@ziekenhuis-a.example')).toBe(false);
  });

  it('cannot be widened from the API: no recipient list is accepted, and participants cannot see the audience', async () => {
    const draft = await productInState(t, team, 'draft', { tlp: 'GREEN' });
    const current = (await call(t, 'GET', `/api/v1/advisories/${draft.id}`, analyst)).json<{ draft: { version: number; content: unknown } }>();
    const forced = await call(t, 'PUT', `/api/v1/advisories/${draft.id}/draft`, analyst, {
      baseVersion: current.draft.version,
      tlp: 'GREEN',
      recipients: [],
      content: current.draft.content,
      contacts: ['psirt@medtech.example'],
    });
    expect(forced.statusCode).toBe(400);
    // Naming a vendor as a recipient of GREEN does not reach it: GREEN is the community's.
    const named = await productInState(t, team, 'published', { tlp: 'GREEN', recipients: [] });
    await worker.drain();
    expect(arrivedFor(named.identifier!).map(to)).not.toContain('psirt@medtech.example');
    const member = await login(t, await makeUser(t, orgs.a!, 'participant-admin'));
    expect((await call(t, 'GET', `/api/v1/advisories/${draft.id}/audience`, member)).statusCode).toBe(403);
    expect((await call(t, 'GET', `/api/v1/advisories/${draft.id}/deliveries`, member)).statusCode).toBe(403);
  });

  it('holds back AMBER mail for contacts without a key when the policy says "encrypted only", reports them, and sends it once a key is added', async () => {
    const config = t.services.config as { mailEncryptFromTlp: string | null };
    config.mailEncryptFromTlp = 'AMBER';
    try {
      const amber = await productInState(t, team, 'published', { tlp: 'AMBER', recipients: [orgs.a!] });
      await worker.drain();
      expect(arrivedFor(amber.identifier!).map(to)).toEqual(['security@ziekenhuis-a.example']);
      const state = (await call(t, 'GET', `/api/v1/advisories/${amber.id}/deliveries`, analyst)).json<{
        deliveries: { audience: { held: number }; mail: { held: number; sent: number } }[];
        problems: { recipient: string; status: string; error: string }[];
      }>();
      expect(state.deliveries[0]).toMatchObject({ audience: { held: 1 }, mail: { held: 1, sent: 1 } });
      expect(state.problems).toEqual([
        expect.objectContaining({ recipient: 'soc@ziekenhuis-a.example', status: 'held', error: expect.stringContaining('encrypted only') }),
      ]);

      // The contact gets a key: the held mail goes out now, encrypted to it, and only once.
      const socKey = await makeContactKey('SOC Ziekenhuis A', 'soc@ziekenhuis-a.example');
      const patched = await call(t, 'PATCH', `/api/v1/contacts/${contacts.aEn}`, analyst, { pgpPublicKey: socKey.publicKey });
      expect(patched.statusCode, patched.body).toBe(200);
      await worker.drain();
      const released = arrivedFor(amber.identifier!).filter((m) => to(m) === 'soc@ziekenhuis-a.example');
      expect(released).toHaveLength(1);
      expect(released[0]!.raw.toString('utf8')).toContain('multipart/encrypted');
      if (hasGpg) {
        const decrypted = await gpgDecrypt(socKey, encryptedPart(released[0]!.raw.toString('utf8')));
        expect(decrypted.ok, decrypted.output).toBe(true);
        expect(decrypted.plaintext).toContain('multipart/signed');
      }
      const after = (await call(t, 'GET', `/api/v1/advisories/${amber.id}/deliveries`, analyst)).json<{
        deliveries: { mail: { held: number; sent: number } }[];
      }>();
      expect(after.deliveries[0]!.mail).toMatchObject({ held: 0, sent: 2 });
      // A second key change finds nothing held: nothing is sent twice.
      await call(t, 'PATCH', `/api/v1/contacts/${contacts.aEn}`, analyst, {
        pgpPublicKey: (await makeContactKey('SOC 2', 'soc@ziekenhuis-a.example')).publicKey,
      });
      await worker.drain();
      expect(arrivedFor(amber.identifier!).filter((m) => to(m) === 'soc@ziekenhuis-a.example')).toHaveLength(1);
    } finally {
      config.mailEncryptFromTlp = null;
      // The contact as the other tests know it: without a key.
      await call(t, 'PATCH', `/api/v1/contacts/${contacts.aEn}`, analyst, { pgpPublicKey: null });
    }
  });

  it('marks an address the server refuses for good (5xx) as failing, once, and tells the CERT', async () => {
    sink.reject = (rcpt) => (rcpt === 'ciso@ggz-b.example' ? '5.1.1 No such user here' : null);
    try {
      const p = await productInState(t, team, 'published', { tlp: 'GREEN' });
      await worker.drain();
      const row = await t.system.db
        .selectFrom('outbox')
        .selectAll()
        .where('dedupe_key', '=', `product:${p.id}:r1:contact:${contacts.bBoth}`)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'failed', attempts: 1, permanent_failure: true });
      expect(row.last_error).toContain('No such user here');
      const contact = await t.system.db.selectFrom('contacts').selectAll().where('id', '=', contacts.bBoth!).executeTakeFirstOrThrow();
      expect(contact.email_failing_since).not.toBeNull();
      const notes = await t.system.db
        .selectFrom('notifications')
        .selectAll()
        .where('kind', '=', 'address_failing')
        .where('user_id', '=', team.author.id)
        .execute();
      expect(notes.map((n) => n.title)).toContain('Mail to ciso@ggz-b.example is refused');
      // The other recipients got theirs.
      expect(arrivedFor(p.identifier!).map(to).sort()).toEqual(['security@ziekenhuis-a.example', 'soc@ziekenhuis-a.example']);
    } finally {
      sink.reject = null;
    }
  });

  it('a withdrawal is a revision that reaches the same people, with its own Message-ID', async () => {
    const p = await productInState(t, team, 'published', { tlp: 'GREEN' });
    await worker.drain();
    await (
      await import('../../src/modules/advisories/publication.service.ts')
    ).withdraw(await actorCtx(t, team.reviewers[0].id), p.id, 'Gepubliceerd bij vergissing');
    await worker.drain();
    const mails = arrivedFor(p.identifier!);
    const isWithdrawal = (m: ReceivedMail) => /INGETROKKEN|WITHDRAWN/.test(m.parsed.subject ?? '');
    const withdrawal = mails.filter(isWithdrawal);
    expect(withdrawal.length).toBeGreaterThan(0);
    expect(withdrawal.map(to).sort()).toEqual(
      mails
        .filter((m) => !isWithdrawal(m))
        .map(to)
        .sort(),
    );
    expect(new Set(mails.map((m) => m.parsed.messageId)).size).toBe(mails.length);
    expect(withdrawal[0]!.parsed.messageId).toMatch(/\.r2\./);
    void drafts;
  });

  it('one-click unsubscribe (RFC 8058) from the List-Unsubscribe link drops that list only; the link cannot be forged', async () => {
    const p = await productInState(t, team, 'published', { tlp: 'GREEN' });
    await worker.drain();
    const mail = arrivedFor(p.identifier!).find((m) => to(m) === 'ciso@ggz-b.example')!;
    const url = /^List-Unsubscribe: <([^>]+)>$/m.exec(mail.raw.toString('utf8'))![1]!;
    const path = new URL(url).pathname;
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ciso@ggz-b.example');
    const forged = await t.app.inject({
      method: 'POST',
      url: `${path.slice(0, -3)}AAA`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(forged.statusCode).toBe(400);
    const done = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.statusCode).toBe(200);
    const contact = await t.system.db.selectFrom('contacts').select('subscriptions').where('id', '=', contacts.bBoth!).executeTakeFirstOrThrow();
    expect(contact.subscriptions).not.toContain('advisories');
    // Re-subscribe through the preferences form.
    const saved = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'subscriptions=advisories&subscriptions=operational_alerts',
    });
    expect(saved.statusCode).toBe(200);
    const again = await t.system.db.selectFrom('contacts').select('subscriptions').where('id', '=', contacts.bBoth!).executeTakeFirstOrThrow();
    expect(again.subscriptions.sort()).toEqual(['advisories', 'operational_alerts']);
  });

  it('loses nothing while the SMTP server is down or slow: the queue shows it, and delivery resumes when it comes back', async () => {
    const { freePort } = await import('../helpers/net.ts');
    const downUrl = `smtp://127.0.0.1:${await freePort()}`;
    const down = startWorker(t, downUrl);
    const p = await productInState(t, team, 'published', { tlp: 'GREEN' });
    try {
      expect(await down.drain()).toBe(0);
    } finally {
      down.close();
    }
    const waiting = (await call(t, 'GET', `/api/v1/advisories/${p.id}/deliveries`, analyst)).json<{
      deliveries: { mail: { pending: number; sent: number } }[];
      problems: { status: string; error: string; nextAttemptAt: string | null }[];
    }>();
    expect(waiting.deliveries[0]!.mail).toMatchObject({ pending: 3, sent: 0 });
    expect(waiting.problems).toHaveLength(3);
    expect(waiting.problems.every((x) => x.status === 'pending' && /ECONNREFUSED|connect/i.test(x.error) && x.nextAttemptAt !== null)).toBe(true);

    // A slow server (every mail takes 1.5 s; the worker waits at most 1 s): no mail is lost, the rows stay queued.
    const slow = await startSmtpSink({ delayMs: 1500 });
    const { createMailer } = await import('../../src/modules/mail/mailer.ts');
    const { drainOutbox } = await import('../../src/modules/mail/outbox.service.ts');
    const { createDispatchHandler } = await import('../../src/modules/distribution/dispatch.ts');
    const pino = (await import('pino')).default;
    const impatient = createMailer(slow.url, t.services.config.mailFrom, pino({ level: 'silent' }), { socketTimeoutMs: 1000 });
    try {
      const retried = await call(t, 'POST', `/api/v1/advisories/${p.id}/deliveries/retry`, analyst);
      expect(retried.json().retried).toBe(3);
      expect(await drainOutbox(t.system, { dispatch: createDispatchHandler(impatient) }, { concurrency: 3 })).toBe(0);
    } finally {
      impatient.close();
      await slow.close();
    }
    const stillQueued = await t.system.db.selectFrom('outbox').select(['status', 'last_error']).where('dedupe_key', 'like', `product:${p.id}:%`).execute();
    expect(stillQueued.every((r) => r.status === 'pending')).toBe(true);

    // The server is back: retry now, and every recipient gets the mail (the slow server may have taken one, hence "at least").
    expect((await call(t, 'POST', `/api/v1/advisories/${p.id}/deliveries/retry`, analyst)).json().retried).toBe(3);
    expect(await worker.drain()).toBe(3);
    expect(new Set(arrivedFor(p.identifier!).map(to))).toEqual(new Set(['security@ziekenhuis-a.example', 'soc@ziekenhuis-a.example', 'ciso@ggz-b.example']));
    const done = (await call(t, 'GET', `/api/v1/advisories/${p.id}/deliveries`, analyst)).json<{
      deliveries: { mail: { pending: number; sent: number } }[];
      problems: unknown[];
    }>();
    expect(done.deliveries[0]!.mail).toMatchObject({ pending: 0, sent: 3 });
    expect(done.problems).toEqual([]);
  });
});
