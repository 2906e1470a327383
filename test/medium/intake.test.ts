import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import nodemailer from 'nodemailer';
import type { LightMyRequestResponse } from 'fastify';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { startStaticServer, type StaticServer } from '../helpers/csaf-provider-server.ts';
import { freePort } from '../helpers/net.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import { runDueSources } from '../../src/modules/intake/source.service.ts';
import { startIntakeMailbox } from '../../src/modules/intake/intake-mail.ts';
import type { SourceDetailOut, SourceOut, StoryDetailOut, StoryPageOut } from '../../src/modules/intake/intake.schema.ts';

/**
 * The intake through its API: sources kept by administrators and read from servers on 127.0.0.1
 * (allowed by exact host, the SSRF guard stays on), items clustered into stories, KEV and EPSS
 * enrichment, triage decisions, a failing source keeping its last good state, and the mailbox over
 * real SMTP.
 */

type Source = z.infer<typeof SourceOut>;
type Story = z.infer<typeof StoryPageOut>['items'][number];
type StoryDetail = z.infer<typeof StoryDetailOut>;

let t: TestApp;
let web: StaticServer;
let mailPort = 0;
const creds = {} as Record<'admin' | 'analyst' | 'analyst2' | 'member', Credentials>;
const unique = () => randomBytes(4).toString('hex');
const json = <T>(res: LightMyRequestResponse) => res.json<T>();

const rss = (items: { guid: string; title: string; description: string; date?: string }[]) => `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Zorgnieuws</title><link>https://news.example/</link><description>test</description>
${items.map((i) => `<item><guid>${i.guid}</guid><link>https://news.example/${i.guid}</link><title>${i.title}</title><description><![CDATA[${i.description}]]></description><pubDate>${i.date ?? 'Tue, 24 Nov 2026 09:00:00 +0000'}</pubDate></item>`).join('\n')}
</channel></rss>`;

const kev = (entries: { cve: string; ransomware?: boolean; added?: string }[]) =>
  JSON.stringify({
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: '2026.11.27',
    dateReleased: '2026-11-27T15:00:00.000Z',
    count: entries.length,
    vulnerabilities: entries.map((e) => ({
      cveID: e.cve,
      vendorProject: 'Example Networks',
      product: 'SecureGate VPN',
      vulnerabilityName: `Example Networks SecureGate VPN flaw ${e.cve}`,
      dateAdded: e.added ?? new Date().toISOString().slice(0, 10),
      shortDescription: 'An authentication bypass.',
      requiredAction: 'Apply mitigations per vendor instructions.',
      dueDate: '2026-12-18',
      knownRansomwareCampaignUse: e.ransomware ? 'Known' : 'Unknown',
      notes: '',
      cwes: ['CWE-287'],
    })),
  });

const epss = (rows: [string, number, number][]) =>
  `#model_version:v2025.03.14,score_date:2026-11-27T00:00:00+0000\ncve,epss,percentile\n${rows.map(([c, e, p]) => `${c},${e},${p}`).join('\n')}\n`;

