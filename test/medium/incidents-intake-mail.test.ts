import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type DatabaseConnection } from 'kysely';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import { startIncidentIntake, type IncidentIntake } from '../../src/modules/incidents/intake-smtp.ts';
import type { Services } from '../../src/server/context.ts';
import { makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/*
 * Reports by mail: real SMTP from nodemailer (and, where nodemailer is too polite, a raw socket)
 * to the intake listener on 127.0.0.1, against a real database.
 */

const INTAKE = 'incident@cert.example';
const MAX_BYTES = 64 * 1024;

let t: TestApp;
let intake: IncidentIntake;
let transport: Transporter;
let reporter: TestUser;
let orgId: string;

beforeAll(async () => {
  // Upper case in the setting: the intake compares addresses case-insensitively.
  t = await createTestApp({ INCIDENT_INTAKE_SMTP_PORT: '0', INCIDENT_INTAKE_ADDRESS: 'Incident@CERT.example' });
  intake = await startIncidentIntake(t.services, { maxBytes: MAX_BYTES });
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, secure: false, ignoreTLS: true });
  const org = await makeOrganisation(t, 'participant', 'Ziekenhuis Intake');
  orgId = org.id;
  reporter = await makeUser(t, org.id, 'participant-member');
});
afterAll(async () => {
  transport?.close();
  await intake?.close();
  await t?.close();
});

let seq = 0;
const newMessageId = () => `<intake-${Date.now()}-${++seq}@ziekenhuis.example>`;
const send = (mail: SendMailOptions) => transport.sendMail({ from: `Jan de Vries <${reporter.email}>`, to: INTAKE, ...mail });
const casesWith = (messageId: string) =>
  t.system.db
    .selectFrom('incident_cases')
    .selectAll()
    .where((eb) => eb(eb.ref('report', '->>').key('messageId'), '=', messageId))
    .execute();
