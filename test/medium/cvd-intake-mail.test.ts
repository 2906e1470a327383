import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text as readText } from 'node:stream/consumers';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type DatabaseConnection } from 'kysely';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { createMessage, encrypt, generateKey, readKey, type Key } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import { attachmentDir, openAttachment } from '../../src/modules/cvd/attachments.ts';
import { UNDECRYPTABLE_DESCRIPTION, UNKNOWN_TARGET, startCvdIntake, type CvdIntake } from '../../src/modules/cvd/intake-mail.ts';
import { activeSigningKey, ensureSigningKey, rotateSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import type { Services } from '../../src/server/context.ts';
import { GPG, gpgAvailable, runGpg } from '../helpers/gpg.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/*
 * Vulnerability reports by mail: real SMTP from nodemailer (and a raw socket where nodemailer is too
 * polite) to the CVD intake on 127.0.0.1, encrypted with OpenPGP.js and GnuPG to the CERT's key,
 * against a real database.
 */

const INTAKE = 'cvd@cert.example';
const FINDER = 'onderzoeker@researcher.example';
const MAX_BYTES = 256 * 1024;

let t: TestApp;
let intake: CvdIntake;
let transport: Transporter;
let certKey: Key;
let evidenceDir: string;

beforeAll(async () => {
  evidenceDir = await mkdtemp(path.join(tmpdir(), 'wp-cvd-mail-'));
  // Upper case in the setting: the intake compares addresses case-insensitively.
  t = await createTestApp({ CVD_INTAKE_SMTP_PORT: '0', CVD_INTAKE_ADDRESS: 'CVD@CERT.example', INCIDENT_EVIDENCE_DIR: evidenceDir });
  await ensureSigningKey(t.system);
  certKey = await readKey({ armoredKey: (await activeSigningKey(t.system)).publicKeyArmored });
  intake = await startCvdIntake(t.services, { maxBytes: MAX_BYTES });
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  transport?.close();
  await intake?.close();
  await t?.close();
  await rm(evidenceDir, { recursive: true, force: true });
});

let seq = 0;
const newMessageId = () => `<cvd-${Date.now()}-${++seq}@researcher.example>`;
const send = (mail: SendMailOptions) => transport.sendMail({ from: `Sam Onderzoeker <${FINDER}>`, to: INTAKE, ...mail });
/** A mail built by hand (PGP/MIME), with the envelope nodemailer cannot read from raw bytes. */
const sendRaw = (raw: string, from = FINDER) => transport.sendMail({ envelope: { from, to: [INTAKE] }, raw });

const caseWith = async (messageId: string) => {
  const rows = await t.system.db.selectFrom('cvd_cases').selectAll().where('mail_message_id', '=', messageId).execute();
  expect(rows).toHaveLength(1);
  return rows[0]!;
};
const caseCount = async () =>
  Number(
    (
      await t.system.db
        .selectFrom('cvd_cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const attachmentsOf = (caseId: string) => t.system.db.selectFrom('cvd_attachments').selectAll().where('case_id', '=', caseId).orderBy('file_name').execute();
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function encryptTo(key: Key, text: string): Promise<string> {
  // `unknown`: openpgp's declared result is a conditional over web streams that lint cannot resolve.
  const armored: unknown = await encrypt({ message: await createMessage({ text }), encryptionKeys: key, format: 'armored' });
  if (typeof armored !== 'string') throw new Error('OpenPGP returned no armored message.');
  return armored;
}

/** The MIME entity a mail client encrypts: the text and a file, with the real subject inside (protected headers). */
function innerEntity(text: string, file: { name: string; content: Buffer }, subject?: string): string {
  return [
    'Content-Type: multipart/mixed; boundary="inner"; protected-headers="v1"',
    ...(subject ? [`Subject: ${subject}`] : []),
    '',
    '--inner',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    text,
    '--inner',
    `Content-Type: application/octet-stream; name="${file.name}"`,
    `Content-Disposition: attachment; filename="${file.name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    file.content.toString('base64'),
    '--inner--',
    '',
  ].join('\r\n');
}

/** An RFC 3156 PGP/MIME mail around an armored message. */
function pgpMime(armored: string, headers: { subject: string; messageId: string }): string {
  return [
    `From: Sam Onderzoeker <${FINDER}>`,
    `To: <${INTAKE}>`,
    `Subject: ${headers.subject}`,
    `Message-ID: ${headers.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="outer"',
    '',
    '--outer',
    'Content-Type: application/pgp-encrypted',
    'Content-Description: PGP/MIME version identification',
    '',
    'Version: 1',
    '',
    '--outer',
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    'Content-Disposition: inline; filename="encrypted.asc"',
    '',
    armored.replace(/\r?\n/g, '\r\n').trimEnd(),
    '--outer--',
    '',
  ].join('\r\n');
}

const REPORT =
  'Stored XSS in the patient portal: https://portal.ziekenhuis.example/berichten?id=1 runs script from the subject field. The proof of concept is attached.';
const POC = Buffer.from('<script>alert(document.domain)</script>\n', 'utf8');

describe('a PGP/MIME report encrypted to the CERT key', () => {
  it('opens a case with the decrypted text, the attachment inside, the finder and an acknowledgement', async () => {
    const messageId = newMessageId();
    const armored = await encryptTo(certKey, innerEntity(REPORT, { name: 'poc.html', content: POC }, 'Stored XSS in the patient portal'));
    const info = await sendRaw(pgpMime(armored, { subject: '...', messageId }));
    expect(info.response).toMatch(/^250 /);

    const c = await caseWith(messageId);
    expect(c).toMatchObject({
      intake: 'mail',
      encrypted: true,
      // The protected subject inside the encryption, not the "..." outside it.
      title: 'Stored XSS in the patient portal',
      description: REPORT,
      target_kind: 'website',
      target: 'portal.ziekenhuis.example',
      language: 'en',
      credit: 'none',
    });
    const files = await attachmentsOf(c.id);
    expect(files.map((f) => f.file_name)).toEqual(['poc.html']);
    expect(files[0]!.sha256).toBe(sha256(POC));

    const finder = await t.system.db.selectFrom('cvd_parties').selectAll().where('case_id', '=', c.id).where('kind', '=', 'finder').executeTakeFirstOrThrow();
    expect(finder).toMatchObject({ email: FINDER, name: 'Sam Onderzoeker', language: 'en' });
    expect(finder.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const acks = await t.system.db.selectFrom('outbox').select(['payload']).where('dedupe_key', '=', `cvd:${c.id}:ack`).execute();
    expect(acks).toHaveLength(1);
    expect(acks[0]!.payload).toMatchObject({ to: FINDER });
    expect(String(acks[0]!.payload.subject)).toContain(c.reference);
  });

  it('opens one case when the same mail arrives twice, and keeps no second copy of its files', async () => {
    const messageId = newMessageId();
    const raw = pgpMime(await encryptTo(certKey, innerEntity(REPORT, { name: 'poc.html', content: POC })), { subject: 'XSS', messageId });
    expect((await sendRaw(raw)).response).toMatch(/^250 /);
    const filesBefore = (await readdir(attachmentDir(t.services))).length;
    expect((await sendRaw(raw)).response).toMatch(/^250 /);
    const c = await caseWith(messageId);
    expect(await attachmentsOf(c.id)).toHaveLength(1);
    expect((await readdir(attachmentDir(t.services))).length).toBe(filesBefore);
  });

  it('decrypts a mail encrypted by GnuPG (gpg --encrypt --armor -r)', async ({ skip }) => {
    if (!gpgAvailable()) return skip(`GnuPG (${GPG}) is not installed: apt-get install -y gnupg`);
    const home = await mkdtemp(path.join(tmpdir(), 'wp-gpg-'));
    try {
      const env = { ...process.env, GNUPGHOME: home };
      await writeFile(path.join(home, 'cert.asc'), certKey.armor());
      await writeFile(
        path.join(home, 'inner.eml'),
        innerEntity('De beheerinterface op https://beheer.ziekenhuis.example/ heeft geen wachtwoord.', { name: 'scan.txt', content: Buffer.from('open\n') }),
      );
      expect((await runGpg(['--batch', '--import', path.join(home, 'cert.asc')], env)).code).toBe(0);
      const out = await runGpg(
        [
          '--batch',
          '--trust-model',
          'always',
          '--encrypt',
          '--armor',
          '-r',
          certKey.getFingerprint().toUpperCase(),
          '--output',
          '-',
          path.join(home, 'inner.eml'),
        ],
        env,
      );
      expect(out.stderr).not.toMatch(/error/i);
      const messageId = newMessageId();
      expect((await sendRaw(pgpMime(out.stdout.toString(), { subject: 'Beheerinterface zonder wachtwoord', messageId }))).response).toMatch(/^250 /);
      const c = await caseWith(messageId);
      expect(c).toMatchObject({ encrypted: true, language: 'nl', target: 'beheer.ziekenhuis.example', title: 'Beheerinterface zonder wachtwoord' });
      expect(c.description).toBe('De beheerinterface op https://beheer.ziekenhuis.example/ heeft geen wachtwoord.');
      expect((await attachmentsOf(c.id)).map((f) => f.sha256)).toEqual([sha256('open\n')]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('other reports by mail', () => {
  it('decrypts an inline armored body and keeps the words around it', async () => {
    const messageId = newMessageId();
    const secret = 'De VPN-gateway vpn.ziekenhuis.example laat inloggen toe zonder tweede factor.';
    await send({ subject: 'Kwetsbaarheid VPN', text: `Goedemiddag,\n\n${await encryptTo(certKey, secret)}\nMet vriendelijke groet,\nSam`, messageId });
    const c = await caseWith(messageId);
    expect(c).toMatchObject({ encrypted: true, language: 'nl', target_kind: 'website', target: 'vpn.ziekenhuis.example' });
    expect(c.description).toContain(secret);
    expect(c.description).toMatch(/^Goedemiddag,/);
    expect(c.description).not.toContain('PGP MESSAGE');
    // The signature names the finder: parties read the report without it; the CERT keeps the whole mail as a note.
    expect(c.description).not.toMatch(/vriendelijke groet|Sam/);
    const note = await t.system.db.selectFrom('cvd_messages').select('body').where('case_id', '=', c.id).where('direction', '=', 'note').executeTakeFirstOrThrow();
    expect(note.body).toContain('Met vriendelijke groet,\nSam');
    expect(note.body).toContain(secret);
  });

  it('takes a plain mail, marked as not encrypted, with its attachments', async () => {
    const messageId = newMessageId();
    const log = Buffer.from('GET /admin 200\n');
    await send({
      subject: 'Open beheerpoort',
      text: 'Op 192.0.2.10 staat de beheerpoort van het PACS open voor het hele internet.',
      attachments: [{ filename: 'scan.log', content: log }],
      messageId,
    });
    const c = await caseWith(messageId);
    expect(c).toMatchObject({ encrypted: false, target_kind: 'system', target: '192.0.2.10', language: 'nl', title: 'Open beheerpoort' });
    expect((await attachmentsOf(c.id)).map((f) => [f.file_name, f.sha256])).toEqual([['scan.log', sha256(log)]]);
  });

  it('takes a report naming no host as about a system to be named by the analyst, titled by default', async () => {
    const messageId = newMessageId();
    await send({ subject: '', text: 'Het infuuspompbeheer accepteert firmware zonder handtekening; details volgen via de beveiligde link.', messageId });
    const c = await caseWith(messageId);
    expect(c).toMatchObject({ target_kind: 'system', target: UNKNOWN_TARGET, title: 'Melding kwetsbaarheid', language: 'nl' });
  });

  it('pads a short body with the subject, and refuses with 550 what is still too short', async () => {
    const messageId = newMessageId();
    await send({ subject: 'SQL injection in the login form', text: 'See subject.', messageId });
    expect((await caseWith(messageId)).description).toBe('SQL injection in the login form\n\nSee subject.');

    const before = await caseCount();
    await expect(send({ subject: 'XSS', text: 'hi', messageId: newMessageId() })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(/too short/),
    });
    expect(await caseCount()).toBe(before);
  });

  it('opens a case for a report it cannot decrypt, with the armored message attached as message.asc', async () => {
    const { publicKey: otherKey } = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: 'someone@elsewhere.example' }],
      format: 'object',
    });
    const armored = await encryptTo(otherKey, 'Not for this CERT.');
    const messageId = newMessageId();
    expect((await sendRaw(pgpMime(armored, { subject: 'Kwetsbaarheid in de app', messageId }))).response).toMatch(/^250 /);
    const c = await caseWith(messageId);
    expect(c).toMatchObject({ encrypted: true, description: UNDECRYPTABLE_DESCRIPTION, title: 'Kwetsbaarheid in de app' });
    const files = await attachmentsOf(c.id);
    expect(files.map((f) => f.file_name)).toEqual(['message.asc']);
    const stored = await readText(await openAttachment(t.services, files[0]!));
    expect(stored.replace(/\r\n/g, '\n').trim()).toBe(armored.replace(/\r\n/g, '\n').trim());
  });
});

describe('what the intake refuses or ignores', () => {
  it('refuses mail to any other address with 550', async () => {
    const before = await caseCount();
    await expect(
      send({ to: 'incident@cert.example', subject: 'Hallo', text: 'Een melding voor het verkeerde adres.', messageId: newMessageId() }),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
    expect(await caseCount()).toBe(before);
  });

  it('refuses an oversize mail with 552', async () => {
    const before = await caseCount();
    await expect(
      send({
        subject: 'Groot',
        text: 'Een dump van de database.',
        attachments: [{ filename: 'dump.txt', content: 'A'.repeat(MAX_BYTES + 1024) }],
        messageId: newMessageId(),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(await caseCount()).toBe(before);
  });

  it('takes bounces and auto-replies with 250 without opening a case, so acknowledgements cannot loop', async () => {
    const before = await caseCount();
    const bounce = `From: Mail Delivery System <mailer-daemon@researcher.example>\r\nTo: <${INTAKE}>\r\nSubject: Undelivered Mail\r\nMessage-ID: ${newMessageId()}\r\n\r\nYour message could not be delivered to anyone at all.\r\n`;
    expect(await smtpDialog(intake.port, ['EHLO test.example', 'MAIL FROM:<>', `RCPT TO:<${INTAKE}>`, 'DATA', `${bounce}.`, 'QUIT'])).toEqual([
      220, 250, 250, 250, 354, 250, 221,
    ]);
    // A mailer-daemon's bounce that came with an envelope sender all the same.
    expect(
      (
        await transport.sendMail({
          from: 'mailer-daemon@researcher.example',
          to: INTAKE,
          subject: 'Undelivered Mail',
          text: 'Your message could not be delivered.',
          messageId: newMessageId(),
        })
      ).response,
    ).toMatch(/^250 /);
    expect(
      (
        await send({
          subject: 'Out of office',
          text: 'I am away until Monday, 3 March.',
          headers: { 'Auto-Submitted': 'auto-replied' },
          messageId: newMessageId(),
        })
      ).response,
    ).toMatch(/^250 /);
    expect(await caseCount()).toBe(before);
  });
});

describe('when the case cannot be stored', () => {
  it('answers 451 so the sending server keeps the mail and retries', async () => {
    // The same listener over a database that refuses every query: an outage, not a bad mail.
    const down = new Kysely<DB>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DownDriver(),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const services: Services = { ...t.services, database: { ...t.services.database, db: down } };
    const broken = await startCvdIntake(services, { maxBytes: MAX_BYTES });
    const tx = nodemailer.createTransport({ host: '127.0.0.1', port: broken.port, secure: false, ignoreTLS: true });
    try {
      // Encrypted: reading the CERT's keys fails too, and must not pass for "undecryptable".
      const raw = pgpMime(await encryptTo(certKey, innerEntity(REPORT, { name: 'poc.html', content: POC })), { subject: 'XSS', messageId: newMessageId() });
      await expect(tx.sendMail({ envelope: { from: FINDER, to: [INTAKE] }, raw })).rejects.toMatchObject({ responseCode: 451 });
      await expect(
        tx.sendMail({ from: FINDER, to: INTAKE, subject: 'Storing', text: 'Een melding tijdens een storing.', messageId: newMessageId() }),
      ).rejects.toMatchObject({
        responseCode: 451,
      });
    } finally {
      tx.close();
      await broken.close();
    }
  });
});

describe('after a key rotation', () => {
  it('still decrypts a report encrypted to the retired key a finder fetched earlier', async () => {
    const oldKey = certKey;
    await rotateSigningKey(t.system);
    const messageId = newMessageId();
    await send({
      subject: 'Oude sleutel',
      text: await encryptTo(oldKey, 'Een melding versleuteld met de sleutel van vorig jaar, over 198.51.100.7.'),
      messageId,
    });
    const c = await caseWith(messageId);
    expect(c).toMatchObject({ encrypted: true, target: '198.51.100.7' });
    expect(c.description).toBe('Een melding versleuteld met de sleutel van vorig jaar, over 198.51.100.7.');
  });
});

class DownDriver extends DummyDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    return {
      executeQuery: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      streamQuery: () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
    };
  }
}

/** Sends each line after the previous reply (DATA's content after its 354) and returns the reply codes, greeting first. */
function smtpDialog(port: number, lines: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const codes: number[] = [];
    let buffer = '';
    let next = 0;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        // Multi-line replies (EHLO) use "250-" until the last line, "250 ".
        if (line[3] === '-') continue;
        codes.push(Number(line.slice(0, 3)));
        if (next < lines.length) socket.write(`${lines[next++]}\r\n`);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(codes));
  });
}
