import type { LightMyRequestResponse } from 'fastify';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { startCsafProvider, startStaticServer, type CsafProvider, type StaticServer } from '../helpers/csaf-provider-server.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import { runDueSources } from '../../src/modules/intake/source.service.ts';
import type { SourceOut, StoryDetailOut, StoryPageOut } from '../../src/modules/intake/intake.schema.ts';

/**
 * Issue 10's "Done when", the intake half: a local CSAF provider (the OASIS examples, hashed and
 * signed, on 127.0.0.1) and an RSS feed are read on schedule by the intake job; the same CVE from
 * both is one story with its KEV status, EPSS score and the number of participants concerned; the
 * story becomes a draft advisory in one step, imported from the CSAF document. (The digests half is
 * digests-done-when.test.ts.)
 */

const CVE = 'CVE-2018-0171';
let t: TestApp;
let provider: CsafProvider;
let web: StaticServer;
const creds = {} as Record<'admin' | 'analyst', Credentials>;
const json = <T>(res: LightMyRequestResponse) => res.json<T>();

const FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Beveiligingsnieuws</title><link>https://news.example/</link><description>test</description>
<item><guid>smart-install</guid><link>https://news.example/smart-install</link>
<title>Aanvallers misbruiken Smart Install in Cisco-switches</title>
<description><![CDATA[<p>Het lek <b>${CVE}</b> in Cisco IOS wordt actief misbruikt; ook ziekenhuisnetwerken lopen risico.</p>]]></description>
<pubDate>Wed, 25 Nov 2026 08:00:00 +0100</pubDate></item>
<item><guid>other</guid><link>https://news.example/other</link><title>Nieuwe richtlijn voor logging in de zorg</title>
<description>Geen CVE.</description><pubDate>Wed, 25 Nov 2026 07:00:00 +0100</pubDate></item>
</channel></rss>`;

beforeAll(async () => {
  provider = await startCsafProvider({ layout: 'rolie' });
  web = await startStaticServer({
    '/feed.xml': FEED,
    '/kev.json': JSON.stringify({
      title: 'CISA Catalog of Known Exploited Vulnerabilities',
      catalogVersion: '2026.11.27',
      dateReleased: '2026-11-27T15:00:00.000Z',
      count: 1,
      vulnerabilities: [
        {
          cveID: CVE,
          vendorProject: 'Cisco',
          product: 'IOS and IOS XE Software',
          vulnerabilityName: 'Cisco IOS and IOS XE Software Smart Install Remote Code Execution Vulnerability',
          dateAdded: '2021-11-03',
          shortDescription: 'Smart Install lets an unauthenticated attacker run code.',
          requiredAction: 'Apply updates per vendor instructions.',
          dueDate: '2022-05-03',
          knownRansomwareCampaignUse: 'Unknown',
          notes: '',
        },
      ],
    }),
    '/epss.csv': `#model_version:v2025.03.14,score_date:2026-11-27T00:00:00+0000\ncve,epss,percentile\n${CVE},0.97236,0.99869\n`,
  });
  t = await createTestApp({ INTAKE_ALLOWED_HOSTS: `${provider.host},${web.host}` });
  const cert = await makeOrganisation(t, 'cert');
  creds.admin = await login(t, await makeUser(t, cert.id, 'cert-admin'));
  creds.analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  // Two hospitals declared Cisco IOS switches; a third runs something else.
  for (const [name, product] of [
    ['Ziekenhuis Noord', 'IOS'],
    ['UMC Zuid', 'IOS'],
    ['GGZ Oost', 'Telnet Server'],
  ] as const) {
    const org = await makeOrganisation(t, 'participant', `${name} ${Math.random().toString(36).slice(2, 6)}`);
    const asset = normaliseAsset({
      type: 'product',
      includeSubdomains: false,
      product: { vendor: product === 'IOS' ? 'Cisco' : 'Example', product, version: null, medicalDevice: false, model: null, cpe: null, purl: null },
    });
    if ('asset' in asset) await assetRepo.insertAsset(t.system.db, org.id, asset.asset, null, 'approved');
  }
});
afterAll(async () => {
  await t?.close();
  await provider?.close();
  await web?.close();
});

