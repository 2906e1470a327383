import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { startTinyDns, type TinyDns } from '../helpers/dns-server.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import { feedTarget, parseFeed } from '../../src/modules/monitoring/blocklist.ts';
import { checkSecurityTxt, checkTls, evaluateDmarc, evaluateSecurityTxt, evaluateSpf, tlsVerdict } from '../../src/modules/monitoring/checks.ts';
import { recheckResolvedChecks, runFeedsAndChecks } from '../../src/modules/monitoring/feed.service.ts';
import * as findingsRepo from '../../src/modules/monitoring/finding.repository.ts';
import { safeGet, UnsafeTargetError } from '../../src/lib/safe-http.ts';

/**
 * Blocklist feeds and the CERT's own checks, all on 127.0.0.1: the feeds come from a local HTTP
 * server whose host:port the administrator allowed (plain http is refused otherwise), the DNS
 * answers from a tiny UDP server (test/helpers/dns-server.ts), the TLS certificate from a local
 * HTTPS server with a self-signed certificate made here with openssl. Only documentation addresses
 * and names under .example/.test.
 */

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOpenssl) console.warn('openssl is not installed: the TLS certificate and security.txt fetch tests are skipped.');

const MAX_BYTES = 64 * 1024;
let t: TestApp;
let dns: TinyDns;
let feeds: http.Server;
let feedBase: string;
let tlsServer: https.Server | null = null;
let tlsPort = 0;
let certPem = '';
let feedDir: string;
let hospital: string;
let lab: string;
let analyst: Credentials;
let participant: Credentials;
let securityTxt = '';

const DROP = [
  '{"cidr":"198.51.100.0/26","sblid":"SBL000001","rir":"ripencc"}',
  '{"cidr":"192.0.2.0/24","sblid":"SBL000002","rir":"arin"}',
  '{"type":"metadata","timestamp":1767225600,"size":2,"records":2,"copyright":"(c) 2026 The Spamhaus Project SLU","terms":"https://www.spamhaus.org/drop/terms/"}',
].join('\n');
const URLHAUS = [
  '################################################################',
  '# abuse.ch URLhaus Database Dump (CSV - recent URLs)           #',
  '################################################################',
  '#',
  '# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter',
  '"3000001","2026-11-25 10:00:00","http://www.hosp.example/wp/mal.exe","online","2026-11-26 08:00:00","malware_download","exe,Emotet","https://urlhaus.abuse.ch/url/3000001/","tester"',
  '"3000002","2026-11-25 11:00:00","http://203.0.113.5:8080/bins/x86","online","2026-11-26 08:00:00","malware_download","elf,Mozi","https://urlhaus.abuse.ch/url/3000002/","tester"',
  '"3000003","2026-11-25 12:00:00","http://unrelated.example/a","offline","","malware_download","","https://urlhaus.abuse.ch/url/3000003/","tester"',
].join('\n');
const THREATFOX = [
  '################################################################',
  '# ThreatFox IOCs: CSV dump                                     #',
  '################################################################',
  '#',
  '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"',
  '"2026-11-25 09:00:00", "1200001", "203.0.113.7:443", "ip:port", "botnet_cc", "win.cobalt_strike", "Agentemis", "Cobalt Strike", "", "100", "", "CobaltStrike", "0", "tester"',
  '"2026-11-25 09:05:00", "1200002", "c2.lab.test", "domain", "botnet_cc", "win.qakbot", "", "QakBot", "", "75", "", "", "0", "tester"',
  '"2026-11-25 09:10:00", "1200003", "https://unrelated.example/gate.php", "url", "botnet_cc", "win.x", "", "X", "", "50", "", "", "0", "tester"',
].join('\n');
const FEODO = [
  '################################################################',
  '# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #',
  '################################################################',
  '#',
  '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
  '"2026-11-20 07:30:05","198.51.100.9","8080","online","2026-11-26","Dridex"',
  '"2026-11-20 07:31:05","192.0.2.200","443","offline","2026-11-01","QakBot"',
].join('\n');

async function approve(organisationId: string, type: 'ip_range' | 'domain', value: string, includeSubdomains = false) {
  const n = normaliseAsset({ type, value, includeSubdomains });
  if (!('asset' in n)) throw new Error(n.error);
  await assetRepo.insertAsset(t.system.db, organisationId, n.asset, null, 'approved');
}

