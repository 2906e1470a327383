import type { AddressObject } from 'mailparser';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../src/modules/mail/mailer.ts';
import { OUTBOX_CHANNEL, deliverDue, queueMail } from '../../src/modules/mail/outbox.service.ts';
import { claimDue } from '../../src/modules/mail/outbox.repository.ts';
import { inTransaction, type Ctx } from '../../src/server/context.ts';
import { call, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { makeOrganisation, makeUser } from '../helpers/factories.ts';
import { freePort } from '../helpers/net.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

/*
 * The transactional outbox against a real SMTP server (smtp-server, in this process), read back
 * with mailparser: what is queued in a committed transaction arrives once, with its Message-ID;
 * what a refusing or absent server could not take stays queued and arrives later, once.
 */

const PUBLIC_URL = 'https://wachtpost.test.example';
const FROM = 'Wachtpost <noreply@cert.example>';

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? ''));

let t: TestApp;
let smtp: SmtpSink;
let mailer: Mailer;
let ctx: Ctx;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL });
  ctx = t.system;
  smtp = await startSmtpSink();
  mailer = createMailer(smtp.url, FROM, log);
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await t?.close();
});
afterEach(() => {
  smtp.refuse = null;
});

const row = (dedupeKey: string) => ctx.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirstOrThrow();
const arrived = (messageId: string) => smtp.received.filter((m) => m.parsed.messageId === messageId);
/** The test skips the retry back-off (30 s and up) by making the row due now. */
const makeDue = (dedupeKey: string) => ctx.db.updateTable('outbox').set({ next_attempt_at: new Date(Date.now() - 1000) }).where('dedupe_key', '=', dedupeKey).execute();

