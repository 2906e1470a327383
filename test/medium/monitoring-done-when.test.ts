import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { rbldnsdAvailable, startRbldnsd, type Rbldnsd } from '../helpers/rbldnsd.ts';
import { shadowserverCsv } from '../helpers/shadowserver.ts';
import { login, makeUser } from '../helpers/factories.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';
import { currentTotp } from '../../src/modules/identity/totp.ts';
import { sendDailyDigests } from '../../src/modules/monitoring/digest.service.ts';
import { createMailer } from '../../src/modules/mail/mailer.ts';
import { drainOutbox } from '../../src/modules/mail/outbox.service.ts';
import { rawAwareMailHandler } from '../../src/modules/mail/signed-mail.ts';

/**
 * The "Done when", through the API on the demo installation: a blacklist run against a local
 * rbldnsd finds exactly the listed addresses and names of the demo participants; an uploaded
 * Shadowserver report becomes findings of the right participants and of no others; each participant
 * gets one grouped mail; a resolved finding that reappears is reopened. (The benchmark is
 * `npm run bench -- monitoring`; the browser walk-through is test/e2e/monitoring.test.ts.)
 */
const hasRbldnsd = rbldnsdAvailable();
if (!hasRbldnsd) console.warn('rbldnsd is not installed: the Done-when walk-through is skipped (apt-get install -y rbldnsd).');