const caseCount = async () =>
  Number(
    (
      await t.system.db
        .selectFrom('incident_cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a report by mail to the intake address', () => {
  it('opens a case in triage for the sender’s organisation and acknowledges it through the outbox', async () => {
    const messageId = newMessageId();
    const info = await send({ subject: 'Ransomware op de PACS-server', text: 'Sinds 03:10 zijn de beelden versleuteld; losgeldbrief in C:\\PACS.', messageId });
    expect(info.response).toMatch(/^250 /);

    const [c, ...more] = await casesWith(messageId);
    expect(more).toHaveLength(0);
    expect(c).toMatchObject({
      intake: 'mail',
      status: 'triage',
      title: 'Ransomware op de PACS-server',
      reporter_email: reporter.email,
      reporter_user_id: reporter.id,
    });
    expect(c!.description).toContain('Sinds 03:10 zijn de beelden versleuteld');
    expect(c!.report).toMatchObject({ from: reporter.email, fromName: 'Jan de Vries', messageId });
    const orgs = await t.system.db.selectFrom('incident_case_organisations').select('organisation_id').where('case_id', '=', c!.id).execute();
    expect(orgs.map((o) => o.organisation_id)).toEqual([orgId]);

    const acks = await t.system.db.selectFrom('outbox').select(['payload', 'dedupe_key']).where('dedupe_key', '=', `incident-ack:${c!.id}`).execute();
    expect(acks).toHaveLength(1);
    expect(acks[0]!.payload).toMatchObject({ to: reporter.email });
    expect(String(acks[0]!.payload.subject)).toContain(c!.reference);
  });

  it('takes an HTML-only mail as its text', async () => {
    const messageId = newMessageId();
    await send({ subject: 'Phishing', html: '<html><body><p>Medewerkers kregen een <b>valse</b> inlogpagina.</p></body></html>', messageId });
    const [c] = await casesWith(messageId);
    expect(c!.description).toContain('Medewerkers kregen een valse inlogpagina.');
    expect(c!.description).not.toContain('<');
  });

  it('opens one case when the same mail arrives twice (a sending server retrying after a lost 250)', async () => {
    const messageId = newMessageId();
    const first = await send({ subject: 'Datalek', text: 'Een USB-stick met patiëntgegevens is kwijt.', messageId });
    const second = await send({ subject: 'Datalek', text: 'Een USB-stick met patiëntgegevens is kwijt.', messageId });
    expect(first.response).toMatch(/^250 /);
    expect(second.response).toMatch(/^250 /);
    expect(await casesWith(messageId)).toHaveLength(1);
  });

  it('keeps the mail’s attachments as evidence with their hash and where they came from, once', async () => {
    const messageId = newMessageId();
    const note = Buffer.from('Uw bestanden zijn versleuteld. Betaal 2 BTC.\n');
    const mail = {
      subject: 'Losgeldbrief gevonden',
      text: 'Zie de bijlage.',
      messageId,
      attachments: [{ filename: 'C:\\PACS\\losgeldbrief.txt', content: note, contentType: 'text/plain' }],
    };
    await send(mail);
    await send(mail);
    const [c] = await casesWith(messageId);
    const evidence = await t.system.db.selectFrom('incident_evidence').selectAll().where('case_id', '=', c!.id).execute();
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({
      file_name: 'losgeldbrief.txt',
      sha256: createHash('sha256').update(note).digest('hex'),
      shared: true,
      uploaded_by_organisation_id: orgId,
    });
    const custody = await t.system.db.selectFrom('incident_custody').selectAll().where('evidence_id', '=', evidence[0]!.id).execute();
    expect(custody).toEqual([
      expect.objectContaining({ action: 'upload', actor_name: `${reporter.email} (by mail)`, reason: expect.stringContaining(messageId) }),
    ]);
    // The retry stored its copy and removed it again: one file on disk for the one row.
    const onDisk = readdirSync(t.services.config.incidents.evidenceDir).filter((f) => /^[0-9a-f]{64}$/.test(f));
    const stored = await t.system.db.selectFrom('incident_evidence').select('storage_name').execute();
    expect(onDisk.sort()).toEqual(stored.map((r) => r.storage_name).sort());
  });

  it('refuses mail to any other address with 550', async () => {
    const before = await caseCount();
    await expect(send({ to: 'someone-else@cert.example', subject: 'Hallo', text: 'x', messageId: newMessageId() })).rejects.toMatchObject({
      responseCode: 550,
    });
    expect(await caseCount()).toBe(before);
  });

  it('refuses an oversize mail with 552', async () => {
    const before = await caseCount();
    const big = 'A'.repeat(MAX_BYTES + 1024);
    await expect(
      send({ subject: 'Groot', text: 'bijlage', attachments: [{ filename: 'dump.txt', content: big }], messageId: newMessageId() }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(await caseCount()).toBe(before);
  });

  it('refuses an oversize mail that declares no size, after reading it (552)', async () => {
    const before = await caseCount();
    const body = `From: <${reporter.email}>\r\nTo: <${INTAKE}>\r\nSubject: groot\r\nMessage-ID: ${newMessageId()}\r\n\r\n${'B'.repeat(998)}\r\n`.repeat(
      Math.ceil(MAX_BYTES / 1000) + 2,
    );
    const replies = await smtpDialog(intake.port, [`EHLO test.example`, `MAIL FROM:<${reporter.email}>`, `RCPT TO:<${INTAKE}>`, 'DATA', `${body}.`, 'QUIT']);
    expect(replies).toEqual([220, 250, 250, 250, 354, 552, 221]);
    expect(await caseCount()).toBe(before);
  });

  it('takes a bounce (null sender) without opening a case, so acknowledgements cannot loop', async () => {
    const before = await caseCount();
    const body = `From: Mail Delivery System <mailer-daemon@ziekenhuis.example>\r\nTo: <${INTAKE}>\r\nSubject: Undelivered Mail\r\nMessage-ID: ${newMessageId()}\r\n\r\nYour message could not be delivered.\r\n`;
    const replies = await smtpDialog(intake.port, ['EHLO test.example', 'MAIL FROM:<>', `RCPT TO:<${INTAKE}>`, 'DATA', `${body}.`, 'QUIT']);
    expect(replies).toEqual([220, 250, 250, 250, 354, 250, 221]);
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
    const broken = await startIncidentIntake(services, { maxBytes: MAX_BYTES });
    const tx = nodemailer.createTransport({ host: '127.0.0.1', port: broken.port, secure: false, ignoreTLS: true });
    try {
      await expect(tx.sendMail({ from: reporter.email, to: INTAKE, subject: 'Storing', text: 'x', messageId: newMessageId() })).rejects.toMatchObject({
        responseCode: 451,
      });
    } finally {
      tx.close();
      await broken.close();
    }
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