async function findingsOf(source: string) {
  return t.system.db
    .selectFrom('monitoring_findings')
    .select(['id', 'organisation_id', 'type', 'subject', 'port', 'status', 'evidence'])
    .where((eb) => eb(eb.val(source), '=', eb.fn.any('sources')))
    .orderBy('subject')
    .execute();
}

async function addSource(body: Record<string, unknown>): Promise<string> {
  const res = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const run = (id: string) => call(t, 'POST', `/api/v1/monitoring/sources/${id}/run`, analyst, undefined);

beforeAll(async () => {
  dns = await startTinyDns({
    'hosp.example': { A: ['127.0.0.1'], TXT: ['v=spf1 ip4:198.51.100.0/25 -all', 'google-site-verification=x'] },
    '_dmarc.hosp.example': { TXT: ['v=DMARC1; p=reject; rua=mailto:dmarc@hosp.example'] },
    'lab.test': { TXT: ['v=spf1 -all', 'v=spf1 a -all'] },
  });
  feeds = http.createServer((req, res) => {
    const send = (status: number, body: string, headers: Record<string, string> = {}) => res.writeHead(status, headers).end(body);
    const local = `http://localhost:${(feeds.address() as AddressInfo).port}`;
    if (req.url === '/drop.json') return send(200, DROP);
    if (req.url === '/urlhaus.csv') return send(200, URLHAUS);
    if (req.url === '/threatfox.csv') return send(200, THREATFOX);
    if (req.url === '/feodo.csv') return send(200, FEODO);
    if (req.url === '/moved') return send(302, '', { location: '/feodo.csv' });
    if (req.url === '/elsewhere') return send(302, '', { location: `${local}/feodo.csv` });
    if (req.url === '/big') return send(200, `# padding\n${'#'.repeat(MAX_BYTES * 2)}\n`);
    if (req.url === '/big-chunked') {
      res.writeHead(200);
      for (let i = 0; i < 40; i++) res.write(`# ${'x'.repeat(4096)}\n`);
      return res.end();
    }
    return send(404, 'not here');
  });
  await new Promise<void>((resolve) => feeds.listen(0, '127.0.0.1', resolve));
  feedBase = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
  feedDir = mkdtempSync(path.join(os.tmpdir(), 'wachtpost-feeds-'));
  writeFileSync(path.join(feedDir, 'local.txt'), '# our own list\n2001:db8:1::5\nwww.lab.test ; seen in phishing\nnot a value!\n');

  if (hasOpenssl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wachtpost-tls-'));
    // A certificate for hosp.example with 5 days left.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '5',
        '-subj',
        '/CN=hosp.example',
        '-addext',
        'subjectAltName=DNS:hosp.example,DNS:www.hosp.example',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    certPem = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    tlsServer = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: certPem }, (req, res) => {
      if (req.url === '/.well-known/security.txt' && securityTxt) return res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(securityTxt);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => tlsServer!.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
    rmSync(dir, { recursive: true, force: true });
  }

  t = await createTestApp({
    MONITORING_DNS_SERVERS: dns.server,
    MONITORING_DNS_TIMEOUT_MS: '1500',
    // The feed server (plain http on loopback) and the participant's web server (on loopback) are allowed by exact host.
    MONITORING_FEED_ALLOWED_HOSTS: `127.0.0.1:${(feeds.address() as AddressInfo).port},hosp.example`,
    MONITORING_FEED_DIR: feedDir,
    MONITORING_FEED_MAX_BYTES: String(MAX_BYTES),
    MONITORING_FEED_TIMEOUT_MS: '5000',
  });
  const cert = await makeOrganisation(t, 'cert');
  hospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Feeds')).id;
  lab = (await makeOrganisation(t, 'participant', 'Lab Feeds')).id;
  await approve(hospital, 'ip_range', '198.51.100.0/25');
  await approve(hospital, 'ip_range', '2001:db8:1::/48');
  await approve(hospital, 'domain', 'hosp.example', true);
  await approve(lab, 'ip_range', '203.0.113.0/28');
  // Inside DROP's 192.0.2.0/24 but not holding its first address: found by containment.
  await approve(lab, 'ip_range', '192.0.2.128/26');
  await approve(lab, 'domain', 'lab.test', true);
  analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  participant = await login(t, await makeUser(t, hospital, 'participant-admin'));
}, 60_000);

afterAll(async () => {
  await t?.close();
  await dns?.stop();
  await new Promise((r) => feeds?.close(r));
  await new Promise((r) => (tlsServer ? tlsServer.close(r) : r(undefined)));
  if (feedDir) rmSync(feedDir, { recursive: true, force: true });
});

describe('feed parsers', () => {
  const d = { type: 'blocklisted', severity: 'medium' as const, seenAt: 0 };
  it('read each entry as an address (a CIDR by its network), a URL by its host and port, or a name', () => {
    expect(feedTarget('198.51.100.77/24')).toEqual({ ip: '198.51.100.0', host: '', port: 0, cidr: '198.51.100.0/24' });
    expect(feedTarget('2001:db8:1::/48')).toMatchObject({ ip: '2001:db8:1::', cidr: '2001:db8:1::/48' });
    expect(feedTarget('203.0.113.7:443')).toEqual({ ip: '203.0.113.7', host: '', port: 443 });
    expect(feedTarget('http://[2001:db8::5]:8080/x')).toEqual({ ip: '2001:db8::5', host: '', port: 8080 });
    expect(feedTarget('https://WWW.Hosp.Example./a')).toEqual({ ip: '', host: 'www.hosp.example', port: 0 });
    expect(feedTarget('c2.lab.test:8443')).toEqual({ ip: '', host: 'c2.lab.test', port: 8443 });
    for (const bad of ['', 'not a value', '010.1.1.1', '198.51.100.0/33', 'http://', '-x.example']) expect(feedTarget(bad), bad).toBeNull();
  });

  it('read Spamhaus DROP JSON lines without the metadata line, and keep bad lines with the reason', () => {
    const out = parseFeed('spamhaus-drop', `${DROP}\nnot json\n{"sblid":"SBL3"}\n`, d);
    expect(out.rows.map((r) => [r.line, r.ip, r.evidence.cidr, r.evidence.sblid])).toEqual([
      [1, '198.51.100.0', '198.51.100.0/26', 'SBL000001'],
      [2, '192.0.2.0', '192.0.2.0/24', 'SBL000002'],
    ]);
    expect(out.failed).toEqual([
      { line: 4, raw: 'not json', reason: 'Not a JSON line.' },
      { line: 5, raw: '{"sblid":"SBL3"}', reason: 'No "cidr" in the line.' },
    ]);
  });

  it('read the abuse.ch CSVs by their columns, with the comment header and a quoted header row', () => {
    expect(parseFeed('urlhaus-csv', URLHAUS, d).rows.map((r) => [r.line, r.ip || r.host, r.port, r.evidence.threat])).toEqual([
      [6, 'www.hosp.example', 0, 'malware_download'],
      [7, '203.0.113.5', 8080, 'malware_download'],
      [8, 'unrelated.example', 0, 'malware_download'],
    ]);
    expect(parseFeed('threatfox-csv', THREATFOX, d).rows.map((r) => [r.ip || r.host, r.port, r.evidence.malware_printable])).toEqual([
      ['203.0.113.7', 443, 'Cobalt Strike'],
      ['c2.lab.test', 0, 'QakBot'],
      ['unrelated.example', 0, 'X'],
    ]);
    const feodo = parseFeed('feodo-csv', FEODO, d);
    expect(feodo.rows.map((r) => [r.ip, r.port, r.evidence.malware])).toEqual([
      ['198.51.100.9', 8080, 'Dridex'],
      ['192.0.2.200', 443, 'QakBot'],
    ]);
    expect(feodo.failed).toEqual([]);
  });

  it('read plain lists: one value a line, comments and remarks ignored', () => {
    const out = parseFeed('plain', '# list\n192.0.2.1\n198.51.100.0/25 ; SBL1\n\nbad!value\nphish.hosp.example # remark\n', d);
    expect(out.rows.map((r) => r.ip || r.host)).toEqual(['192.0.2.1', '198.51.100.0', 'phish.hosp.example']);
    expect(out.failed).toEqual([expect.objectContaining({ line: 5, raw: 'bad!value' })]);
  });
});

describe('blocklist sources', () => {
  it('fetch each format from an allowed host, store entries in declared assets as findings of their owners, and record the run', async () => {
    const formats = [
      ['drop', 'spamhaus-drop', '/drop.json'],
      ['urlhaus', 'urlhaus-csv', '/urlhaus.csv'],
      ['threatfox', 'threatfox-csv', '/threatfox.csv'],
      ['feodo', 'feodo-csv', '/moved'],
    ] as const;
    const ids: Record<string, string> = {};
    for (const [name, format, p] of formats)
      ids[name] = await addSource({ kind: 'blocklist', name, config: { url: `${feedBase}${p}`, format, severity: 'high' } });
    ids.local = await addSource({ kind: 'blocklist', name: 'local', config: { file: 'local.txt', format: 'plain', findingType: 'phishing-site' } });

    const drop = await run(ids.drop!);
    expect(drop.statusCode, drop.body).toBe(200);
    expect(drop.json()).toMatchObject({
      name: 'blocklist:drop',
      kind: 'blocklist',
      checked: 2,
      rowsTotal: 2,
      rowsMatched: 2,
      rowsUnmatched: 0,
      findingsNew: 2,
      error: null,
    });
    // A listed network concerns the participant whose range holds it (the hospital's /25 holds the
    // listed /26) and each one with a range inside it (the lab's /26 inside the listed /24).
    expect(await findingsOf('blocklist:drop')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          organisation_id: hospital,
          type: 'blocklisted',
          subject: '198.51.100.0/26',
          port: 0,
          evidence: expect.objectContaining({ row: expect.objectContaining({ cidr: '198.51.100.0/26', sblid: 'SBL000001' }) }),
        }),
        expect.objectContaining({ organisation_id: lab, type: 'blocklisted', subject: '192.0.2.0/24' }),
      ]),
    );
    expect(await findingsOf('blocklist:drop')).toHaveLength(2);

    expect((await run(ids.urlhaus!)).json()).toMatchObject({ rowsTotal: 3, rowsMatched: 2, findingsNew: 2 });
    expect((await findingsOf('blocklist:urlhaus')).map((f) => [f.organisation_id, f.subject, f.port])).toEqual([
      [lab, '203.0.113.5', 8080],
      [hospital, 'www.hosp.example', 0],
    ]);
    expect((await run(ids.threatfox!)).json()).toMatchObject({ rowsTotal: 3, rowsMatched: 2, findingsNew: 2 });
    expect((await findingsOf('blocklist:threatfox')).map((f) => [f.organisation_id, f.subject, f.port])).toEqual([
      [lab, '203.0.113.7', 443],
      [lab, 'c2.lab.test', 0],
    ]);
    // Followed a redirect within the same host.
    expect((await run(ids.feodo!)).json()).toMatchObject({ rowsTotal: 2, rowsMatched: 1, findingsNew: 1 });
    expect((await findingsOf('blocklist:feodo')).map((f) => [f.organisation_id, f.subject, f.port])).toEqual([[hospital, '198.51.100.9', 8080]]);

    const local = await run(ids.local);
    expect(local.json()).toMatchObject({ rowsTotal: 3, rowsMatched: 2, rowsFailed: 1, findingsNew: 2 });
    expect((await findingsOf('blocklist:local')).map((f) => [f.organisation_id, f.type, f.subject])).toEqual([
      [hospital, 'phishing-site', '2001:db8:1::5'],
      [lab, 'phishing-site', 'www.lab.test'],
    ]);
    const report = await call(t, 'GET', `/api/v1/monitoring/reports/${local.json<{ reportId: string }>().reportId}`, analyst);
    expect(report.json()).toMatchObject({
      sourceKind: 'blocklist',
      reportType: 'plain',
      fileName: 'local.txt',
      failedRows: [expect.objectContaining({ line: 4, raw: 'not a value!' })],
    });

    // A second run refreshes, it does not duplicate.
    expect((await run(ids.drop!)).json()).toMatchObject({ findingsNew: 0 });
    const sources = (await call(t, 'GET', '/api/v1/monitoring/sources', analyst)).json<
      { name: string; lastRunAt: string | null; lastRows: number; lastError: string | null }[]
    >();
    expect(sources.find((s) => s.name === 'blocklist:local')).toMatchObject({ lastRows: 3, lastError: null, lastRunAt: expect.any(String) });
  });

  it('refuse URLs to loopback, private and reserved addresses, plain http and local names unless the exact host is allowed', async () => {
    for (const url of [
      'https://127.0.0.1:1/feed',
      'https://10.0.0.1/feed',
      'https://[::1]/feed',
      'https://198.51.100.1/feed',
      'http://feeds.example/feed',
      'https://localhost/feed',
      'file:///etc/passwd',
      'https://user:pw@feeds.example/x',
    ]) {
      const res = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, { kind: 'blocklist', name: 'refused', config: { url, format: 'plain' } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code, url).toBe('feed_url_forbidden');
    }
    const both = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, {
      kind: 'blocklist',
      name: 'both',
      config: { url: `${feedBase}/drop.json`, file: 'x', format: 'plain' },
    });
    expect(both.statusCode).toBe(400);
    const escape = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, {
      kind: 'blocklist',
      name: 'escape',
      config: { file: '../../etc/passwd', format: 'plain' },
    });
    expect(escape.statusCode).toBe(400);
  });

  it('refuse a name that resolves to loopback at connect time, when that host is not allowed', async () => {
    const resolve = async () => ['127.0.0.1'];
    await expect(safeGet(`https://feeds.hosp.example:${tlsPort || 1}/x`, { allowedHosts: [], resolve, timeoutMs: 2000 })).rejects.toThrow(UnsafeTargetError);
    await expect(safeGet(`https://feeds.hosp.example:${tlsPort || 1}/x`, { allowedHosts: [], resolve, timeoutMs: 2000 })).rejects.toThrow(
      /forbidden address: 127\.0\.0\.1 is a loopback/,
    );
  });

  it('refuse a redirect to another host and an answer over the size limit with 4xx codes, and keep it in the source health', async () => {
    const elsewhere = await addSource({ kind: 'blocklist', name: 'elsewhere', config: { url: `${feedBase}/elsewhere`, format: 'feodo-csv' } });
    const r1 = await run(elsewhere);
    expect(r1.statusCode).toBe(400);
    expect(r1.json()).toMatchObject({ error: { code: 'feed_target_refused', message: expect.stringMatching(/redirects to another host are not followed/) } });

    for (const [name, p] of [
      ['big', '/big'],
      ['big-chunked', '/big-chunked'],
    ] as const) {
      const id = await addSource({ kind: 'blocklist', name, config: { url: `${feedBase}${p}`, format: 'plain' } });
      const res = await run(id);
      expect(res.statusCode, name).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code, name).toBe('feed_too_large');
    }
    const missing = await addSource({ kind: 'blocklist', name: 'missing', config: { url: `${feedBase}/nothing`, format: 'plain' } });
    expect((await run(missing)).json()).toMatchObject({ error: { code: 'feed_unavailable', message: 'The feed answered 404.' } });

    const sources = (await call(t, 'GET', '/api/v1/monitoring/sources', analyst)).json<{ id: string; lastErrors: number; lastError: string | null }[]>();
    expect(sources.find((s) => s.id === elsewhere)).toMatchObject({ lastErrors: 1, lastError: expect.stringMatching(/another host/) });
  });

  it('are the CERT’s: a participant can neither add nor run one', async () => {
    expect(
      (
        await call(t, 'POST', '/api/v1/monitoring/sources', participant, {
          kind: 'blocklist',
          name: 'p',
          config: { url: `${feedBase}/drop.json`, format: 'spamhaus-drop' },
        })
      ).statusCode,
    ).toBe(403);
    const id = (await call(t, 'GET', '/api/v1/monitoring/sources', analyst)).json<{ id: string }[]>()[0]!.id;
    expect((await call(t, 'POST', `/api/v1/monitoring/sources/${id}/run`, participant, undefined)).statusCode).toBe(403);
  });
});