describe.skipIf(!hasRbldnsd)("Monitoring: participants' IP addresses and domains on blacklists, and their vulnerable systems", () => {
  let t: TestApp;
  let rbl: Rbldnsd;
  let sink: SmtpSink;
  let analyst: Credentials;
  let org: Map<string, string>;

  const loginAs = async (email: string): Promise<Credentials> => {
    const res = await call(t, 'POST', '/api/v1/auth/login', null, { email, password: DEMO_PASSWORD });
    let cookie = `wp_session=${res.cookies.find((c) => c.name === 'wp_session')!.value}`;
    let body = res.json<{ status: string; csrfToken: string }>();
    if (body.status === 'totp_required') {
      const user = await t.system.db.selectFrom('users').select('totp_secret').where('email', '=', email).executeTakeFirstOrThrow();
      const second = await call(t, 'POST', '/api/v1/auth/totp', { cookie, csrf: body.csrfToken }, { code: currentTotp(user.totp_secret!) });
      expect(second.statusCode, second.body).toBe(200);
      // The session is renewed when the second factor is given.
      const renewed = second.cookies.find((c) => c.name === 'wp_session');
      if (renewed) cookie = `wp_session=${renewed.value}`;
      body = second.json<{ status: string; csrfToken: string }>();
    }
    return { cookie, csrf: body.csrfToken };
  };
  const findingsOf = async (name: string) =>
    (await t.system.db.selectFrom('monitoring_findings').select(['id', 'type', 'subject', 'status', 'reopened_count']).where('organisation_id', '=', org.get(name)!).execute()).map((f) => ({ ...f }));

  beforeAll(async () => {
    rbl = await startRbldnsd([
      // Thuiszorg West's and the lab's approved ranges; Ziekenhuis Noord's range is only proposed and
      // the prospect Duin's is not a member's, so their listed addresses are nobody's findings.
      { name: 'bl.test', type: 'ip4set', lines: [':127.0.0.2:Listed for spam', '127.0.0.2', '198.51.100.7', '203.0.113.9', '192.0.2.5', '203.0.113.70'] },
      { name: 'dbl.test', type: 'dnset', lines: [':127.0.1.2:Spam domain', 'test', 'regiolab.example', 'unrelated.example'] },
    ]);
    sink = await startSmtpSink();
    t = await createTestApp({ MONITORING_DNS_SERVERS: rbl.server, MONITORING_DNS_TIMEOUT_MS: '1500', PUBLIC_URL: 'http://wachtpost.test' });
    await loadDemo(t.system);
    org = new Map((await t.system.db.selectFrom('organisations').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
    // The demo's CERT staff still have to enrol a second factor: an analyst of the demo CERT who has one.
    analyst = await login(t, await makeUser(t, org.get('Zorg-CERT (demo)')!, 'cert-analyst'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await rbl?.stop();
    await sink?.close();
  });

  it('a run against a local rbldnsd finds exactly the listed addresses and names of the demo participants', async () => {
    for (const config of [
      { zone: 'bl.test', target: 'ip', perSecond: 2000 },
      { zone: 'dbl.test', target: 'domain', perSecond: 2000 },
    ]) {
      const res = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, { kind: 'dnsbl', config });
      expect(res.statusCode, res.body).toBe(201);
    }
    const run = await call(t, 'POST', '/api/v1/monitoring/dnsbl/run', analyst, {});
    expect(run.statusCode, run.body).toBe(200);
    const listed = (await call(t, 'GET', '/api/v1/monitoring/findings?type=blacklisted', analyst)).json<{ items: { organisationName: string; subject: string; asset: string }[] }>().items;
    expect(listed.map((f) => [f.organisationName, f.subject, f.asset]).sort()).toEqual([
      ['Regionaal Laboratorium', '203.0.113.9', '203.0.113.0/27'],
      ['Regionaal Laboratorium', 'regiolab.example', 'regiolab.example'],
      ['Thuiszorg West', '198.51.100.7', '198.51.100.0/27'],
    ]);
  });

  it('an uploaded Shadowserver report becomes findings of the right participants, and of no others', async () => {
    const before = new Map([...org.keys()].map((name) => [name, 0]));
    for (const name of org.keys()) before.set(name, (await findingsOf(name)).length);
    const csv = shadowserverCsv('scan_smb', [
      { timestamp: '2026-11-27 04:00:00', ip: '198.51.100.20', port: '445', protocol: 'tcp', asn: '' },
      { timestamp: '2026-11-27 04:00:00', ip: '192.0.2.44', port: '445', protocol: 'tcp', asn: '64500' },
      { timestamp: '2026-11-27 04:00:00', ip: '203.0.113.200', port: '445', protocol: 'tcp', asn: '64511' },
    ]);
    const res = await call(t, 'POST', '/api/v1/monitoring/reports', analyst, { format: 'shadowserver', fileName: '2026-11-27-scan_smb-netherlands-geo.csv', content: csv });
    expect(res.json()).toMatchObject({ reportType: 'scan_smb', rowsMatched: 2, rowsUnmatched: 1, findingsNew: 2 });
    const grew = [...org.keys()].filter((name) => before.get(name) !== undefined);
    const changed: string[] = [];
    for (const name of grew) if ((await findingsOf(name)).length !== before.get(name)) changed.push(name);
    expect(changed.sort()).toEqual(['Thuiszorg West', 'Ziekenhuis Noord']);
    const noord = await loginAs('ciso@ziekenhuis-noord.example');
    const mine = (await call(t, 'GET', '/api/v1/monitoring/findings?type=open-smb', noord)).json<{ items: { subject: string; organisationName: string }[] }>().items;
    expect(mine).toEqual([expect.objectContaining({ subject: '192.0.2.44', organisationName: 'Ziekenhuis Noord' })]);
  });

  it('each participant with new findings receives one grouped mail', async () => {
    const mailer = createMailer(sink.url, t.services.config.mailFrom, pino({ level: 'silent' }));
    const sent = await sendDailyDigests(t.system);
    await drainOutbox(t.system, { mail: rawAwareMailHandler(mailer) });
    mailer.close();
    // The demo's outbox also holds detection-network mail: count the monitoring mail only.
    const monitoring = () => sink.received.filter((m) => /Monitoring/.test(m.parsed.subject ?? ''));
    const to = (address: string) => monitoring().filter((m) => m.envelopeTo.includes(address));
    // Thuiszorg West: a blacklisting and an open SMB service, in one mail.
    expect(to('security@thuiszorg-west.example')).toHaveLength(1);
    const tzw = to('security@thuiszorg-west.example')[0]!.parsed;
    expect(tzw.subject).toContain('2 nieuwe bevindingen');
    expect(tzw.text).toContain('198.51.100.7');
    expect(tzw.text).toContain('198.51.100.20:445');
    expect(to('security@regiolab.example')).toHaveLength(1);
    expect(to('security@ziekenhuis-noord.example')).toHaveLength(1);
    // Participants with nothing new get nothing.
    expect(to('security@hap-centrum.example')).toHaveLength(0);
    expect(to('security@revalidatie-duin.example')).toHaveLength(0);
    expect(sent.mails).toBe(monitoring().length);
    expect(await sendDailyDigests(t.system)).toEqual({ organisations: 0, mails: 0, findings: 0 });
  });

  it('a resolved finding that reappears is reopened', async () => {
    const tzw = await findingsOf('Thuiszorg West');
    const smb = tzw.find((f) => f.type === 'open-smb')!;
    const resolved = await call(t, 'POST', `/api/v1/monitoring/findings/${smb.id}/status`, analyst, { status: 'resolved', note: 'SMB dicht volgens de beheerder.' });
    expect(resolved.json()).toMatchObject({ status: 'resolved' });
    const later = new Date(Date.now() + 60_000).toISOString().replace('T', ' ').slice(0, 19);
    const again = await call(t, 'POST', '/api/v1/monitoring/reports', analyst, {
      format: 'shadowserver',
      fileName: '2026-11-28-scan_smb-netherlands-geo.csv',
      content: shadowserverCsv('scan_smb', [{ timestamp: later, ip: '198.51.100.20', port: '445', protocol: 'tcp' }]),
    });
    expect(again.json()).toMatchObject({ findingsReopened: 1 });
    const detail = (await call(t, 'GET', `/api/v1/monitoring/findings/${smb.id}`, analyst)).json<{ status: string; reopenedCount: number; history: { kind: string }[] }>();
    expect(detail).toMatchObject({ status: 'new', reopenedCount: 1 });
    expect(detail.history.map((h) => h.kind).at(-1)).toBe('reopened');
  });
});
