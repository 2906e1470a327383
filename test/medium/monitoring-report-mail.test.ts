import net from 'node:net';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitoringIntake } from '../../src/modules/monitoring/intake-mail.ts';
import type { SmtpIntake } from '../../src/modules/mail/smtp-intake.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { shadowserverCsv } from '../helpers/shadowserver.ts';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';

/*
 * Shadowserver reports by mail: real SMTP from nodemailer to the monitoring intake on 127.0.0.1 (a
 * port the OS picks), each CSV attachment read through the same ingestReport as an upload, against
 * a real database.
 */

const INTAKE = 'reports@cert.example';
const SHADOWSERVER = 'autoreports@shadowserver.example';
const RDP_FILE = '2026-11-27-scan_rdp-netherlands-geo_as.csv';

let t: TestApp;
let intake: SmtpIntake;
let transport: Transporter;
let hospital: string;
let other: string;
let analyst: Credentials;

async function approve(organisationId: string, value: string) {
  const n = normaliseAsset({ type: 'ip_range', value, includeSubdomains: false });
  if (!('asset' in n)) throw new Error(n.error);
  await assetRepo.insertAsset(t.system.db, organisationId, n.asset, null, 'approved');
}

const rdpRow = (ip: string, timestamp: string, extra: Record<string, string> = {}) => ({
  timestamp,
  severity: 'high',
  ip,
  protocol: 'tcp',
  port: '3389',
  geo: 'NL',
  ...extra,
});

let seq = 0;
const newMessageId = () => `<report-${Date.now()}-${++seq}@shadowserver.example>`;
const send = (mail: SendMailOptions) =>
  transport.sendMail({
    from: `Shadowserver <${SHADOWSERVER}>`,
    to: INTAKE,
    subject: '[Netherlands] Shadowserver Netherlands Accessible RDP Report: 2026-11-27',
    ...mail,
  });

const reportsOf = (messageId: string) =>
  t.system.db.selectFrom('monitoring_reports').selectAll().where('mail_message_id', '=', messageId).orderBy('file_name').execute();
const findingsOf = (organisationId: string) =>
  t.system.db.selectFrom('monitoring_findings').select(['subject', 'type', 'port']).where('organisation_id', '=', organisationId).orderBy('subject').execute();
const reportCount = async () =>
  Number(
    (
      await t.system.db
        .selectFrom('monitoring_reports')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  // Upper case in the settings: addresses are compared case-insensitively.
  t = await createTestApp({
    MONITORING_INTAKE_SMTP_PORT: '0',
    MONITORING_INTAKE_ADDRESS: 'Reports@CERT.example',
    MONITORING_INTAKE_SENDERS: 'Shadowserver.example, feeds@partner.test',
  });
  const cert = await makeOrganisation(t, 'cert');
  hospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Post')).id;
  other = (await makeOrganisation(t, 'participant', 'Kliniek Anders')).id;
  await approve(hospital, '198.51.100.0/25');
  await approve(hospital, '2001:db8:10::/48');
  await approve(other, '203.0.113.0/28');
  analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  intake = await startMonitoringIntake(t.services, { maxBytes: 512 * 1024 });
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, secure: false, ignoreTLS: true });
}, 60_000);

afterAll(async () => {
  transport?.close();
  await intake?.close();
  await t?.close();
});