describe('check decisions', () => {
  const now = new Date('2026-11-26T08:00:00Z');
  const cert = (days: number, err: string | null = null) => ({
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validTo: new Date(now.getTime() + days * 86_400_000),
    subject: 'CN=hosp.example',
    issuer: 'CN=CA',
    authorizationError: err,
  });

  it('TLS: fewer than N days left, expired or not verifying is a finding', () => {
    expect(tlsVerdict(cert(30), 14, now)).toBeNull();
    expect(tlsVerdict(cert(10), 14, now)?.detail).toMatch(/expires in 10 days/);
    expect(tlsVerdict(cert(-1), 14, now)?.detail).toMatch(/expired on/);
    expect(tlsVerdict(cert(300, 'SELF_SIGNED_CERT_IN_CHAIN'), 14, now)?.detail).toMatch(/does not verify: SELF_SIGNED/);
  });

  it('security.txt: Contact and one future Expires are required (RFC 9116), a signature is read through', () => {
    const good = 'Contact: mailto:security@hosp.example\nContact: https://hosp.example/cvd\nExpires: 2027-06-30T22:00:00.000Z\nPreferred-Languages: nl, en\n';
    expect(evaluateSecurityTxt(good, now)).toMatchObject({ valid: true, contact: ['mailto:security@hosp.example', 'https://hosp.example/cvd'] });
    const signed = `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n${good}-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n`;
    expect(evaluateSecurityTxt(signed, now).valid).toBe(true);
    expect(evaluateSecurityTxt('Expires: 2027-06-30T22:00:00Z\n', now).problems).toEqual(['No Contact field.']);
    expect(evaluateSecurityTxt('Contact: mailto:a@hosp.example\n', now).problems).toEqual(['No Expires field.']);
    expect(evaluateSecurityTxt('Contact: mailto:a@hosp.example\nExpires: 2025-01-01T00:00:00Z\n', now).problems).toEqual([
      'The file expired on 2025-01-01T00:00:00Z.',
    ]);
    expect(evaluateSecurityTxt('Contact: a@hosp.example\nExpires: next year\n', now).problems).toEqual([
      "Contact 'a@hosp.example' is not a mailto:, https: or tel: URI.",
      'No Contact field.',
      "Expires 'next year' is not an RFC 3339 date-time.",
    ]);
    expect(evaluateSecurityTxt('<html>not found</html>', now).valid).toBe(false);
  });

  it('SPF and DMARC: one SPF record, one DMARC record with a policy', () => {
    expect(evaluateSpf(['v=spf1 -all'])).toBeNull();
    expect(evaluateSpf(['google-site-verification=x'])?.type).toBe('spf-missing');
    expect(evaluateSpf([])?.type).toBe('spf-missing');
    expect(evaluateSpf(['v=spf1 -all', 'v=spf1 a -all'])?.type).toBe('spf-invalid');
    expect(evaluateDmarc(['v=DMARC1; p=quarantine; pct=100'])).toBeNull();
    expect(evaluateDmarc(['v=DMARC1; rua=mailto:x@hosp.example'])?.type).toBe('dmarc-missing');
    expect(evaluateDmarc(['v=DMARC1; p=bogus'])?.type).toBe('dmarc-missing');
    expect(evaluateDmarc([])?.type).toBe('dmarc-missing');
  });
});

