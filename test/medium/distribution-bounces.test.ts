import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { startBounceIntake } from '../../src/modules/distribution/bounce.service.ts';
import { parseDsn } from '../../src/modules/distribution/dsn.ts';
import type { SmtpIntake } from '../../src/modules/mail/smtp-intake.ts';
import { addContact, startWorker, type Worker } from '../helpers/distribution.ts';
import { makeCertTeam, productInState, type CertTeam } from '../helpers/products.ts';
import { makeOrganisation } from '../helpers/factories.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Bounces: a receiving server that took a product mail and could not deliver it later sends a
 * delivery status notification (RFC 3464) to the envelope sender. The remote server lies outside
 * this machine, so the test writes its report (in Postfix's layout) and delivers it over real SMTP
 * to the bounce intake; the product mail itself goes through the real worker to a real SMTP sink.
 */

const BOUNCE_ADDRESS = 'bounces@cert.example';
let t: TestApp;
let sink: SmtpSink;
let worker: Worker;
let team: CertTeam;
let intake: SmtpIntake;
const contacts: Record<string, string> = {};

function dsn(recipient: string, messageId: string, status = '5.1.1', action = 'failed'): string {
  return [
    'From: MAILER-DAEMON@mx.ggz-b.example',
    `To: ${BOUNCE_ADDRESS}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <bounce.${Math.random().toString(36).slice(2)}@mx.ggz-b.example>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="=_B1"',
    '',
    '--=_B1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.ggz-b.example. Your message could not be delivered.',
    '',
    '--=_B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.ggz-b.example',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822;${recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; 550 ${status} <${recipient}>: Recipient address rejected: User unknown`,
    '',
    '--=_B1',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: ${messageId}`,
    'Subject: [TLP:GREEN] advisory',
    '',
    '--=_B1--',
    '',
  ].join('\r\n');
}

async function deliverReport(raw: string): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope: { from: '', to: [BOUNCE_ADDRESS] }, raw });
    return info.response;
  } finally {
    transport.close();
  }
}

beforeAll(async () => {
  t = await createTestApp({ MAIL_FROM: 'CERT voor de zorg <cert@cert.example>', BOUNCE_ADDRESS });
  sink = await startSmtpSink();
  worker = startWorker(t, sink.url);
  team = await makeCertTeam(t);
  await ensureSigningKey(t.system);
  const b = await makeOrganisation(t, 'participant', 'GGZ B');
  contacts.gone = (await addContact(t, b.id, { email: 'vertrokken@ggz-b.example' })).id;
  contacts.fine = (await addContact(t, b.id, { email: 'ciso@ggz-b.example' })).id;
  (t.services.config as { bounces: { smtpPort: number | undefined } }).bounces.smtpPort = 0;
  intake = await startBounceIntake(t.services);
});
afterAll(async () => {
  await intake?.close();
  worker?.close();
  await sink?.close();
  await t?.close();
});

describe('Bounces of product mail', () => {
  it('reads a delivery status notification, and nothing else, as one', async () => {
    const report = await parseDsn(Buffer.from(dsn('Vertrokken@GGZ-B.example', '<x.r1.y@wachtpost.test>')));
    expect(report).toEqual({
      originalMessageId: '<x.r1.y@wachtpost.test>',
      recipients: [{ recipient: 'vertrokken@ggz-b.example', action: 'failed', status: '5.1.1', diagnostic: expect.stringContaining('User unknown') }],
    });
    const plain =
      'From: a@b.example\r\nTo: c@d.example\r\nSubject: out of office\r\n\r\nFinal-Recipient: rfc822; x@y.example\r\nAction: failed\r\nStatus: 5.1.1\r\n';
    expect(await parseDsn(Buffer.from(plain))).toBeNull();
  });

  it('marks the address failing once and tells the CERT; a delay, a forged report and a repeat change nothing', async () => {
    const p = await productInState(t, team, 'published', { tlp: 'GREEN' });
    await worker.drain();
    const rows = await t.system.db
      .selectFrom('outbox')
      .select(['id', 'recipient', 'status', 'payload'])
      .where('dedupe_key', 'like', `product:${p.id}:%`)
      .execute();
    const row = (email: string) => rows.find((r) => r.recipient === email)!;
    expect(row('vertrokken@ggz-b.example').status).toBe('sent');
    // The product mail left with the bounce address as its envelope sender.
    expect(sink.received.find((m) => m.envelopeTo.includes('vertrokken@ggz-b.example'))!.envelopeFrom).toBe(BOUNCE_ADDRESS);
    const goneId = (row('vertrokken@ggz-b.example').payload as { messageId: string }).messageId;

    // A delay (4.x.x) is not a failure.
    await deliverReport(dsn('vertrokken@ggz-b.example', goneId, '4.4.1', 'delayed'));
    // A report naming our Message-ID with another address, or an address with a Message-ID we never sent, is not believed.
    await deliverReport(dsn('ciso@ggz-b.example', goneId));
    await deliverReport(dsn('vertrokken@ggz-b.example', '<made.up@wachtpost.test>'));
    const failing = async () =>
      t.system.db.selectFrom('contacts').select(['id', 'email_failing_since', 'email_failure']).where('id', 'in', [contacts.gone!, contacts.fine!]).execute();
    expect((await failing()).every((c) => c.email_failing_since === null)).toBe(true);

    const reply = await deliverReport(dsn('vertrokken@ggz-b.example', goneId));
    expect(reply).toContain('1 failed address');
    const after = await failing();
    expect(after.find((c) => c.id === contacts.gone)).toMatchObject({ email_failing_since: expect.any(Date), email_failure: expect.stringContaining('5.1.1') });
    expect(after.find((c) => c.id === contacts.fine)!.email_failing_since).toBeNull();
    const outboxRow = await t.system.db
      .selectFrom('outbox')
      .select(['status', 'permanent_failure', 'last_error'])
      .where('id', '=', row('vertrokken@ggz-b.example').id)
      .executeTakeFirstOrThrow();
    expect(outboxRow).toMatchObject({ status: 'failed', permanent_failure: true, last_error: expect.stringContaining('Bounced') });
    const notes = async () =>
      t.system.db.selectFrom('notifications').select('title').where('kind', '=', 'address_failing').where('user_id', '=', team.author.id).execute();
    expect((await notes()).map((n) => n.title)).toEqual(['Mail to vertrokken@ggz-b.example is refused']);

    // The same report again (servers retry): nothing new.
    expect(await deliverReport(dsn('vertrokken@ggz-b.example', goneId))).toContain('0 failed address');
    expect(await notes()).toHaveLength(1);
  });

  it('refuses mail for other addresses and bounces what it cannot read, without crashing', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, secure: false, ignoreTLS: true });
    try {
      await expect(transport.sendMail({ envelope: { from: '', to: ['someone@cert.example'] }, raw: dsn('x@y.example', '<a@b>') })).rejects.toMatchObject({
        responseCode: 550,
      });
      const ok = await transport.sendMail({ envelope: { from: 'x@y.example', to: [BOUNCE_ADDRESS] }, raw: 'Subject: hello\r\n\r\nnot a report\r\n' });
      expect(ok.response).toContain('not a delivery status notification');
    } finally {
      transport.close();
    }
  });
});
