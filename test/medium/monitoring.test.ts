import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { rbldnsdAvailable, startRbldnsd, type Rbldnsd } from '../helpers/rbldnsd.ts';
import { shadowserverCsv } from '../helpers/shadowserver.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import * as contactRepo from '../../src/modules/organisations/contact.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import { checkZone } from '../../src/modules/monitoring/dnsbl.ts';
import { runDaily } from '../../src/modules/monitoring/daily.service.ts';
import { sendDailyDigests } from '../../src/modules/monitoring/digest.service.ts';
import { createMailer } from '../../src/modules/mail/mailer.ts';
import { drainOutbox } from '../../src/modules/mail/outbox.service.ts';
import { rawAwareMailHandler } from '../../src/modules/mail/signed-mail.ts';
import { activeSigningKey, ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { addContact, decodeParts, encryptedPart, gpgDecrypt, makeContactKey, signedParts, type ContactKey } from '../helpers/distribution.ts';
import { gpgAvailable, gpgVerify } from '../helpers/gpg.ts';

const hasRbldnsd = rbldnsdAvailable();
if (!hasRbldnsd) console.warn('rbldnsd is not installed: the blacklist tests against a real DNSBL server are skipped (apt-get install -y rbldnsd).');

let t: TestApp;
let rbl: Rbldnsd | null = null;
let sink: SmtpSink;
let hospital: string;
let lab: string;
let other: string;
let analyst: Credentials;
let labKey: ContactKey;
let hospitalAdmin: Credentials;
let labMember: Credentials;

async function approve(organisationId: string, type: 'ip_range' | 'domain' | 'asn', value: string, includeSubdomains = false) {
  const n = normaliseAsset({ type, value, includeSubdomains });
  if (!('asset' in n)) throw new Error(n.error);
  await assetRepo.insertAsset(t.system.db, organisationId, n.asset, null, 'approved');
}

async function contact(organisationId: string, email: string, languages: string[]) {
  await contactRepo.insertContact(t.system.db, organisationId, {
    name: email,
    email,
    kind: 'function',
    roles: ['security'],
    languages,
    phone: null,
    subscriptions: ['monitoring'],
    pgp_public_key: null,
    pgp_fingerprint: null,
    pgp_user_ids: null,
    pgp_expires_at: null,
    user_id: null,
  });
}

const RDP_FILE = '2026-11-26-scan_rdp-netherlands-geo.csv';
const rdpRow = (ip: string, timestamp: string, extra: Record<string, string> = {}) => ({
  timestamp,
  severity: 'high',
  ip,
  protocol: 'tcp',
  port: '3389',
  asn: '',
  geo: 'NL',
  ...extra,
});

async function upload(as: Credentials, body: Record<string, unknown>) {
  return call(t, 'POST', '/api/v1/monitoring/reports', as, body);
}

beforeAll(async () => {
  if (hasRbldnsd) {
    rbl = await startRbldnsd([
      {
        name: 'bl.test',
        type: 'ip4set',
        lines: [
          ':127.0.0.2:Listed: see https://dnsbl.test/lookup?$',
          '127.0.0.2',
          '198.51.100.7',
          '203.0.113.9 :127.0.0.4:Botnet C2',
          '198.51.100.99 :192.0.2.99:refused',
        ],
      },
      { name: 'dbl.test', type: 'dnset', lines: [':127.0.1.2:Spam domain', 'test', 'lab-zuid.example'] },
    ]);
  }
  sink = await startSmtpSink();
  t = await createTestApp({ MONITORING_DNS_SERVERS: rbl?.server ?? '127.0.0.1:9', MONITORING_DNS_TIMEOUT_MS: '1500', PUBLIC_URL: 'http://wachtpost.test' });
  await ensureSigningKey(t.system);
  const cert = await makeOrganisation(t, 'cert');
  hospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Test')).id;
  lab = (await makeOrganisation(t, 'participant', 'Lab Zuid')).id;
  other = (await makeOrganisation(t, 'participant', 'Zorg Elders')).id;
  await approve(hospital, 'ip_range', '198.51.100.0/25');
  await approve(hospital, 'domain', 'ziekenhuis-test.example', true);
  await approve(lab, 'ip_range', '198.51.100.64/26');
  await approve(lab, 'ip_range', '203.0.113.0/28');
  await approve(lab, 'asn', 'AS64500');
  await approve(lab, 'domain', 'lab-zuid.example', true);
  await approve(other, 'ip_range', '192.0.2.0/28');
  await contact(hospital, 'soc@ziekenhuis-test.example', ['nl']);
  await contact(lab, 'it@lab-zuid.example', ['en']);
  labKey = await makeContactKey('Lab Zuid SOC', 'soc@lab-zuid.example');
  await addContact(t, lab, { email: 'soc@lab-zuid.example', languages: ['en'], subscriptions: ['monitoring'], key: labKey });
  analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  hospitalAdmin = await login(t, await makeUser(t, hospital, 'participant-admin'));
  labMember = await login(t, await makeUser(t, lab, 'participant-member'));
}, 60_000);

afterAll(async () => {
  await t?.close();
  await rbl?.stop();
  await sink?.close();
});

describe('Shadowserver reports', () => {
  it('turn rows into findings of the right participants, flag unknown columns and keep unreadable rows with the reason', async () => {
    const csv =
      shadowserverCsv(
        'scan_rdp',
        [
          rdpRow('198.51.100.10', '2026-11-26 03:12:45', { new_column_2026: 'x' }),
          rdpRow('198.51.100.70', '2026-11-26 03:13:00'),
          // Not in any declared range, but in the lab's AS.
          rdpRow('192.0.2.200', '2026-11-26 03:14:00', { asn: '64500' }),
          // Nobody's.
          rdpRow('192.0.2.100', '2026-11-26 03:15:00', { asn: '64510' }),
          rdpRow('198.51.100.11', 'yesterday'),
        ],
        ['new_column_2026'],
      ) + '198.51.100.12,too,few,columns\n';
    const res = await upload(analyst, { format: 'shadowserver', fileName: RDP_FILE, content: csv });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json<{
      id: string;
      reportType: string;
      detectedBy: string;
      unknownColumns: string[];
      rowsTotal: number;
      rowsMatched: number;
      rowsUnmatched: number;
      rowsFailed: number;
      findingsNew: number;
    }>();
    expect(r).toMatchObject({
      reportType: 'scan_rdp',
      detectedBy: 'file name',
      unknownColumns: ['new_column_2026'],
      rowsTotal: 6,
      rowsMatched: 3,
      rowsUnmatched: 1,
      rowsFailed: 2,
      findingsNew: 3,
    });
    const detail = (await call(t, 'GET', `/api/v1/monitoring/reports/${r.id}`, analyst)).json<{
      failedRows: { line: number; raw: string; reason: string }[];
    }>();
    expect(detail.failedRows.map((f) => f.reason)).toEqual([
      expect.stringContaining("'yesterday' is not a date"),
      expect.stringMatching(/fields|columns|record/i),
    ]);
    expect(detail.failedRows[1]!.raw).toContain('198.51.100.12');

    const mine = (await call(t, 'GET', '/api/v1/monitoring/findings', hospitalAdmin)).json<{
      items: { subject: string; type: string; port: number; asset: string; organisationId: string }[];
    }>();
    expect(mine.items.map((f) => [f.subject, f.type, f.port, f.asset])).toEqual([['198.51.100.10', 'open-rdp', 3389, '198.51.100.0/25']]);
    // The evidence is the report's row as received, unknown column included.
    const detail1 = (await call(t, 'GET', `/api/v1/monitoring/findings/${(mine.items[0] as unknown as { id: string }).id}`, hospitalAdmin)).json<{ evidence: { reportId: string; line: number; row: Record<string, string> } }>();
    expect(detail1.evidence).toMatchObject({ reportId: r.id, line: 2, row: { ip: '198.51.100.10', port: '3389', timestamp: '2026-11-26 03:12:45', new_column_2026: 'x' } });
    const labs = (await call(t, 'GET', '/api/v1/monitoring/findings', labMember)).json<{ items: { subject: string; asset: string }[] }>();
    expect(labs.items.map((f) => [f.subject, f.asset]).sort()).toEqual([
      ['192.0.2.200', 'AS64500'],
      ['198.51.100.70', '198.51.100.64/26'],
    ]);
    const othersFindings = await t.system.db.selectFrom('monitoring_findings').select('id').where('organisation_id', '=', other).execute();
    expect(othersFindings).toHaveLength(0);
  });

  it('detects the report type from the columns when the file name does not say, and reads event reports by their source address', async () => {
    const csv = shadowserverCsv('event4_sinkhole_http', [
      {
        timestamp: '2026-11-26 08:00:00',
        protocol: 'tcp',
        src_ip: '203.0.113.5',
        src_port: '49152',
        infection: 'qakbot',
        family: 'qakbot',
        severity: 'high',
        dst_ip: '192.0.2.250',
        dst_port: '80',
      },
    ]);
    const res = await upload(analyst, { format: 'shadowserver', fileName: 'export.csv', content: csv });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ reportType: 'event4_sinkhole_http', detectedBy: 'columns', findingsNew: 1 });
    const labs = (await call(t, 'GET', '/api/v1/monitoring/findings?type=infected-system', labMember)).json<{
      items: { subject: string; port: number | null; severity: string }[];
    }>();
    expect(labs.items).toEqual([expect.objectContaining({ subject: '203.0.113.5', port: null, severity: 'high' })]);
  });

  it('refuses a file that is no known report, with a reason, and keeps nothing of it', async () => {
    const res = await upload(analyst, { format: 'shadowserver', fileName: 'notes.csv', content: 'name,colour\nx,blue\n' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'report_unreadable' } });
    const bad = await upload(analyst, { format: 'shadowserver', fileName: RDP_FILE, content: '' });
    expect(bad.statusCode).toBe(400);
    const forbidden = await upload(hospitalAdmin, { format: 'shadowserver', fileName: RDP_FILE, content: shadowserverCsv('scan_rdp', []) });
    expect(forbidden.statusCode).toBe(403);
  });

  it('merges the same finding across days and sources, and reopens a resolved one that is seen again', async () => {
    const list = async () =>
      (await call(t, 'GET', '/api/v1/monitoring/findings?type=open-rdp', hospitalAdmin)).json<{
        items: { id: string; status: string; lastSeen: string; reopenedCount: number; sources: string[] }[];
      }>().items;
    const [before] = await list();
    const again = await upload(analyst, {
      format: 'shadowserver',
      fileName: '2026-11-27-scan_rdp-netherlands-geo.csv',
      content: shadowserverCsv('scan_rdp', [rdpRow('198.51.100.10', '2026-11-27 03:00:00')]),
    });
    expect(again.json()).toMatchObject({ findingsNew: 0, findingsReopened: 0, rowsMatched: 1 });
    const [merged] = await list();
    expect(merged!.id).toBe(before!.id);
    expect(merged!.lastSeen).toBe('2026-11-27T03:00:00.000Z');

    const ack = await call(t, 'POST', `/api/v1/monitoring/findings/${merged!.id}/status`, hospitalAdmin, {
      status: 'acknowledged',
      note: 'Wij kijken ernaar.',
    });
    expect(ack.statusCode, ack.body).toBe(200);
    const resolved = await call(t, 'POST', `/api/v1/monitoring/findings/${merged!.id}/status`, hospitalAdmin, { status: 'resolved', note: 'RDP dicht gezet.' });
    expect(resolved.json()).toMatchObject({ status: 'resolved', recheckable: false });

    // A report of a scan made before the fix does not reopen it.
    await upload(analyst, {
      format: 'shadowserver',
      fileName: '2026-11-27-scan_rdp-netherlands-geo.csv',
      content: shadowserverCsv('scan_rdp', [rdpRow('198.51.100.10', '2026-11-27 04:00:00')]),
    });
    expect((await list())[0]).toMatchObject({ status: 'resolved', reopenedCount: 0 });

    const later = new Date(Date.now() + 60_000).toISOString().replace('T', ' ').slice(0, 19);
    const back = await upload(analyst, {
      format: 'shadowserver',
      fileName: '2026-11-28-scan_rdp-netherlands-geo.csv',
      content: shadowserverCsv('scan_rdp', [rdpRow('198.51.100.10', later)]),
    });
    expect(back.json()).toMatchObject({ findingsNew: 0, findingsReopened: 1 });
    const detail = (await call(t, 'GET', `/api/v1/monitoring/findings/${merged!.id}`, hospitalAdmin)).json<{
      status: string;
      reopenedCount: number;
      history: { kind: string; note: string }[];
    }>();
    expect(detail).toMatchObject({ status: 'new', reopenedCount: 1 });
    expect(detail.history.map((h) => h.kind)).toEqual(['opened', 'status', 'status', 'reopened']);
  });

  it('keeps participants to their own findings, and lets only the CERT set a finding back to new', async () => {
    const labFinding = (await call(t, 'GET', '/api/v1/monitoring/findings', labMember)).json<{ items: { id: string }[] }>().items[0]!;
    expect((await call(t, 'GET', `/api/v1/monitoring/findings/${labFinding.id}`, hospitalAdmin)).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/v1/monitoring/findings/${labFinding.id}/status`, hospitalAdmin, { status: 'resolved' })).statusCode).toBe(404);
    expect((await call(t, 'GET', `/api/v1/monitoring/findings?organisationId=${lab}`, hospitalAdmin)).json<{ items: unknown[] }>().items).toHaveLength(0);
    const setBack = await call(t, 'POST', `/api/v1/monitoring/findings/${labFinding.id}/status`, labMember, { status: 'new' });
    expect(setBack.statusCode).toBe(400);
    expect(setBack.json()).toMatchObject({ error: { code: 'status_not_allowed' } });
    const accept = await call(t, 'POST', `/api/v1/monitoring/findings/${labFinding.id}/status`, labMember, { status: 'accepted_risk' });
    expect(accept.json()).toMatchObject({ error: { code: 'note_required' } });
    const all = (await call(t, 'GET', '/api/v1/monitoring/findings', analyst)).json<{ items: { organisationId: string }[] }>();
    expect(new Set(all.items.map((f) => f.organisationId))).toEqual(new Set([hospital, lab]));
    // The CERT told the lab another way and says so: the finding carries when.
    const told = await call(t, 'POST', `/api/v1/monitoring/findings/${labFinding.id}/status`, analyst, { status: 'notified' });
    expect(told.statusCode, told.body).toBe(200);
    const after = (await call(t, 'GET', `/api/v1/monitoring/findings/${labFinding.id}`, labMember)).json<{ status: string; notifiedAt: string | null }>();
    expect(after.status).toBe('notified');
    expect(after.notifiedAt).not.toBeNull();
    expect((await call(t, 'POST', `/api/v1/monitoring/findings/${labFinding.id}/status`, analyst, { status: 'new' })).statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/v1/monitoring/findings/${labFinding.id}`, labMember)).json<{ notifiedAt: string | null }>().notifiedAt).toBeNull();
  });

  it('keeps a row with a NUL character as failed, with the reason, and reads the rest of the report', async () => {
    const csv = shadowserverCsv('scan_rdp', [rdpRow('198.51.100.40', '2026-11-26 06:00:00'), rdpRow('198.51.100.41', '2026-11-26 06:00:00', { tag: 'rdp\0x' })]);
    const res = await upload(analyst, { format: 'shadowserver', fileName: RDP_FILE, content: csv });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json<{ id: string; rowsTotal: number; rowsFailed: number; findingsNew: number }>();
    expect(r).toMatchObject({ rowsTotal: 2, rowsFailed: 1, findingsNew: 1 });
    const detail = (await call(t, 'GET', `/api/v1/monitoring/reports/${r.id}`, analyst)).json<{ failedRows: { line: number; raw: string; reason: string }[] }>();
    expect(detail.failedRows).toEqual([expect.objectContaining({ line: 3, reason: expect.stringContaining('NUL character') })]);
    expect(detail.failedRows[0]!.raw).toContain('198.51.100.41');
    expect(detail.failedRows[0]!.raw).toContain('rdp\uFFFDx');
  });

  it('rebuilds the matcher when an asset is approved, in the running process', async () => {
    const row = rdpRow('192.0.2.36', '2026-11-26 05:00:00');
    const first = await upload(analyst, { format: 'shadowserver', fileName: RDP_FILE, content: shadowserverCsv('scan_rdp', [row]) });
    expect(first.json()).toMatchObject({ rowsUnmatched: 1, findingsNew: 0 });
    const proposed = await call(t, 'POST', `/api/v1/organisations/${other}/assets`, analyst, { type: 'ip_range', value: '192.0.2.32/29' });
    expect(proposed.statusCode, proposed.body).toBe(201);
    // The CERT's own declaration is approved at once.
    expect(proposed.json()).toMatchObject({ status: 'approved' });
    // The change is heard through NOTIFY after commit; give the listener its moment.
    let second = await upload(analyst, { format: 'shadowserver', fileName: RDP_FILE, content: shadowserverCsv('scan_rdp', [row]) });
    for (let i = 0; i < 20 && second.json<{ findingsNew: number }>().findingsNew === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      second = await upload(analyst, { format: 'shadowserver', fileName: RDP_FILE, content: shadowserverCsv('scan_rdp', [row]) });
    }
    expect(second.json()).toMatchObject({ rowsMatched: 1, findingsNew: 1 });
    const owners = (await call(t, 'GET', '/api/v1/monitoring/owner?value=192.0.2.36', analyst)).json<{ organisationId: string; asset: string }[]>();
    expect(owners).toEqual([expect.objectContaining({ organisationId: other, asset: '192.0.2.32/29' })]);
  });
});

