import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import pino from 'pino';
import { createCleartextMessage, createMessage, decrypt, encrypt, readKey, readMessage, readPrivateKey, readSignature, sign, verify } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRequestIntake } from '../../src/modules/requests/request-intake.ts';
import { rawAwareMailHandler } from '../../src/modules/mail/signed-mail.ts';
import { createMailer, type Mailer } from '../../src/modules/mail/mailer.ts';
import { drainOutbox } from '../../src/modules/mail/outbox.service.ts';
import type { SmtpIntake } from '../../src/modules/mail/smtp-intake.ts';
import { activeSigningKey, ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { makeOrganisation, makeUser, login, type TestUser } from '../helpers/factories.ts';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink.ts';
import { message, signedEntity } from '../../src/modules/distribution/mime.ts';
import { addContact, encryptedPart, makeContactKey, signedParts, type ContactKey } from '../helpers/distribution.ts';

/*
 * Questions by mail and answers by mail, end to end: nodemailer → the real request intake (SMTP on
 * 127.0.0.1) → the database → an analyst answers through the API → the outbox → a real SMTP sink,
 * where the answer is checked as the asker's mail client would: threading headers, token, signature.
 */

const INTAKE = 'vragen@cert.example';
const MAX_BYTES = 96 * 1024;

let t: TestApp;
let intake: SmtpIntake;
let transport: Transporter;
let sink: SmtpSink;
let mailer: Mailer;
let orgA: string;
let asker: TestUser;
let analyst: Credentials;
let member: Credentials;
let memberB: Credentials;
let keyed: ContactKey;
const KEYED = 'ciso@ziekenhuis-a.example';

beforeAll(async () => {
  t = await createTestApp({ REQUESTS_INTAKE_SMTP_PORT: '0', REQUESTS_INTAKE_ADDRESS: 'Vragen@CERT.example', PUBLIC_URL: 'http://wachtpost.test.example' });
  await ensureSigningKey(t.system);
  intake = await startRequestIntake(t.services, { maxBytes: MAX_BYTES });
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, secure: false, ignoreTLS: true });
  sink = await startSmtpSink();
  mailer = createMailer(sink.url, t.services.config.mailFrom, pino({ level: 'silent' }));
  const cert = await makeOrganisation(t, 'cert');
  const a = await makeOrganisation(t, 'participant', 'Ziekenhuis Vraagbaak');
  const b = await makeOrganisation(t, 'participant', 'Kliniek Elders');
  orgA = a.id;
  asker = await makeUser(t, a.id, 'participant-member');
  member = await login(t, asker);
  memberB = await login(t, await makeUser(t, b.id, 'participant-member'));
  analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  keyed = await makeContactKey('Ciso A', KEYED);
  await addContact(t, a.id, { name: 'Ciso A', email: KEYED, key: keyed });
});
afterAll(async () => {
  transport?.close();
  mailer?.close();
  await intake?.close();
  await sink?.close();
  await t?.close();
});

let seq = 0;
const newMessageId = () => `<q-${Date.now()}-${++seq}@ziekenhuis-a.example>`;
const send = (mail: SendMailOptions) => transport.sendMail({ from: `Jan Vrager <${asker.email}>`, to: INTAKE, ...mail });
const drain = () => drainOutbox(t.system, { mail: rawAwareMailHandler(mailer) }, { leaseSeconds: 60 });
const requestOf = async (messageId: string) => {
  const m = await t.system.db.selectFrom('info_request_messages').select('request_id').where('message_id', '=', messageId).executeTakeFirst();
  return m ? t.system.db.selectFrom('info_requests').selectAll().where('id', '=', m.request_id).executeTakeFirstOrThrow() : undefined;
};
const messagesOf = (requestId: string) =>
  t.system.db.selectFrom('info_request_messages').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute();