describe('monitoring reports by mail', () => {
  const messageId = newMessageId();

  it('reads each CSV attachment into a report through the upload path: findings for the right participant, unknown columns flagged, unreadable rows kept', async () => {
    const csv = shadowserverCsv(
      'scan_rdp',
      [
        rdpRow('198.51.100.10', '2026-11-27 03:12:45', { new_column_2026: 'x' }),
        rdpRow('2001:db8:10::5', '2026-11-27 03:13:00'),
        // Nobody's.
        rdpRow('192.0.2.200', '2026-11-27 03:14:00'),
        rdpRow('198.51.100.11', 'yesterday'),
      ],
      ['new_column_2026'],
    );
    const info = await send({
      messageId,
      text: 'Attached is your Accessible RDP report.',
      attachments: [
        { filename: RDP_FILE, content: csv, contentType: 'text/csv' },
        // Not a report: ignored.
        { filename: 'logo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' },
      ],
    });
    expect(info.response).toMatch(/^250 OK: 1 report\(s\) taken$/);

    const [report, ...more] = await reportsOf(messageId);
    expect(more).toHaveLength(0);
    expect(report).toMatchObject({
      received_via: 'mail',
      mail_from: SHADOWSERVER,
      mail_message_id: messageId,
      file_name: RDP_FILE,
      report_type: 'scan_rdp',
      unknown_columns: ['new_column_2026'],
      rows_total: 4,
      rows_matched: 2,
      rows_unmatched: 1,
      rows_failed: 1,
      findings_new: 2,
    });
    expect(await findingsOf(hospital)).toEqual([
      { subject: '198.51.100.10', type: 'open-rdp', port: 3389 },
      { subject: '2001:db8:10::5', type: 'open-rdp', port: 3389 },
    ]);
    expect(await findingsOf(other)).toEqual([]);

    // The CERT sees where the report came from, and the row that could not be read with its reason.
    const res = await call(t, 'GET', `/api/v1/monitoring/reports/${report!.id}`, analyst);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      receivedVia: 'mail',
      mail: { from: SHADOWSERVER, messageId },
      failedRows: [expect.objectContaining({ reason: expect.stringContaining("'yesterday' is not a date") })],
    });
  });

  it('takes a repeat of the same Message-ID once: no second report, no change to the findings', async () => {
    const before = await reportCount();
    const info = await send({
      messageId,
      text: 'Attached is your Accessible RDP report.',
      attachments: [{ filename: RDP_FILE, content: shadowserverCsv('scan_rdp', [rdpRow('198.51.100.20', '2026-11-27 04:00:00')]) }],
    });
    expect(info.response).toBe('250 OK: already taken');
    expect(await reportCount()).toBe(before);
    expect(await reportsOf(messageId)).toHaveLength(1);
    expect((await findingsOf(hospital)).map((f) => f.subject)).not.toContain('198.51.100.20');
  });

  it('makes one report per attachment, a file the type is detected for by its columns among them; an unreadable one is recorded and the rest still read', async () => {
    const id = newMessageId();
    const info = await send({
      from: 'Partner feeds <Feeds@Partner.test>',
      messageId: id,
      attachments: [
        {
          filename: '2026-11-27-scan_smb-netherlands-geo_as.csv',
          content: shadowserverCsv('scan_smb', [{ timestamp: '2026-11-27 05:00:00', ip: '203.0.113.7', port: '445' }]),
        },
        { filename: 'export.csv', content: shadowserverCsv('scan_rdp', [rdpRow('198.51.100.30', '2026-11-27 05:01:00')]) },
        { filename: 'notes.csv', content: 'name,colour\nx,blue\n' },
      ],
    });
    expect(info.response).toBe('250 OK: 3 report(s) taken, 1 of them unreadable');
    const reports = await reportsOf(id);
    expect(reports.map((r) => [r.file_name, r.report_type, r.mail_from])).toEqual([
      ['2026-11-27-scan_smb-netherlands-geo_as.csv', 'scan_smb', 'feeds@partner.test'],
      ['export.csv', 'scan_rdp', 'feeds@partner.test'],
      ['notes.csv', 'unreadable', 'feeds@partner.test'],
    ]);
    expect(await findingsOf(other)).toEqual([{ subject: '203.0.113.7', type: 'open-smb', port: 445 }]);
    expect((await findingsOf(hospital)).map((f) => f.subject)).toContain('198.51.100.30');
  });

  it('refuses a sender that is not on MONITORING_INTAKE_SENDERS with 550 and makes no report', async () => {
    const id = newMessageId();
    const before = await reportCount();
    await expect(
      send({
        from: 'Someone <someone@elsewhere.example>',
        messageId: id,
        attachments: [{ filename: RDP_FILE, content: shadowserverCsv('scan_rdp', [rdpRow('198.51.100.40', '2026-11-27 06:00:00')]) }],
      }),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('<someone@elsewhere.example> is not one of them') });
    // A look-alike domain is not a subdomain.
    await expect(
      send({ from: 'x@notshadowserver.example', messageId: newMessageId(), attachments: [{ filename: RDP_FILE, content: 'timestamp,ip\n' }] }),
    ).rejects.toMatchObject({ responseCode: 550 });
    expect(await reportCount()).toBe(before);
    expect(await reportsOf(id)).toHaveLength(0);
  });

  it('refuses a mail without a CSV attachment with 550 saying why, and names compressed files it does not read', async () => {
    const before = await reportCount();
    await expect(send({ messageId: newMessageId(), text: 'No report today.' })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('No CSV report in this mail'),
    });
    await expect(
      send({ messageId: newMessageId(), attachments: [{ filename: `${RDP_FILE}.gz`, content: Buffer.from([0x1f, 0x8b, 0x08, 0x00]) }] }),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining(`${RDP_FILE}.gz`) });
    expect(await reportCount()).toBe(before);
  });

  it('ignores automatic replies without a report', async () => {
    const before = await reportCount();
    const info = await send({
      messageId: newMessageId(),
      headers: { 'Auto-Submitted': 'auto-replied' },
      attachments: [{ filename: RDP_FILE, content: shadowserverCsv('scan_rdp', [rdpRow('198.51.100.50', '2026-11-27 07:00:00')]) }],
    });
    expect(info.response).toBe('250 OK: automatic replies are not taken as reports');
    expect(await reportCount()).toBe(before);
  });

  it('refuses mail to another address, and survives malformed MIME and a dropped connection', async () => {
    await expect(transport.sendMail({ from: SHADOWSERVER, to: 'someone-else@cert.example', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });

    // A multipart mail whose boundary never comes, with a broken base64 part: answered, not a crash.
    const broken = [
      `From: <${SHADOWSERVER}>`,
      `To: <${INTAKE}>`,
      `Message-ID: ${newMessageId()}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="nowhere"',
      '',
      '--elsewhere',
      'Content-Type: text/csv; name="x.csv"',
      'Content-Transfer-Encoding: base64',
      '',
      '%%%% not base64 %%%%',
      '',
    ].join('\r\n');
    const answer = await transport.sendMail({ envelope: { from: SHADOWSERVER, to: [INTAKE] }, raw: broken }).then(
      (i) => i.response,
      (err: { responseCode?: number }) => err.responseCode,
    );
    expect([550, 554]).toContain(answer);

    // A client that hangs up in the middle of the data.
    await new Promise<void>((resolve) => {
      const socket = net.connect(intake.port, '127.0.0.1');
      const lines = [`EHLO test\r\n`, `MAIL FROM:<${SHADOWSERVER}>\r\n`, `RCPT TO:<${INTAKE}>\r\n`, 'DATA\r\n', 'Subject: half\r\n'];
      socket.on('data', () => {
        const next = lines.shift();
        if (next) socket.write(next);
        // The last line went out after the 354: hang up without ending the data.
        if (!lines.length) setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });

    // Still serving.
    const id = newMessageId();
    const info = await send({
      messageId: id,
      attachments: [{ filename: RDP_FILE, content: shadowserverCsv('scan_rdp', [rdpRow('198.51.100.60', '2026-11-27 08:00:00')]) }],
    });
    expect(info.response).toMatch(/^250 /);
    expect(await reportsOf(id)).toHaveLength(1);
  });
});