async function addSource(body: Record<string, unknown>): Promise<Source> {
  const res = await call(t, 'POST', '/api/v1/intake/sources', creds.admin, { tlp: 'CLEAR', intervalMinutes: 60, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<Source>(res);
}
async function run(id: string) {
  const res = await call(t, 'POST', `/api/v1/intake/sources/${id}/run`, creds.admin);
  expect(res.statusCode, res.body).toBe(200);
  return json<{ ok: boolean; newItems: number; updatedItems: number; warnings: string[]; error: string | null }>(res);
}
async function stories(query: string, who: Credentials = creds.analyst) {
  const res = await call(t, 'GET', `/api/v1/intake/stories${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return json<z.infer<typeof StoryPageOut>>(res);
}
async function story(id: string): Promise<StoryDetail> {
  const res = await call(t, 'GET', `/api/v1/intake/stories/${id}`, creds.analyst);
  expect(res.statusCode, res.body).toBe(200);
  return json<StoryDetail>(res);
}

beforeAll(async () => {
  web = await startStaticServer();
  mailPort = await freePort();
  t = await createTestApp({ INTAKE_ALLOWED_HOSTS: web.host, INTAKE_SMTP_PORT: String(mailPort), INTAKE_SMTP_ADDRESS: 'intake@cert.example' });
  const cert = await makeOrganisation(t, 'cert');
  const hospital = await makeOrganisation(t, 'participant', `Ziekenhuis ${unique()}`);
  creds.admin = await login(t, await makeUser(t, cert.id, 'cert-admin'));
  creds.analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  creds.analyst2 = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  creds.member = await login(t, await makeUser(t, hospital.id, 'participant-member'));
  // The hospital runs the VPN that the KEV entry names: stories about it concern one participant.
  const vpn = normaliseAsset({
    type: 'product',
    includeSubdomains: false,
    product: { vendor: 'Example Networks', product: 'SecureGate VPN', version: null, medicalDevice: false, model: null, cpe: null, purl: null },
  });
  if ('asset' in vpn) await assetRepo.insertAsset(t.system.db, hospital.id, vpn.asset, null, 'approved');
});
afterAll(async () => {
  await t?.close();
  await web?.close();
});

describe('intake sources', () => {
  it('refuses what cannot be read safely or is malformed, with the field named', async () => {
    const bad = async (body: Record<string, unknown>, code: string, who: Credentials = creds.admin) => {
      const res = await call(t, 'POST', '/api/v1/intake/sources', who, body);
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(json<{ error: { code: string } }>(res).error.code).toBe(code);
      return res;
    };
    await bad({ kind: 'rss', name: 'Loopback', url: 'http://127.0.0.2/feed.xml' }, 'intake_unsafe_url');
    await bad({ kind: 'rss', name: 'Private', url: 'https://10.0.0.8/feed.xml' }, 'intake_unsafe_url');
    await bad({ kind: 'rss', name: 'File', url: 'file:///etc/passwd' }, 'intake_unsafe_url');
    await bad({ kind: 'rss', name: 'No URL' }, 'intake_url_required');
    await bad({ kind: 'mailbox', name: 'Other domain', mailAddress: 'intake@elsewhere.example' }, 'intake_mail_address');
    await bad({ kind: 'csaf', name: 'Key', url: 'https://csaf.example/provider-metadata.json', publicKeys: ['not a key'] }, 'intake_public_key');
    const res = await bad({ kind: 'gopher', name: 'x', url: 'https://x.example' }, 'validation_failed');
    expect(res.statusCode).toBe(400);
    // Analysts triage; only administrators keep the sources.
    const denied = await call(t, 'POST', '/api/v1/intake/sources', creds.analyst, { kind: 'rss', name: 'x', url: 'https://news.example/feed.xml' });
    expect(denied.statusCode).toBe(403);
    // Participants see nothing of the intake.
    for (const url of ['/api/v1/intake/sources', '/api/v1/intake/stories']) expect((await call(t, 'GET', url, creds.member)).statusCode).toBe(403);
  });

  it('reads a feed, takes only what is new, and says what changed when an entry changes', async () => {
    const path = `/news-${unique()}.xml`;
    web.set(path, {
      body: rss([
        { guid: 'a1', title: 'Ransomware bij een laboratorium in Duitsland', description: '<p>Een <b>lab</b> ligt plat.</p>' },
        { guid: 'a2', title: 'Nieuwe phishinggolf richt zich op zorgverzekeraars', description: 'Valse facturen.' },
      ]),
      type: 'application/rss+xml',
    });
    const source = await addSource({ kind: 'rss', name: `Nieuws ${unique()}`, url: web.url(path) });
    expect(source.health.state).toBe('never');
    const first = await run(source.id);
    expect(first).toMatchObject({ ok: true, newItems: 2, updatedItems: 0 });
    const again = await run(source.id);
    expect(again).toMatchObject({ ok: true, newItems: 0, updatedItems: 0 });

    const page = await stories(`?source=${source.id}`);
    expect(page.items.map((s) => s.title).sort()).toEqual([
      'Nieuwe phishinggolf richt zich op zorgverzekeraars',
      'Ransomware bij een laboratorium in Duitsland',
    ]);
    const lab = page.items.find((s) => s.title.startsWith('Ransomware'))!;
    expect(lab.summary).toBe('Een lab ligt plat.');
    expect(lab.read).toBe(false);
    await story(lab.id);
    const read = await call(t, 'POST', '/api/v1/intake/stories/read', creds.analyst, { ids: [lab.id], read: true });
    expect(json<{ updated: number }>(read).updated).toBe(1);
    expect((await stories(`?source=${source.id}&read=false`)).items.map((s) => s.id)).not.toContain(lab.id);
    // Read is per person: the other analyst still has it unread.
    expect((await stories(`?source=${source.id}&read=false`, creds.analyst2)).items.map((s) => s.id)).toContain(lab.id);

    web.set(path, {
      body: rss([
        { guid: 'a1', title: 'Ransomware bij een laboratorium in Duitsland', description: 'Een lab ligt plat. Update: CVE-2026-31337 is gebruikt.' },
        { guid: 'a2', title: 'Nieuwe phishinggolf richt zich op zorgverzekeraars', description: 'Valse facturen.' },
      ]),
      type: 'application/rss+xml',
    });
    const changed = await run(source.id);
    expect(changed).toMatchObject({ ok: true, newItems: 0, updatedItems: 1 });
    const after = await story(lab.id);
    expect(after.read).toBe(false);
    expect(after.cves).toEqual(['CVE-2026-31337']);
    expect(after.changeNote).toMatch(/CVEs added: CVE-2026-31337/);
    expect(after.items[0]!.changes.at(-1)!.fields).toEqual(expect.arrayContaining(['summary', 'cves']));
  });

  it('keeps the last good state when a source fails, and says why', async () => {
    const path = `/flaky-${unique()}.xml`;
    web.set(path, rss([{ guid: 'f1', title: 'Een bericht dat blijft', description: 'x' }]));
    const source = await addSource({ kind: 'rss', name: `Wisselvallig ${unique()}`, url: web.url(path) });
    expect((await run(source.id)).newItems).toBe(1);
    web.set(path, { body: 'Internal error', status: 500, type: 'text/plain' });
    const failed = await run(source.id);
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/500/);
    const detail = json<z.infer<typeof SourceDetailOut>>(await call(t, 'GET', `/api/v1/intake/sources/${source.id}`, creds.analyst));
    expect(detail.health.state).toBe('failing');
    expect(detail.health.lastError).toMatch(/500/);
    expect(detail.health.lastSuccessAt).not.toBeNull();
    expect(detail.runs.map((r) => r.ok)).toEqual([false, true]);
    expect((await stories(`?source=${source.id}`)).items).toHaveLength(1);
    // Back up: nothing taken twice, because the cursor of the good run was kept.
    web.set(path, rss([{ guid: 'f1', title: 'Een bericht dat blijft', description: 'x' }]));
    expect(await run(source.id)).toMatchObject({ ok: true, newItems: 0, updatedItems: 0 });
  });

  it('clusters the same CVE from three sources into one story, enriched with KEV, EPSS and the participants concerned', async () => {
    const cve = `CVE-2026-${4000 + Math.floor(Math.random() * 5000)}`;
    const feedA = `/a-${unique()}.xml`;
    const feedB = `/b-${unique()}.xml`;
    web.set(feedA, rss([{ guid: 'x1', title: `Kritiek lek in SecureGate VPN (${cve})`, description: 'Patch nu.' }]));
    web.set(feedB, rss([{ guid: 'y1', title: 'VPN-lek actief misbruikt', description: `Aanvallers misbruiken ${cve}.` }]));
    web.set('/kev.json', kev([{ cve, ransomware: true }]));
    web.set(
      '/epss.csv.gz',
      gzipSync(
        epss([
          [cve, 0.9731, 0.9995],
          ['CVE-2020-0001', 0.01, 0.2],
        ]),
      ),
    );
    const a = await addSource({ kind: 'rss', name: 'Feed A', url: web.url(feedA) });
    const b = await addSource({ kind: 'rss', name: 'Feed B', url: web.url(feedB) });
    const k = await addSource({ kind: 'kev', name: 'KEV', url: web.url('/kev.json'), intervalMinutes: 720 });
    const e = await addSource({ kind: 'epss', name: 'EPSS', url: web.url('/epss.csv.gz'), intervalMinutes: 1440 });
    for (const s of [a, b, k, e]) expect((await run(s.id)).ok).toBe(true);

    const found = await stories(`?cve=${cve}`);
    expect(found.items).toHaveLength(1);
    const s = found.items[0]!;
    expect(s.itemCount).toBe(3);
    expect(s.sourceIds.sort()).toEqual([a.id, b.id, k.id].sort());
    expect(s.kev).toBe(true);
    expect(s.knownRansomware).toBe(true);
    expect(s.epss).toBeCloseTo(0.9731, 4);
    expect(s.concernedOrganisations).toBe(1);
    // The KEV item speaks for the story; the detail names the participant and the product.
    const detail = await story(s.id);
    expect(detail.kevEntries[0]).toMatchObject({ cve, knownRansomware: true, dueDate: '2026-12-18' });
    expect(detail.epssScores[0]).toMatchObject({ cve, modelVersion: 'v2025.03.14', scoreDate: '2026-11-27' });
    expect(detail.concerned).toHaveLength(1);
    expect(detail.concerned[0]!.products).toEqual(['Example Networks SecureGate VPN']);
    // Filters: relevance and vendor find it; a story without CVEs is not on the KEV filter.
    expect((await stories('?relevance=kev')).items.map((x) => x.id)).toContain(s.id);
    expect((await stories('?relevance=concerned')).items.map((x) => x.id)).toContain(s.id);
    expect((await stories('?vendor=example%20net')).items.map((x) => x.id)).toContain(s.id);
    expect((await stories(`?q=${cve}`)).items.map((x) => x.id)).toEqual([s.id]);
  });

  it('runs due sources on schedule, and a running source is not run twice', async () => {
    const path = `/sched-${unique()}.xml`;
    web.set(path, rss([{ guid: 's1', title: 'Geplande bron', description: 'x' }]));
    const source = await addSource({ kind: 'rss', name: 'Gepland', url: web.url(path), intervalMinutes: 5 });
    const outcomes = await runDueSources(t.system);
    expect(outcomes.find((o) => o.sourceId === source.id)).toMatchObject({ ok: true, newItems: 1 });
    // Not due again for five minutes.
    expect((await runDueSources(t.system)).find((o) => o.sourceId === source.id)).toBeUndefined();
    expect(web.requests.filter((r) => r === path)).toHaveLength(1);
  });
});

describe('triage decisions', () => {
  let ids: string[] = [];
  beforeAll(async () => {
    const path = `/triage-${unique()}.xml`;
    web.set(
      path,
      rss([
        { guid: 't1', title: 'Storing bij een cloudleverancier in Azië', description: 'Geen zorg.' },
        { guid: 't2', title: 'Printerdriver met lek CVE-2026-27001', description: 'Lokale rechtenverhoging.' },
        { guid: 't3', title: 'Nieuwe versie van een open-source PACS-viewer', description: 'Release.' },
      ]),
    );
    const source = await addSource({ kind: 'rss', name: 'Triage', url: web.url(path) });
    await run(source.id);
    ids = (await stories(`?source=${source.id}`)).items.map((s) => s.id);
  });

  it('decides "no action" for several stories at once, with a reason, and can take it back', async () => {
    const empty = await call(t, 'POST', '/api/v1/intake/stories/no-action', creds.analyst, { ids, reason: '  ' });
    expect(empty.statusCode).toBe(400);
    const done = await call(t, 'POST', '/api/v1/intake/stories/no-action', creds.analyst, { ids: ids.slice(0, 2), reason: 'Niet relevant voor de zorg.' });
    expect(json<{ updated: number }>(done).updated).toBe(2);
    const decided = await stories('?state=no_action');
    expect(decided.items.filter((s) => ids.includes(s.id)).map((s) => s.decisionReason)).toEqual([
      'Niet relevant voor de zorg.',
      'Niet relevant voor de zorg.',
    ]);
    expect((await stories('?state=open')).items.map((s) => s.id)).toContain(ids[2]);
    const missing = await call(t, 'POST', '/api/v1/intake/stories/no-action', creds.analyst, { ids: ['00000000-0000-4000-8000-000000000000'], reason: 'x' });
    expect(missing.statusCode).toBe(404);
    await call(t, 'POST', '/api/v1/intake/stories/reopen', creds.analyst, { ids: [ids[0]] });
    expect((await story(ids[0]!)).decision).toBeNull();
  });

  it('makes a draft advisory from a story in one step, once', async () => {
    const printer = (await stories('?cve=CVE-2026-27001')).items[0]!;
    const res = await call(t, 'POST', `/api/v1/intake/stories/${printer.id}/advisory`, creds.analyst);
    expect(res.statusCode, res.body).toBe(201);
    const { advisoryId, fromCsaf } = json<{ advisoryId: string; fromCsaf: boolean }>(res);
    expect(fromCsaf).toBe(false);
    const advisory = await call(t, 'GET', `/api/v1/advisories/${advisoryId}`, creds.analyst);
    expect(advisory.statusCode, advisory.body).toBe(200);
    const body = advisory.json<{
      status: string;
      draft: { content: { nl: { title: string }; vulnerabilities: { cve: string }[]; references: { url: string }[] } };
    }>();
    expect(body.status).toBe('draft');
    expect(body.draft.content.nl.title).toBe('Printerdriver met lek CVE-2026-27001');
    expect(body.draft.content.vulnerabilities.map((v) => v.cve)).toEqual(['CVE-2026-27001']);
    expect(body.draft.content.references[0]!.url).toMatch(/^https:\/\/news\.example\//);
    expect((await story(printer.id)).advisoryId).toBe(advisoryId);
    const twice = await call(t, 'POST', `/api/v1/intake/stories/${printer.id}/advisory`, creds.analyst);
    expect(twice.statusCode).toBe(409);
    expect(json<{ error: { code: string } }>(twice).error.code).toBe('intake_story_has_advisory');
  });

  it('adds a story to a week of media items', async () => {
    const res = await call(t, 'POST', `/api/v1/intake/stories/${ids[2]}/media`, creds.analyst, { week: '2026-W48' });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<{ week: string }>(res).week).toBe('2026-W48');
    expect((await story(ids[2]!)).mediaWeek).toBe('2026-W48');
    expect((await call(t, 'POST', `/api/v1/intake/stories/${ids[2]}/media`, creds.analyst, { week: '2026-W48' })).statusCode).toBe(409);
    expect((await call(t, 'POST', `/api/v1/intake/stories/${ids[2]}/media`, creds.analyst, { week: '2026-48' })).statusCode).toBe(400);
  });
});

describe('the intake mailbox', () => {
  it('takes mail to the intake address and its plus-addresses as items of their sources, each Message-ID once', async () => {
    const general = await addSource({ kind: 'mailbox', name: 'Algemeen', mailAddress: 'intake@cert.example' });
    const ncsc = await addSource({ kind: 'mailbox', name: 'NCSC-lijst', mailAddress: 'intake+ncsc@cert.example', tlp: 'AMBER' });
    const mailbox = await startIntakeMailbox(t.services);
    try {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mailbox.port, secure: false, ignoreTLS: true });
      const messageId = `<${unique()}@lists.ncsc.example>`;
      const mail = {
        from: 'lijst@lists.ncsc.example',
        to: 'intake+ncsc@cert.example',
        subject: 'NCSC-2026-0412: kwetsbaarheid in een VPN-product',
        text: 'Betreft CVE-2026-20555. Zie https://advisories.ncsc.example/NCSC-2026-0412.',
        messageId,
      };
      await transport.sendMail(mail);
      await transport.sendMail(mail);
      await transport.sendMail({ from: 'partner@soc.example', to: 'intake@cert.example', subject: 'Phishing met valse facturen', text: 'Zie bijlage.' });
      await expect(transport.sendMail({ from: 'x@spam.example', to: 'someone@cert.example', subject: 'x', text: 'x' })).rejects.toThrow(/550/);
      transport.close();
      const fromList = (await stories(`?source=${ncsc.id}`)).items;
      expect(fromList).toHaveLength(1);
      expect(fromList[0]).toMatchObject({ title: 'NCSC-2026-0412: kwetsbaarheid in een VPN-product', cves: ['CVE-2026-20555'], tlp: 'AMBER' });
      expect(fromList[0]!.advisoryIds).toContain('NCSC-2026-0412');
      expect((await stories(`?source=${general.id}`)).items.map((s: Story) => s.title)).toEqual(['Phishing met valse facturen']);
    } finally {
      await mailbox.close();
    }
  });
});