describe('the watched folder', () => {
  it('reads each report dropped there once, moving it to done/ (or failed/ with the reason)', async () => {
    const { mkdtemp, writeFile, readdir, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { scanInbox } = await import('../../src/modules/monitoring/inbox.service.ts');
    const dir = await mkdtemp(path.join(tmpdir(), 'wp-inbox-'));
    try {
      await writeFile(path.join(dir, '2026-11-26-scan_telnet-netherlands-geo.csv'), shadowserverCsv('scan_telnet', [{ timestamp: '2026-11-26 06:00:00', ip: '198.51.100.90', port: '23', protocol: 'tcp' }]));
      await writeFile(path.join(dir, 'garbage.csv'), 'just,some\nwords,here\n');
      await writeFile(path.join(dir, 'notes.txt'), 'not a report');
      const done = await scanInbox(t.system, dir, 0);
      expect(done.map((d) => [d.file, d.ok]).sort()).toEqual([
        ['2026-11-26-scan_telnet-netherlands-geo.csv', true],
        ['garbage.csv', false],
      ]);
      expect(await readdir(path.join(dir, 'done'))).toEqual(['2026-11-26-scan_telnet-netherlands-geo.csv']);
      expect(await readdir(path.join(dir, 'failed'))).toEqual(['garbage.csv']);
      expect((await readdir(dir)).sort()).toEqual(['done', 'failed', 'notes.txt']);
      const labs = (await call(t, 'GET', '/api/v1/monitoring/findings?type=open-telnet&q=198.51.100.90', labMember)).json<{ items: unknown[] }>();
      expect(labs.items).toHaveLength(1);
      expect(await scanInbox(t.system, dir, 0)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('nmap and mapped CSV reports', () => {
  it('reads nmap XML: open ports become findings, closed ones do not', async () => {
    const xml = `<?xml version="1.0"?><nmaprun scanner="nmap" start="1764300000">
      <host starttime="1764300000" endtime="1764300100"><status state="up"/><address addr="198.51.100.20" addrtype="ipv4"/>
        <hostnames><hostname name="pacs.ziekenhuis-test.example" type="PTR"/></hostnames>
        <ports><port protocol="tcp" portid="104"><state state="open"/><service name="dicom" product="Orthanc"/></port>
          <port protocol="tcp" portid="23"><state state="closed"/><service name="telnet"/></port></ports></host>
      <host><status state="up"/><address addr="aa:bb:cc:dd:ee:ff" addrtype="mac"/></host></nmaprun>`;
    const res = await upload(analyst, { format: 'nmap', fileName: 'scan.xml', content: xml });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ findingsNew: 1, rowsFailed: 1 });
    const f = (await call(t, 'GET', '/api/v1/monitoring/findings?type=exposed-dicom', hospitalAdmin)).json<{
      items: { subject: string; port: number; severity: string }[];
    }>();
    expect(f.items).toEqual([expect.objectContaining({ subject: '198.51.100.20', port: 104, severity: 'critical' })]);
    expect((await upload(analyst, { format: 'nmap', fileName: 'scan.xml', content: '<html></html>' })).json()).toMatchObject({
      error: { code: 'report_unreadable' },
    });
  });

  it('reads a CSV with the column mapping saved for its source', async () => {
    const source = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, {
      kind: 'csv',
      name: 'Regional scanner',
      config: { columns: { ip: 'Address', port: 'Port', timestamp: 'Seen' }, findingType: 'open-telnet', severity: 'high' },
    });
    expect(source.statusCode, source.body).toBe(201);
    const csv = 'Address,Port,Seen,Banner\n198.51.100.30,23,2026-11-26T10:00:00Z,BusyBox\n198.51.100.31,99999,2026-11-26T10:00:00Z,x\n';
    const res = await upload(analyst, { format: 'csv', fileName: 'regional.csv', content: csv, sourceId: source.json<{ id: string }>().id });
    expect(res.json()).toMatchObject({ findingsNew: 1, rowsFailed: 1, unknownColumns: ['Banner'] });
    const missing = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, {
      kind: 'csv',
      name: 'Bad',
      config: { columns: {}, findingType: 'x-y', severity: 'low' },
    });
    expect(missing.statusCode).toBe(400);
  });
});

describe.skipIf(!hasRbldnsd)('blacklist checks against a real DNSBL server (rbldnsd)', () => {
  const spec = { zone: 'bl.test', target: 'ip' as const, listedCodes: [], perSecond: 1000 };
  const options = () => ({ servers: [rbl!.server], concurrency: 4, timeoutMs: 1500, reserve: async (_zone: string, n: number) => n });

  it('follows RFC 5782: the test entry 127.0.0.2 is listed with its TXT reason, 127.0.0.1 is not; a domain zone lists TEST, not INVALID', async () => {
    const run = await checkZone(spec, ['127.0.0.2', '127.0.0.1'], options());
    expect(run.results.find((r) => r.subject === '127.0.0.2')).toEqual({
      subject: '127.0.0.2',
      outcome: 'listed',
      codes: ['127.0.0.2'],
      reason: 'Listed: see https://dnsbl.test/lookup?127.0.0.2',
    });
    expect(run.results.find((r) => r.subject === '127.0.0.1')).toEqual({ subject: '127.0.0.1', outcome: 'not_listed' });
    const names = await checkZone({ ...spec, zone: 'dbl.test', target: 'domain' }, ['test', 'invalid'], options());
    expect(names.results.map((r) => [r.subject, r.outcome]).sort()).toEqual([
      ['invalid', 'not_listed'],
      ['test', 'listed'],
    ]);
  });

  it('treats answers outside 127/8, and codes the zone does not document, as errors rather than listings', async () => {
    const odd = await checkZone(spec, ['198.51.100.99'], options());
    expect(odd.results[0]).toMatchObject({ outcome: 'error', error: expect.stringContaining('outside 127.0.0.0/8') });
    const strict = await checkZone({ ...spec, listedCodes: ['127.0.0.2-127.0.0.3'] }, ['198.51.100.7', '203.0.113.9'], options());
    expect(strict.results.map((r) => [r.subject, r.outcome]).sort()).toEqual([
      ['198.51.100.7', 'listed'],
      ['203.0.113.9', 'error'],
    ]);
  });

  it('never exceeds the daily budget, even with two runs at once, and keeps to the rate', async () => {
    const zone = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, {
      kind: 'dnsbl',
      config: { zone: 'bl.test', target: 'ip', dailyBudget: 300, perSecond: 100 },
    });
    expect(zone.statusCode, zone.body).toBe(201);
    // The declared ranges hold 128 + 64 + 16 + 16 addresses: more than the budget in two runs.
    const began = performance.now();
    const [a, b] = await Promise.all([
      call(t, 'POST', '/api/v1/monitoring/dnsbl/run', analyst, {}),
      call(t, 'POST', '/api/v1/monitoring/dnsbl/run', analyst, {}),
    ]);
    const elapsed = performance.now() - began;
    const runs = [
      ...a.json<{ queries: number; skippedForBudget: number; checked: number }[]>(),
      ...b.json<{ queries: number; skippedForBudget: number; checked: number }[]>(),
    ];
    const sent = runs.reduce((n, r) => n + r.queries, 0);
    expect(sent).toBeLessThanOrEqual(300);
    expect(runs.some((r) => r.skippedForBudget > 0)).toBe(true);
    const used = await t.system.db.selectFrom('monitoring_dns_budget').select('used').where('zone', '=', 'bl.test').executeTakeFirstOrThrow();
    expect(used.used).toBe(300);
    // 100 queries a second per run: the queries sent by the slower run took at least that long.
    expect(elapsed).toBeGreaterThanOrEqual((Math.max(...runs.map((r) => r.queries)) - 1) * 10);
    await call(t, 'PATCH', `/api/v1/monitoring/sources/${zone.json<{ id: string }>().id}`, analyst, { enabled: false });
  });

  it('a run finds exactly the listed addresses and names of participants, and a resolved listing is re-checked', async () => {
    await t.system.db.deleteFrom('monitoring_dns_budget').execute();
    const ipZone = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, {
      kind: 'dnsbl',
      config: { zone: 'bl.test', target: 'ip', dailyBudget: 100_000, perSecond: 5000 },
    });
    expect(ipZone.statusCode).toBe(409);
    const zones = (await call(t, 'GET', '/api/v1/monitoring/sources', analyst)).json<{ id: string; name: string }[]>();
    await call(t, 'PATCH', `/api/v1/monitoring/sources/${zones.find((z) => z.name === 'dnsbl:bl.test')!.id}`, analyst, { enabled: true });
    await t.system.db
      .updateTable('monitoring_sources')
      .set({
        config: JSON.stringify({
          zone: 'bl.test',
          target: 'ip',
          listedCodes: [],
          dailyBudget: 100_000,
          perSecond: 5000,
          findingType: 'blacklisted',
          severity: 'medium',
        }),
      })
      .where('name', '=', 'dnsbl:bl.test')
      .execute();
    expect(
      (await call(t, 'POST', '/api/v1/monitoring/sources', analyst, { kind: 'dnsbl', config: { zone: 'dbl.test', target: 'domain', perSecond: 5000 } }))
        .statusCode,
    ).toBe(201);
    const run = await call(t, 'POST', '/api/v1/monitoring/dnsbl/run', analyst, {});
    expect(run.statusCode, run.body).toBe(200);
    const listed = (await call(t, 'GET', '/api/v1/monitoring/findings?type=blacklisted', analyst)).json<{
      items: { subject: string; organisationId: string; sources: string[]; id: string }[];
    }>().items;
    expect(listed.map((f) => [f.subject, f.organisationId]).sort()).toEqual(
      [
        ['198.51.100.7', hospital],
        ['203.0.113.9', lab],
        ['lab-zuid.example', lab],
      ].sort(),
    );
    // The odd answer for 198.51.100.99 is an error on the source's health, not a finding.
    const sources = (await call(t, 'GET', '/api/v1/monitoring/overview', analyst)).json<{
      sources: { name: string; lastErrors: number; lastError: string | null }[];
    }>().sources;
    expect(sources.find((s) => s.name === 'dnsbl:bl.test')).toMatchObject({ lastErrors: 1, lastError: expect.stringContaining('192.0.2.99') });

    const hit = listed.find((f) => f.subject === '198.51.100.7')!;
    const resolved = await call(t, 'POST', `/api/v1/monitoring/findings/${hit.id}/status`, hospitalAdmin, { status: 'resolved' });
    expect(resolved.json()).toMatchObject({ status: 'resolved', recheckPending: true });
    const { recheckResolved } = await import('../../src/modules/monitoring/dnsbl.service.ts');
    expect(await recheckResolved(t.system)).toBe(1);
    const after = (await call(t, 'GET', `/api/v1/monitoring/findings/${hit.id}`, hospitalAdmin)).json<{
      status: string;
      reopenedCount: number;
      recheckPending: boolean;
      history: { kind: string; note: string }[];
    }>();
    expect(after).toMatchObject({ status: 'new', reopenedCount: 1, recheckPending: false });
    expect(after.history.at(-1)).toMatchObject({ kind: 'recheck', note: expect.stringContaining('still listed') });
  });
});

describe('the working day', () => {
  it('sends each participant with new findings one grouped mail in its language, once, and nothing when nothing is new', async () => {
    const mailer = createMailer(sink.url, t.services.config.mailFrom, pino({ level: 'silent' }));
    const first = await sendDailyDigests(t.system);
    expect(first.organisations).toBeGreaterThanOrEqual(2);
    await drainOutbox(t.system, { mail: rawAwareMailHandler(mailer) });
    const byTo = (to: string) => sink.received.filter((m) => m.envelopeTo.includes(to));
    expect(byTo('soc@ziekenhuis-test.example')).toHaveLength(1);
    expect(byTo('it@lab-zuid.example')).toHaveLength(1);
    const nl = byTo('soc@ziekenhuis-test.example')[0]!.parsed;
    expect(nl.subject).toMatch(/^\[TLP:AMBER\] Monitoring: \d+ nieuwe bevinding/);
    expect(nl.text).toContain('Extern bureaublad (RDP) open naar internet');
    expect(nl.text).toContain('198.51.100.10:3389');
    expect(nl.text).not.toContain('203.0.113.5');
    const en = byTo('it@lab-zuid.example')[0]!.parsed;
    expect(en.text).toContain('Likely infected system');
    expect(en.text).toContain('203.0.113.5');
    expect(en.text).not.toContain('198.51.100.10');

    // Signed with the CERT key as PGP/MIME (GnuPG checks it); encrypted to a contact with a key.
    const nlRaw = byTo('soc@ziekenhuis-test.example')[0]!.raw.toString('utf8');
    expect(nlRaw).toContain('multipart/signed');
    const keyed = byTo('soc@lab-zuid.example');
    expect(keyed).toHaveLength(1);
    const keyedRaw = keyed[0]!.raw.toString('utf8');
    expect(keyedRaw).toContain('multipart/encrypted');
    expect(keyedRaw).not.toContain('203.0.113.5');
    if (gpgAvailable()) {
      const parts = signedParts(nlRaw);
      const verified = await gpgVerify((await activeSigningKey(t.system)).publicKeyArmored, parts.signed, parts.signature);
      expect(verified.ok, verified.output).toBe(true);
      const read = await gpgDecrypt(labKey, encryptedPart(keyedRaw));
      expect(read.ok, read.output).toBe(true);
      expect(read.plaintext).toContain('multipart/signed');
      expect(decodeParts(read.plaintext)).toContain('203.0.113.5');
    } else console.warn('gpg not found: the signature and encryption of the monitoring mail are not checked by GnuPG');
    const notified = (await call(t, 'GET', '/api/v1/monitoring/findings?status=new', hospitalAdmin)).json<{ items: unknown[] }>();
    expect(notified.items).toHaveLength(0);

    const second = await sendDailyDigests(t.system);
    expect(second).toEqual({ organisations: 0, mails: 0, findings: 0 });
    await drainOutbox(t.system, { mail: rawAwareMailHandler(mailer) });
    expect(byTo('soc@ziekenhuis-test.example')).toHaveLength(1);
    mailer.close();
  });

  it('runs only on Dutch working days at the set time, with the CERT’s own days off', async () => {
    expect(await runDaily(t.system, new Date('2026-11-28T10:00:00Z'))).toMatchObject({ ran: false, reason: 'Weekend' });
    expect(await runDaily(t.system, new Date('2026-12-25T10:00:00Z'))).toMatchObject({ ran: false, reason: 'Kerstmis' });
    expect(await runDaily(t.system, new Date('2027-04-27T10:00:00Z'))).toMatchObject({ ran: false, reason: 'Koningsdag' });
    expect(await runDaily(t.system, new Date('2026-12-01T05:00:00Z'))).toMatchObject({ ran: false, reason: 'Runs at 07:00' });
    const off = await call(t, 'PUT', '/api/v1/monitoring/calendar', analyst, { day: '2026-12-02', working: false, note: 'Sector exercise' });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<{ days: { day: string; reason: string }[] }>().days).toContainEqual(
      expect.objectContaining({ day: '2026-12-02', reason: 'Sector exercise' }),
    );
    expect(await runDaily(t.system, new Date('2026-12-02T10:00:00Z'))).toMatchObject({ ran: false, reason: 'Sector exercise' });
    const ran = await runDaily(t.system, new Date('2026-12-03T10:00:00Z'));
    expect(ran.ran).toBe(true);
    expect(await runDaily(t.system, new Date('2026-12-03T11:00:00Z'))).toMatchObject({ ran: false, reason: 'Already ran today' });
    const badDay = await call(t, 'PUT', '/api/v1/monitoring/calendar', analyst, { day: '2026-13-45', working: false });
    expect(badDay.statusCode).toBe(400);
  });

  it('shows a participant its picture and the CERT the sector', async () => {
    const mine = (await call(t, 'GET', '/api/v1/monitoring/stats', hospitalAdmin)).json<{
      organisationId: string;
      openOverTime: { open: number }[];
      byStatus: Record<string, number>;
    }>();
    expect(mine.organisationId).toBe(hospital);
    expect(mine.openOverTime).toHaveLength(90);
    expect(mine.openOverTime.at(-1)!.open).toBeGreaterThan(0);
    expect((await call(t, 'GET', `/api/v1/monitoring/stats?organisationId=${lab}`, hospitalAdmin)).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/v1/monitoring/overview', hospitalAdmin)).statusCode).toBe(403);
    const sector = (await call(t, 'GET', '/api/v1/monitoring/overview', analyst)).json<{
      topOrganisations: { organisationId: string }[];
      openByType: { type: string }[];
    }>();
    expect(sector.topOrganisations.map((o) => o.organisationId)).toContain(lab);
    expect(sector.openByType.map((x) => x.type)).toContain('open-rdp');
  });
});