describe.skipIf(!hasOpenssl)('TLS and security.txt against a local HTTPS server', () => {
  const env = () => ({ dnsServers: [dns.server], timeoutMs: 3000, allowedHosts: ['hosp.example'], ca: certPem, httpsPort: tlsPort });

  it('reads the certificate: trusted (with the CA given) but 4 days left is a finding; untrusted too', async () => {
    const trusted = await checkTls('hosp.example', { port: tlsPort, warnDays: 14 }, env());
    expect(trusted).toMatchObject({ outcome: 'checked', problems: [{ type: 'tls-certificate-expiring', detail: expect.stringMatching(/expires in 4 days/) }] });
    expect(await checkTls('hosp.example', { port: tlsPort, warnDays: 3 }, env())).toEqual({ outcome: 'checked', problems: [] });
    const { ca: _ca, ...untrustedEnv } = env();
    expect(await checkTls('hosp.example', { port: tlsPort, warnDays: 3 }, untrustedEnv)).toMatchObject({
      problems: [{ detail: expect.stringMatching(/does not verify/) }],
    });
    // Not allowed: the name resolves to loopback, so it is not contacted.
    expect(await checkTls('hosp.example', { port: tlsPort, warnDays: 3 }, { ...env(), allowedHosts: [] })).toMatchObject({
      outcome: 'error',
      error: expect.stringMatching(/forbidden address/),
    });
    // A name without an address has nothing to check.
    expect(await checkTls('lab.test', { port: tlsPort, warnDays: 3 }, env())).toMatchObject({ outcome: 'n/a' });
  });

  it('fetches security.txt: missing, invalid, valid', async () => {
    securityTxt = '';
    expect(await checkSecurityTxt('hosp.example', env())).toMatchObject({ outcome: 'checked', problems: [{ type: 'security-txt-missing' }] });
    securityTxt = 'Contact: mailto:security@hosp.example\nExpires: 2020-01-01T00:00:00Z\n';
    expect(await checkSecurityTxt('hosp.example', env())).toMatchObject({
      problems: [{ type: 'security-txt-invalid', detail: expect.stringMatching(/expired/) }],
    });
    securityTxt = `Contact: mailto:security@hosp.example\nExpires: ${new Date(Date.now() + 180 * 86_400_000).toISOString()}\n`;
    expect(await checkSecurityTxt('hosp.example', env())).toEqual({ outcome: 'checked', problems: [] });
  });

  it('as a source: the TLS check of every declared domain stores a finding under check:tls', async () => {
    const id = await addSource({ kind: 'check', config: { check: 'tls', port: tlsPort, warnDays: 14 } });
    const res = await run(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'check:tls', checked: 2, rowsMatched: 1, findingsNew: 1, rowsFailed: 0 });
    expect(await findingsOf('check:tls')).toEqual([
      expect.objectContaining({ organisation_id: hospital, type: 'tls-certificate-expiring', subject: 'hosp.example', port: tlsPort }),
    ]);
  });
});