describe('Intake and triage of outside information, and the end-of-week and end-of-month digests — intake', () => {
  it('reads a CSAF provider and an RSS feed on schedule, shows the shared CVE as one enriched story, and makes it a draft advisory in one step', async () => {
    const add = async (body: Record<string, unknown>) => {
      const res = await call(t, 'POST', '/api/v1/intake/sources', creds.admin, { tlp: 'CLEAR', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return json<z.infer<typeof SourceOut>>(res);
    };
    const csaf = await add({ kind: 'csaf', name: 'Local CSAF provider', url: provider.url, intervalMinutes: 60 });
    const feed = await add({ kind: 'rss', name: 'Beveiligingsnieuws', url: web.url('/feed.xml'), intervalMinutes: 15 });
    await add({ kind: 'kev', name: 'CISA KEV', url: web.url('/kev.json'), intervalMinutes: 720 });
    await add({ kind: 'epss', name: 'FIRST EPSS', url: web.url('/epss.csv'), intervalMinutes: 1440 });

    // The intake job's tick: every source is due on its first run.
    const outcomes = await runDueSources(t.system);
    expect(
      outcomes.every((o) => o.ok),
      JSON.stringify(outcomes),
    ).toBe(true);
    expect(outcomes.find((o) => o.sourceId === csaf.id)?.newItems).toBe(provider.documents().length);
    expect(outcomes.find((o) => o.sourceId === feed.id)?.newItems).toBe(2);
    // On schedule: the next tick finds nothing due, and no document is fetched again.
    provider.clearRequests();
    expect(await runDueSources(t.system)).toEqual([]);
    expect(provider.documentRequests()).toEqual([]);
    const sources = json<z.infer<typeof SourceOut>[]>(await call(t, 'GET', '/api/v1/intake/sources', creds.analyst));
    for (const s of sources) {
      expect(s.health.state).toBe('ok');
      expect(new Date(s.health.nextRunAt!).getTime() - new Date(s.health.lastRunAt!).getTime()).toBeGreaterThanOrEqual(s.intervalMinutes * 60_000 - 1000);
    }

    // The same CVE from the CSAF provider and the feed: one story.
    const page = json<z.infer<typeof StoryPageOut>>(await call(t, 'GET', `/api/v1/intake/stories?cve=${CVE}`, creds.analyst));
    expect(page.items).toHaveLength(1);
    const story = page.items[0]!;
    expect(story.sourceIds).toEqual(expect.arrayContaining([csaf.id, feed.id]));
    expect(story.title).toBe(provider.document('cisco-sa-20180328-smi2').json.document.title);
    expect(story.kev).toBe(true);
    expect(story.epss).toBeCloseTo(0.97236, 5);
    expect(story.concernedOrganisations).toBe(2);
    const detail = json<z.infer<typeof StoryDetailOut>>(await call(t, 'GET', `/api/v1/intake/stories/${story.id}`, creds.analyst));
    // The KEV entry is years old: on a first run it enriches, it is no news item of its own.
    expect(detail.items.map((i) => i.sourceKind).sort()).toEqual(['csaf', 'rss']);
    expect(detail.kevEntries.map((k) => k.cve)).toEqual([CVE]);
    expect(detail.items.find((i) => i.sourceKind === 'csaf')!.isCsaf).toBe(true);
    expect(detail.concerned.map((c) => c.name.split(' ').slice(0, 2).join(' ')).sort()).toEqual(['UMC Zuid', 'Ziekenhuis Noord']);
    // Other documents stay stories of their own.
    const all = json<z.infer<typeof StoryPageOut>>(await call(t, 'GET', '/api/v1/intake/stories?limit=200', creds.analyst));
    expect(all.items).toHaveLength(provider.documents().length + 1);

    // One step to a draft advisory, imported from the CSAF document.
    const made = await call(t, 'POST', `/api/v1/intake/stories/${story.id}/advisory`, creds.analyst);
    expect(made.statusCode, made.body).toBe(201);
    const { advisoryId, fromCsaf } = json<{ advisoryId: string; fromCsaf: boolean }>(made);
    expect(fromCsaf).toBe(true);
    const advisory = await call(t, 'GET', `/api/v1/advisories/${advisoryId}`, creds.analyst);
    expect(advisory.statusCode, advisory.body).toBe(200);
    const draft = advisory.json<{ status: string; draft: { content: { vulnerabilities: { cve: string }[]; products: { vendor: string }[] } } }>();
    expect(draft.status).toBe('draft');
    expect(draft.draft.content.vulnerabilities.map((v) => v.cve)).toContain(CVE);
    expect(draft.draft.content.products.length).toBeGreaterThan(0);
    const after = json<z.infer<typeof StoryDetailOut>>(await call(t, 'GET', `/api/v1/intake/stories/${story.id}`, creds.analyst));
    expect(after).toMatchObject({ decision: 'advisory', advisoryId });

    // A new revision at the provider updates the story and says so.
    await provider.updateDocument('cisco-sa-20180328-smi2', {
      title: 'Cisco IOS and IOS XE Software Smart Install Remote Code Execution Vulnerability (updated)',
    });
    await t.system.db
      .updateTable('intake_sources')
      .set({ next_run_at: new Date(Date.now() - 1000) })
      .where('id', '=', csaf.id)
      .execute();
    const rerun = await runDueSources(t.system);
    expect(rerun).toEqual([expect.objectContaining({ sourceId: csaf.id, ok: true, newItems: 0, updatedItems: 1 })]);
    const updated = json<z.infer<typeof StoryDetailOut>>(await call(t, 'GET', `/api/v1/intake/stories/${story.id}`, creds.analyst));
    expect(updated.read).toBe(false);
    expect(updated.changeNote).toMatch(/revision .* → .*title/);
  });
});