describe('outbox delivery over SMTP', () => {
  it('delivers mails queued in a committed transaction with their deterministic Message-ID and content', async () => {
    const before = smtp.received.length;
    await inTransaction(ctx, async (tx) => {
      await queueMail(tx, 'advisory.2026-0042.ziekenhuis-noord', {
        to: 'security@ziekenhuis-noord.example',
        subject: 'Beveiligingsadvies WP-2026-0042: kwetsbaarheid in infuuspomp ✓',
        text: 'Geachte deelnemer,\n\nEr is een kwetsbaarheid gevonden in de InfuCare-pomp (IC-400).\n',
        html: '<p>Geachte deelnemer,</p><p>Er is een kwetsbaarheid gevonden in de <b>InfuCare</b>-pomp.</p>',
        headers: { 'X-Wachtpost-Tlp': 'AMBER' },
      });
      await queueMail(tx, 'invitation:abc_123', { to: 'nieuw@umc-zuid.example', subject: 'Uitnodiging', text: 'Welkom.' });
    });
    expect(await deliverDue(ctx, mailer)).toBe(2);
    expect(smtp.received.length - before).toBe(2);

    // The Message-ID is the dedupe key on the PUBLIC_URL's host: the same across retries.
    const [advisory] = arrived('<advisory.2026-0042.ziekenhuis-noord@wachtpost.test.example>');
    expect(advisory).toBeDefined();
    const m = advisory!.parsed;
    expect(m.subject).toBe('Beveiligingsadvies WP-2026-0042: kwetsbaarheid in infuuspomp ✓');
    expect(m.text).toContain('kwetsbaarheid gevonden in de InfuCare-pomp (IC-400)');
    expect(m.html).toContain('<b>InfuCare</b>');
    expect(m.headers.get('x-wachtpost-tlp')).toBe('AMBER');
    expect(m.from?.value[0]).toMatchObject({ name: 'Wachtpost', address: 'noreply@cert.example' });
    expect(addresses(m.to)).toEqual(['security@ziekenhuis-noord.example']);
    expect(advisory!.envelopeFrom).toBe('noreply@cert.example');
    expect(advisory!.envelopeTo).toEqual(['security@ziekenhuis-noord.example']);
    // Characters other than letters, digits, dots and hyphens become dots in the Message-ID.
    expect(arrived('<invitation.abc.123@wachtpost.test.example>')).toHaveLength(1);

    const stored = await row('advisory.2026-0042.ziekenhuis-noord');
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(stored.sent_at).toBeInstanceOf(Date);
    // Nothing is due any more: a second pass sends nothing.
    expect(await deliverDue(ctx, mailer)).toBe(0);
    expect(smtp.received.length - before).toBe(2);
  });

  it('keeps no working one-time link in the stored copy once the mail has left', async () => {
    const before = smtp.received.length;
    await inTransaction(ctx, (tx) => queueMail(tx, 'reset.scrub-test', { to: 'ciso@umc-zuid.example', subject: 'Reset', text: 'Open https://wachtpost.test.example/set-password?token=Secret_Token-123 now.' }));
    expect(await deliverDue(ctx, mailer)).toBe(1);
    expect(smtp.received.length - before).toBe(1);
    expect(smtp.received[smtp.received.length - 1]!.parsed.text).toContain('token=Secret_Token-123');
    const stored = await row('reset.scrub-test');
    expect(JSON.stringify(stored.payload)).not.toContain('Secret_Token-123');
    expect(JSON.stringify(stored.payload)).toContain('token=[removed]');
  });

  it('a rolled-back transaction leaves no mail and wakes no worker; a committed one does', async () => {
    const notified: string[] = [];
    const unlisten = await t.services.database.listen(OUTBOX_CHANNEL, (payload) => notified.push(payload));
    try {
      const before = smtp.received.length;
      await expect(
        inTransaction(ctx, async (tx) => {
          await queueMail(tx, 'rolled.back', { to: 'nobody@test.example', subject: 'Never', text: 'Never sent.' });
          throw new Error('the change this mail belonged to failed');
        }),
      ).rejects.toThrow('the change this mail belonged to failed');
      expect(await ctx.db.selectFrom('outbox').select('id').where('dedupe_key', '=', 'rolled.back').executeTakeFirst()).toBeUndefined();

      // Notifications arrive in commit order: once this one is in, a notification of the rolled-back
      // transaction would have arrived before it.
      await inTransaction(ctx, (tx) => queueMail(tx, 'committed.after.rollback', { to: 'someone@test.example', subject: 'Sent', text: 'Sent.' }));
      await expect.poll(() => notified.length, { timeout: 5000 }).toBe(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(notified).toHaveLength(1);

      expect(await deliverDue(ctx, mailer)).toBe(1);
      expect(smtp.received.length - before).toBe(1);
      expect(smtp.received.at(-1)?.parsed.subject).toBe('Sent');
      expect(smtp.received.some((m) => m.parsed.subject === 'Never')).toBe(false);
    } finally {
      await unlisten();
    }
  });

  it('queueing the same dedupe key twice (in one transaction or two) sends one mail', async () => {
    const key = 'reminder.contact-review.2026-q4';
    const mail = { to: 'security@ggz-oost.example', subject: 'Controleer uw contactgegevens', text: 'Eerste versie.' };
    await inTransaction(ctx, async (tx) => {
      await queueMail(tx, key, mail);
      await queueMail(tx, key, { ...mail, text: 'Tweede versie.' });
    });
    await inTransaction(ctx, (tx) => queueMail(tx, key, { ...mail, text: 'Derde versie.' }));
    expect(await ctx.db.selectFrom('outbox').select('id').where('dedupe_key', '=', key).execute()).toHaveLength(1);
    expect(await deliverDue(ctx, mailer)).toBe(1);
    // Queued again after it was sent: still the one mail.
    await inTransaction(ctx, (tx) => queueMail(tx, key, mail));
    expect(await deliverDue(ctx, mailer)).toBe(0);
    const got = arrived('<reminder.contact-review.2026-q4@wachtpost.test.example>');
    expect(got).toHaveLength(1);
    expect(got[0]!.parsed.text?.trim()).toBe('Eerste versie.');
  });

  it('when the server refuses (451), the mail stays queued with the error and arrives once after it recovers', async () => {
    smtp.refuse = (rcpt) => (rcpt === 'soc@secureops.example' ? 'Mailbox temporarily unavailable, try again later' : null);
    const before = smtp.received.length;
    await inTransaction(ctx, async (tx) => {
      await queueMail(tx, 'alert.refused', { to: 'soc@secureops.example', subject: 'Operationele melding', text: 'Scan gezien op 198.51.100.7.' });
      await queueMail(tx, 'alert.accepted', { to: 'security@thuiszorg-west.example', subject: 'Operationele melding', text: 'Scan gezien op 198.51.100.9.' });
    });
    // One refused recipient does not hold up the other mail.
    expect(await deliverDue(ctx, mailer)).toBe(1);
    expect(arrived('<alert.accepted@wachtpost.test.example>')).toHaveLength(1);

    const failed = await row('alert.refused');
    expect(failed.status).toBe('pending');
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toMatch(/451/);
    expect(failed.last_error).toContain('try again later');
    expect(failed.sent_at).toBeNull();
    // It waits for its back-off (30 s after the first failure): an immediate pass leaves it alone.
    expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(await deliverDue(ctx, mailer)).toBe(0);
    expect((await row('alert.refused')).attempts).toBe(1);

    // Still refusing at the next attempt: a second failure, a longer back-off.
    await makeDue('alert.refused');
    expect(await deliverDue(ctx, mailer)).toBe(0);
    const second = await row('alert.refused');
    expect(second).toMatchObject({ status: 'pending', attempts: 2 });
    expect(new Date(second.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 50_000);

    smtp.refuse = null;
    await makeDue('alert.refused');
    expect(await deliverDue(ctx, mailer)).toBe(1);
    const delivered = arrived('<alert.refused@wachtpost.test.example>');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.parsed.text).toContain('198.51.100.7');
    expect(await row('alert.refused')).toMatchObject({ status: 'sent', attempts: 3, last_error: null });

    // Never again after success, even when a worker runs with the row made "due".
    await makeDue('alert.refused');
    expect(await deliverDue(ctx, mailer)).toBe(0);
    expect(arrived('<alert.refused@wachtpost.test.example>')).toHaveLength(1);
    expect(smtp.received.length - before).toBe(2);
  });

  it('when the server is down, nothing is lost: the mail is delivered once it is back', async () => {
    const port = await freePort();
    const downMailer = createMailer(`smtp://127.0.0.1:${port}`, FROM, log);
    try {
      await inTransaction(ctx, (tx) => queueMail(tx, 'advisory.while-down', { to: 'security@regiolab.example', subject: 'Advies', text: 'Tijdens storing verstuurd.' }));
      expect(await deliverDue(ctx, downMailer)).toBe(0);
      const pending = await row('advisory.while-down');
      expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
      expect(pending.last_error).toMatch(/ECONNREFUSED/);

      const back = await startSmtpSink({ port });
      try {
        await makeDue('advisory.while-down');
        expect(await deliverDue(ctx, downMailer)).toBe(1);
        expect(back.received).toHaveLength(1);
        expect(back.received[0]!.parsed.messageId).toBe('<advisory.while-down@wachtpost.test.example>');
        expect(back.received[0]!.parsed.text?.trim()).toBe('Tijdens storing verstuurd.');
        await makeDue('advisory.while-down');
        expect(await deliverDue(ctx, downMailer)).toBe(0);
        expect(back.received).toHaveLength(1);
        expect(await row('advisory.while-down')).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
      } finally {
        await back.close();
      }
    } finally {
      downMailer.close();
    }
  });

  it('gives up after the eighth failed attempt and marks the mail failed, so no worker retries it', async () => {
    smtp.refuse = (rcpt) => (rcpt === 'gone@test.example' ? 'No such mailbox here' : null);
    await inTransaction(ctx, (tx) => queueMail(tx, 'doomed', { to: 'gone@test.example', subject: 'X', text: 'X' }));
    // Seven attempts already made (the back-off between them skipped for the test).
    await ctx.db.updateTable('outbox').set({ attempts: 7 }).where('dedupe_key', '=', 'doomed').execute();
    expect(await deliverDue(ctx, mailer)).toBe(0);
    const given = await row('doomed');
    expect(given).toMatchObject({ status: 'failed', attempts: 8 });
    expect(given.last_error).toContain('No such mailbox here');
    smtp.refuse = null;
    await makeDue('doomed');
    expect(await deliverDue(ctx, mailer)).toBe(0);
    expect(smtp.received.some((m) => addresses(m.parsed.to).includes('gone@test.example'))).toBe(false);
  });

  it('a mail claimed by a worker that crashed is delivered by another once the claim expires', async () => {
    await inTransaction(ctx, (tx) => queueMail(tx, 'claimed.then.crashed', { to: 'it@ziekenhuis-noord.example', subject: 'Na crash', text: 'Toch bezorgd.' }));
    // A worker claims the row and dies before sending.
    const claimed = await claimDue(ctx.db, 100);
    expect(claimed.map((c) => c.payload.messageId)).toContain('<claimed.then.crashed@wachtpost.test.example>');
    expect(await row('claimed.then.crashed')).toMatchObject({ status: 'sending', attempts: 1 });
    // Within the ten-minute claim nobody else takes it.
    expect(await deliverDue(ctx, mailer)).toBe(0);
    // After it (skipped for the test), the next worker delivers it.
    await makeDue('claimed.then.crashed');
    expect(await deliverDue(ctx, mailer)).toBe(1);
    expect(arrived('<claimed.then.crashed@wachtpost.test.example>')).toHaveLength(1);
    expect(await row('claimed.then.crashed')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('two workers draining at once send every mail exactly once', async () => {
    const keys = Array.from({ length: 25 }, (_, i) => `bulk.${i}`);
    await inTransaction(ctx, async (tx) => {
      for (const k of keys) await queueMail(tx, k, { to: `deelnemer${k.slice(5)}@test.example`, subject: `Bulk ${k}`, text: k });
    });
    const other = createMailer(smtp.url, FROM, log);
    try {
      const [a, b] = await Promise.all([deliverDue(ctx, mailer, 5), deliverDue(ctx, other, 5)]);
      expect(a + b).toBe(keys.length);
    } finally {
      other.close();
    }
    for (const k of keys) expect(arrived(`<${k}@wachtpost.test.example>`), k).toHaveLength(1);
  });

  it('a password reset asked through the API arrives by SMTP with a link that works once', async () => {
    const org = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, org.id, 'participant-member');
    expect((await call(t, 'POST', '/api/v1/auth/password-reset', null, { email: user.email })).statusCode).toBe(202);
    expect(await deliverDue(ctx, mailer)).toBe(1);
    const mail = smtp.received.find((m) => addresses(m.parsed.to).includes(user.email));
    expect(mail?.parsed.subject).toBe('Wachtwoord opnieuw instellen / Reset your password');
    const token = /https:\/\/wachtpost\.test\.example\/set-password\?token=([A-Za-z0-9_-]+)/.exec(mail?.parsed.text ?? '')?.[1];
    expect(token).toBeDefined();
    expect(mail?.parsed.messageId).toMatch(/^<reset\.[0-9a-f]{16}@wachtpost\.test\.example>$/);
    const set = await call(t, 'POST', '/api/v1/auth/password-link', null, { token, newPassword: 'een nieuw en lang wachtwoord' });
    expect(set.statusCode).toBe(200);
    const login = await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email, password: 'een nieuw en lang wachtwoord' });
    expect(login.statusCode).toBe(200);
  });
});