describe('DNS checks as a source (tiny DNS server)', () => {
  it('finds missing and doubled SPF and missing DMARC, stores them under check:dns, and re-checks resolved findings', async () => {
    const id = await addSource({ kind: 'check', config: { check: 'dns' } });
    const dup = await call(t, 'POST', '/api/v1/monitoring/sources', analyst, { kind: 'check', config: { check: 'dns' } });
    expect(dup.statusCode).toBe(409);
    const res = await run(id);
    // The tiny server has no DS or DNSKEY records: both names are unsigned (test/medium/monitoring-dnssec.test.ts has signed ones).
    expect(res.json()).toMatchObject({ name: 'check:dns', checked: 2, findingsNew: 4, rowsFailed: 0 });
    const found = await findingsOf('check:dns');
    const bySubjectAndType = (a: string[], b: string[]) => a[2]!.localeCompare(b[2]!) || a[1]!.localeCompare(b[1]!);
    expect(found.map((f) => [f.organisation_id, f.type, f.subject]).sort(bySubjectAndType)).toEqual(
      [
        [hospital, 'dnssec-missing', 'hosp.example'],
        [lab, 'spf-invalid', 'lab.test'],
        [lab, 'dmarc-missing', 'lab.test'],
        [lab, 'dnssec-missing', 'lab.test'],
      ].sort(bySubjectAndType),
    );
    const dmarc = found.find((f) => f.type === 'dmarc-missing')!;

    // The lab resolves it without fixing: the re-check reopens it.
    await findingsRepo.setStatus(t.system.db, dmarc.id, 'resolved', { resolvedAt: new Date(Date.now() - 1000), recheck: true });
    expect(await recheckResolvedChecks(t.system)).toBe(1);
    expect((await findingsOf('check:dns')).find((f) => f.id === dmarc.id)?.status).toBe('new');

    // Fixed, resolved: the re-check leaves it resolved.
    dns.zone['_dmarc.lab.test'] = { TXT: ['v=DMARC1; p=quarantine'] };
    await findingsRepo.setStatus(t.system.db, dmarc.id, 'resolved', { resolvedAt: new Date(Date.now() - 1000), recheck: true });
    expect(await recheckResolvedChecks(t.system)).toBe(1);
    expect((await findingsOf('check:dns')).find((f) => f.id === dmarc.id)?.status).toBe('resolved');
    const detail = await call(t, 'GET', `/api/v1/monitoring/findings/${dmarc.id}`, analyst);
    expect(
      detail
        .json<{ history: { kind: string; note: string }[] }>()
        .history.filter((h) => h.kind === 'recheck')
        .map((h) => h.note),
    ).toContain('Re-check: the problem is gone.');
  });

  it('the daily run takes every enabled feed and check after the blacklists, and a failing feed does not stop the others', async () => {
    const out = await runFeedsAndChecks(t.system, 'schedule');
    const byName = new Map(out.map((o) => [o.name, o]));
    expect(byName.get('blocklist:drop')).toMatchObject({ error: null, findingsNew: 0 });
    expect(byName.get('blocklist:elsewhere')?.error).toMatch(/another host/);
    expect(byName.get('check:dns')).toMatchObject({ error: null, checked: 2 });
  });
});