const outboxCount = async () =>
  Number(
    (
      await t.system.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const mailsTo = (address: string): ReceivedMail[] => sink.received.filter((m) => m.envelopeTo.includes(address));

describe('a question by mail', () => {
  let questionId: string;
  let requestId: string;
  let answerMail: ReceivedMail;

  it('becomes a request of the sender’s organisation, once, however often the mail is retried', async () => {
    questionId = newMessageId();
    const info = await send({
      subject: 'Hoe segmenteren we medische apparaten?',
      text: 'Wij willen infuuspompen in een apart VLAN. Tips?',
      messageId: questionId,
    });
    expect(info.response).toMatch(/^250 /);
    await send({ subject: 'Hoe segmenteren we medische apparaten?', text: 'Wij willen infuuspompen in een apart VLAN. Tips?', messageId: questionId });
    const r = await requestOf(questionId);
    expect(r).toMatchObject({
      organisation_id: orgA,
      channel: 'mail',
      status: 'new',
      asker_email: asker.email,
      asker_user_id: asker.id,
      subject: 'Hoe segmenteren we medische apparaten?',
    });
    expect(r!.reference).toMatch(/^REQ-\d{4}-\d{4}$/);
    requestId = r!.id;
    const msgs = await messagesOf(requestId);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ kind: 'question', channel: 'mail', held: false, message_id: questionId });
    expect(msgs[0]!.body).toContain('infuuspompen in een apart VLAN');
  });

  it('is answered through the API; the answer reaches the asker signed, threaded and with the token', async () => {
    const res = await call(t, 'POST', `/api/v1/requests/${requestId}/answers`, analyst, {
      body: 'Zet de pompen in een eigen VLAN en sta alleen de **pompserver** toe.',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'answered', sla: { state: 'met' } });
    await drain();
    const r = await t.system.db.selectFrom('info_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
    expect(r.first_answered_at).not.toBeNull();
    const mails = mailsTo(asker.email).filter((m) => m.parsed.inReplyTo === questionId);
    // The acknowledgement and the answer both thread under the question; the answer is the one with our text.
    answerMail = mails.find(
      (m) =>
        m.raw.toString('utf8').includes('multipart/signed') &&
        m.parsed.subject!.startsWith(`[${r.reference}#`) &&
        !/ontvangen/.test(m.parsed.text ?? '') &&
        /VLAN/.test(m.parsed.text ?? ''),
    )!;
    expect(answerMail, `mails: ${mails.map((m) => m.parsed.subject).join(' | ')}`).toBeDefined();
    expect(answerMail.parsed.subject).toBe(`[${r.reference}#${r.mail_token}] Hoe segmenteren we medische apparaten?`);
    expect(answerMail.parsed.inReplyTo).toBe(questionId);
    expect([answerMail.parsed.references].flat()).toContain(questionId);
    expect(answerMail.parsed.replyTo?.value[0]?.address).toBe(INTAKE);
    const stored = (await messagesOf(requestId)).find((m) => m.kind === 'answer')!;
    expect(stored.message_id).toBe(answerMail.parsed.messageId);

    // The signature verifies against the CERT key over the exact bytes; a changed byte breaks it.
    const parts = signedParts(answerMail.raw.toString('utf8'));
    const certKey = await readKey({ armoredKey: (await activeSigningKey(t.system)).publicKeyArmored });
    const check = async (data: string) => {
      const v = await verify({
        message: await createMessage({ binary: new TextEncoder().encode(data) }),
        signature: await readSignature({ armoredSignature: parts.signature }),
        verificationKeys: certKey,
      });
      return v.signatures[0]!.verified.then(
        () => true,
        () => false,
      );
    };
    expect(await check(parts.signed)).toBe(true);
    expect(await check(parts.signed.replace('charset=utf-8', 'charset=utf-7'))).toBe(false);
  });

  it('threads the asker’s reply (In-Reply-To our answer) into the same request and reopens it', async () => {
    const reply = newMessageId();
    await send({
      subject: `Re: ${answerMail.parsed.subject}`,
      text: 'Dank! En de PACS?',
      messageId: reply,
      inReplyTo: answerMail.parsed.messageId,
      references: [questionId, answerMail.parsed.messageId!],
    });
    const r = await requestOf(reply);
    expect(r?.id).toBe(requestId);
    expect(r?.status).toBe('new');
    expect((await messagesOf(requestId)).filter((m) => m.kind === 'question' && !m.held)).toHaveLength(2);
  });

  it('threads a reply that lost its headers by the token in the subject', async () => {
    const reply = newMessageId();
    await send({ subject: `Fwd: ${answerMail.parsed.subject}`, text: 'Nog een vraag over hetzelfde.', messageId: reply });
    expect((await requestOf(reply))?.id).toBe(requestId);
  });

  it('holds a reply from a stranger, shows it to nobody but the CERT, and mails nothing back', async () => {
    const reply = newMessageId();
    const before = sink.received.length;
    const outbox = await outboxCount();
    await transport.sendMail({
      from: 'mallory@elders.example',
      to: INTAKE,
      subject: `Re: ${answerMail.parsed.subject}`,
      text: 'Klik hier: http://phish.example',
      messageId: reply,
      inReplyTo: answerMail.parsed.messageId,
    });
    const held = await t.system.db.selectFrom('info_request_messages').selectAll().where('message_id', '=', reply).executeTakeFirstOrThrow();
    expect(held).toMatchObject({ request_id: requestId, held: true, from_address: 'mallory@elders.example' });
    expect(await outboxCount()).toBe(outbox);
    await drain();
    expect(sink.received.length).toBe(before);

    const asParticipant = await call(t, 'GET', `/api/v1/requests/${requestId}`, member);
    expect(asParticipant.statusCode).toBe(200);
    expect(asParticipant.body).not.toContain('phish.example');
    const queue = await call(t, 'GET', '/api/v1/requests/held', analyst);
    expect(queue.json<{ messages: { id: string }[] }>().messages.map((m) => m.id)).toContain(held.id);
    const filtered = await call(t, 'GET', '/api/v1/requests?held=true', analyst);
    expect(filtered.json<{ id: string }[]>().map((r) => r.id)).toContain(requestId);
    expect((await call(t, 'DELETE', `/api/v1/requests/${requestId}/held/${held.id}`, analyst)).statusCode).toBe(204);
    expect(await t.system.db.selectFrom('info_request_messages').select('id').where('id', '=', held.id).executeTakeFirst()).toBeUndefined();
  });

  it('holds mail from an unknown sender with no thread; the CERT releases it as a request of an organisation', async () => {
    const id = newMessageId();
    await transport.sendMail({ from: 'onbekend@elders.example', to: INTAKE, subject: 'Vraag over NEN 7510', text: 'Geldt dit ook voor ons?', messageId: id });
    const held = await t.system.db.selectFrom('info_request_held_mail').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();
    expect(await requestOf(id)).toBeUndefined();
    const released = await call(t, 'POST', `/api/v1/requests/held-mail/${held.id}/release`, analyst, { organisationId: orgA });
    expect(released.statusCode).toBe(201);
    expect((await requestOf(id))?.organisation_id).toBe(orgA);
  });

  it('never mails or shows an internal note to the participant', async () => {
    const before = sink.received.length;
    const res = await call(t, 'POST', `/api/v1/requests/${requestId}/notes`, analyst, {
      body: 'INTERN: deze organisatie had vorig jaar ook een VLAN-probleem',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('INTERN');
    await drain();
    expect(sink.received.length).toBe(before);
    expect(sink.received.some((m) => m.raw.toString('utf8').includes('INTERN'))).toBe(false);
    const asParticipant = await call(t, 'GET', `/api/v1/requests/${requestId}`, member);
    expect(asParticipant.body).not.toContain('INTERN');
    expect(asParticipant.json<{ messages: { kind: string }[] }>().messages.some((m) => m.kind === 'note')).toBe(false);
    // Another organisation does not even learn the request exists.
    expect((await call(t, 'GET', `/api/v1/requests/${requestId}`, memberB)).statusCode).toBe(404);
  });
});

describe('hostile and odd mail', () => {
  it('takes HTML-only mail as text, never as markup', async () => {
    const id = newMessageId();
    await send({ subject: 'HTML', html: '<p>Hallo <b>CERT</b><script>alert(1)</script><img src=x onerror=alert(2)></p>', messageId: id });
    const r = await requestOf(id);
    const [q] = await messagesOf(r!.id);
    expect(q!.body).toContain('Hallo');
    expect(q!.body).not.toMatch(/<script|onerror|<b>/);
    const api = await call(t, 'GET', `/api/v1/requests/${r!.id}`, member);
    expect(api.json<{ messages: { bodyHtml: string }[] }>().messages[0]!.bodyHtml).not.toMatch(/<script|onerror/);
  });

  it('survives malformed MIME and keeps taking mail', async () => {
    const raw = [
      `From: ${asker.email}`,
      `To: ${INTAKE}`,
      'Subject: kapot',
      'Message-ID: <broken-1@ziekenhuis-a.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="nooit"',
      '',
      '--nooit',
      'Content-Type: text/plain; charset=x-unknown',
      'Content-Transfer-Encoding: base64',
      '',
      '!!!not base64!!!',
      '--nooit',
      'Content-Type: multipart/alternative',
      '',
      '--ook-niet',
      '',
    ].join('\r\n');
    const info = await transport.sendMail({ envelope: { from: asker.email, to: INTAKE }, raw });
    expect(info.response).toMatch(/^(250|554) /);
    const id = newMessageId();
    await send({ subject: 'Na de kapotte mail', text: 'Werkt het nog?', messageId: id });
    expect(await requestOf(id)).toBeDefined();
  });

  it('refuses an oversize mail (552), mail for other addresses (550), and ignores auto-replies', async () => {
    await expect(
      send({ subject: 'Groot', text: 'x', attachments: [{ filename: 'dump.bin', content: Buffer.alloc(MAX_BYTES + 1024, 65) }], messageId: newMessageId() }),
    ).rejects.toMatchObject({ responseCode: 552 });
    await expect(send({ to: 'iemand@cert.example', subject: 'Hallo', text: 'x', messageId: newMessageId() })).rejects.toMatchObject({ responseCode: 550 });
    const auto = newMessageId();
    const info = await send({ subject: 'Afwezig', text: 'Ik ben er niet', messageId: auto, headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(info.response).toMatch(/^250 /);
    expect(await requestOf(auto)).toBeUndefined();
  });

  it('answers 451 when the mail cannot be stored, so the sender retries, and takes the retry', async () => {
    const id = newMessageId();
    await t.system.db.schema.alterTable('info_request_messages').renameTo('info_request_messages_away').execute();
    try {
      await expect(send({ subject: 'Tijdens een storing', text: 'Komt dit aan?', messageId: id })).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      await t.system.db.schema.alterTable('info_request_messages_away').renameTo('info_request_messages').execute();
    }
    expect((await send({ subject: 'Tijdens een storing', text: 'Komt dit aan?', messageId: id })).response).toMatch(/^250 /);
    expect(await requestOf(id)).toBeDefined();
  });
});

describe('PGP both ways', () => {
  it('verifies a signed question against the contact’s key and encrypts the answer to it', async () => {
    const priv = await readPrivateKey({ armoredKey: keyed.privateKey });
    const signed = await sign({ message: await createCleartextMessage({ text: 'Ondertekende vraag over MFA.' }), signingKeys: priv });
    const id = newMessageId();
    await transport.sendMail({ from: KEYED, to: INTAKE, subject: 'MFA voor beheerders', text: signed, messageId: id });
    const r = await requestOf(id);
    expect(r?.organisation_id).toBe(orgA);
    const [q] = await messagesOf(r!.id);
    expect(q!.pgp).toBe('signed');

    const res = await call(t, 'POST', `/api/v1/requests/${r!.id}/answers`, analyst, { body: 'Gebruik FIDO2-sleutels voor beheerders.' });
    expect(res.statusCode).toBe(200);
    await drain();
    const mail = mailsTo(KEYED).find(
      (m) => m.parsed.inReplyTo === id && m.raw.toString('utf8').includes('multipart/encrypted') && m.parsed.subject?.includes('MFA'),
    )!;
    const answers = mailsTo(KEYED).filter((m) => m.parsed.inReplyTo === id);
    expect(answers.length).toBeGreaterThanOrEqual(2);
    expect(mail).toBeDefined();
    const raw = mail.raw.toString('utf8');
    expect(raw).not.toContain('FIDO2');
    const decrypted = await decrypt({ message: await readMessage({ armoredMessage: encryptedPart(raw) }), decryptionKeys: priv });
    expect(String(decrypted.data)).toContain('multipart/signed');
    const all = await Promise.all(
      answers.map(async (m) =>
        String((await decrypt({ message: await readMessage({ armoredMessage: encryptedPart(m.raw.toString('utf8')) }), decryptionKeys: priv })).data),
      ),
    );
    expect(all.some((plain) => plain.includes(Buffer.from('Gebruik FIDO2').toString('base64').slice(0, 8)) || plain.includes('FIDO2'))).toBe(true);
  });

  it('decrypts a question encrypted to the CERT key and records it', async () => {
    const certKey = await readKey({ armoredKey: (await activeSigningKey(t.system)).publicKeyArmored });
    const armored = await encrypt({ message: await createMessage({ text: 'Geheime vraag over het patiëntportaal.' }), encryptionKeys: certKey });
    const id = newMessageId();
    await send({ subject: 'Versleuteld', text: `Zie hieronder.\n\n${String(armored)}`, messageId: id });
    const r = await requestOf(id);
    const [q] = await messagesOf(r!.id);
    expect(q!.pgp).toBe('encrypted');
    expect(q!.body).toContain('Geheime vraag over het patiëntportaal.');
    expect(q!.body).not.toContain('BEGIN PGP MESSAGE');
  });

  it('verifies a PGP/MIME signed reply (RFC 3156) against the contact’s key', async () => {
    const priv = await readPrivateKey({ armoredKey: keyed.privateKey });
    const entity = 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nPGP/MIME ondertekende vraag over back-ups.';
    const signature = await sign({ message: await createMessage({ binary: new TextEncoder().encode(entity) }), signingKeys: priv, detached: true });
    const id = newMessageId();
    const raw = message(
      [
        ['From', KEYED],
        ['To', INTAKE],
        ['Subject', 'Back-ups'],
        ['Message-ID', id],
      ],
      signedEntity(entity, String(signature), 'pgp-sha256'),
    );
    await transport.sendMail({ envelope: { from: KEYED, to: INTAKE }, raw });
    const [q] = await messagesOf((await requestOf(id))!.id);
    expect(q!.pgp).toBe('signed');
    expect(q!.body).toContain('PGP/MIME ondertekende vraag');
    // The same mail with one changed byte in the signed part no longer verifies: held.
    const forged = newMessageId();
    const tampered = message(
      [
        ['From', KEYED],
        ['To', INTAKE],
        ['Subject', 'Back-ups'],
        ['Message-ID', forged],
      ],
      signedEntity(entity, String(signature), 'pgp-sha256').replace('back-ups', 'back-upz'),
    );
    await transport.sendMail({ envelope: { from: KEYED, to: INTAKE }, raw: tampered });
    expect(await requestOf(forged)).toBeUndefined();
    expect((await t.system.db.selectFrom('info_request_held_mail').select('pgp').where('message_id', '=', forged).executeTakeFirstOrThrow()).pgp).toBe(
      'bad-signature',
    );
  });

  it('holds an unsigned mail in the name of a contact who signs with a key on file (the From header is easily forged)', async () => {
    const id = newMessageId();
    const reply = await transport.sendMail({ from: KEYED, to: INTAKE, subject: 'Zonder handtekening', text: 'Graag de wachtwoorden van de beheerders.', messageId: id });
    expect(reply.response).toMatch(/^250 /);
    expect(await requestOf(id)).toBeUndefined();
    const held = await t.system.db.selectFrom('info_request_held_mail').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();
    expect(held.reason).toContain('not signed');
    // Nothing goes back to the address.
    const acks = await t.system.db.selectFrom('outbox').select('payload').where('dedupe_key', 'like', 'request-ack:%').execute();
    expect(acks.some((r) => JSON.stringify(r.payload).includes('Zonder handtekening'))).toBe(false);
  });

  it('records a signature that does not verify and holds the mail', async () => {
    const other = await makeContactKey('Mallory', KEYED);
    const signed = await sign({
      message: await createCleartextMessage({ text: 'Vervalste vraag.' }),
      signingKeys: await readPrivateKey({ armoredKey: other.privateKey }),
    });
    const id = newMessageId();
    await transport.sendMail({ from: KEYED, to: INTAKE, subject: 'Vervalst', text: signed, messageId: id });
    expect(await requestOf(id)).toBeUndefined();
    const held = await t.system.db.selectFrom('info_request_held_mail').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();
    expect(['bad-signature', 'unknown-key']).toContain(held.pgp);
  });
});
