import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CsafCursor,
  type FeedCursor,
  type HttpGet,
  kevItems,
  makeHttpGet,
  readCsafProvider,
  readEpss,
  readFeed,
  readKev,
} from '../../src/modules/intake/fetchers/index.ts';
import { validateCsaf } from '../../src/modules/advisories/csaf/csaf-validate.ts';
import { EXTRA_CSAF_DOCUMENT, startCsafProvider, startStaticServer, type CsafProvider, type StaticServer } from '../helpers/csaf-provider-server.ts';
import { testdataDir } from '../helpers/testdata.ts';

/**
 * The intake fetchers against real HTTP on 127.0.0.1: a CSAF provider built by the test (ROLIE and
 * directory layouts, real hashes and OpenPGP signatures), feeds, KEV and EPSS files. The getter is
 * the production one with the SSRF guard on, allowing only the exact test host.
 */

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/intake/${name}`, import.meta.url));
const getFor = (...hosts: string[]): HttpGet => makeHttpGet({ allowedHosts: hosts, timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024 });
const ids = (items: { externalId: string }[]) => items.map((i) => i.externalId).sort();

const SAMPLE_IDS = ['BSI-2022-0001', 'RHSA-2021:5217', 'RHSA-2022:0011', 'cisco-sa-20180328-smi2'];
const hasTestdata = testdataDir() !== null;

const providers: CsafProvider[] = [];
async function provider(layout: 'rolie' | 'directory' = 'rolie'): Promise<CsafProvider> {
  const p = await startCsafProvider({ layout });
  providers.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

describe.skipIf(!hasTestdata).each(['rolie', 'directory'] as const)('readCsafProvider, %s layout', (layout) => {
  it('reads every document, checked, with its fields; a second run with the cursor fetches nothing', async () => {
    const p = await provider(layout);
    const get = getFor(p.host);
    const first = await readCsafProvider(get, { url: p.url }, null);
    expect(first.warnings).toEqual([]);
    expect(ids(first.items)).toEqual(SAMPLE_IDS.slice().sort());
    expect(p.documentRequests().sort()).toEqual(p.documents().map((d) => new URL(d.url).pathname).sort());
    for (const d of p.documents()) {
      const path = new URL(d.url).pathname;
      expect(p.requests).toContain(`${path}.sha512`);
      expect(p.requests).toContain(`${path}.asc`);
      expect(p.requests).not.toContain(`${path}.sha256`); // .sha512 is preferred
    }
    if (layout === 'rolie') {
      expect(p.requests.some((r) => r.endsWith('/csaf-feed-tlp-white.json'))).toBe(true);
      expect(p.requests.some((r) => r.endsWith('/changes.csv'))).toBe(false);
    } else {
      expect(p.requests.filter((r) => r.endsWith('/changes.csv')).sort()).toEqual(['/.well-known/csaf/unlabeled/changes.csv', '/.well-known/csaf/white/changes.csv']);
      expect(p.requests.some((r) => r.includes('csaf-feed'))).toBe(false);
    }

    const bsi = first.items.find((i) => i.externalId === 'BSI-2022-0001')!;
    expect(bsi).toMatchObject({
      title: 'CVRF-CSAF-Converter: XML External Entities Vulnerability',
      url: p.document('BSI-2022-0001').url,
      cves: ['CVE-2022-27193'],
      advisoryIds: ['BSI-2022-0001'],
      vendors: ['CSAF Tools'],
      tlp: 'CLEAR',
      revision: '1',
      summary: '',
    });
    expect(bsi.publishedAt?.toISOString()).toBe('2022-03-17T13:03:42.105Z');
    expect(bsi.updatedAt?.toISOString()).toBe('2022-03-17T13:03:42.105Z');
    expect(bsi.products).toContainEqual({
      vendor: 'CSAF Tools',
      product: 'CVRF-CSAF-Converter',
      versions: '1.0.0-alpha',
      cpe: 'cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha',
      purl: null,
    });
    expect(bsi.csaf).toEqual(p.document('BSI-2022-0001').json);

    const cisco = first.items.find((i) => i.externalId === 'cisco-sa-20180328-smi2')!;
    expect(cisco.tlp).toBeNull();
    expect(cisco.revision).toBe('3.0.0');
    expect(cisco.cves).toEqual(['CVE-2018-0171']);
    expect(cisco.advisoryIds).toEqual(['cisco-sa-20180328-bundle', 'cisco-sa-20180328-smi2']);
    expect(cisco.vendors).toEqual(['Cisco']);
    expect(cisco.summary).toMatch(/^A vulnerability in the Smart Install feature of Cisco IOS Software/);
    expect(cisco.products.some((pr) => pr.vendor === 'Cisco' && pr.product === 'IOS' && pr.versions === '12.2SE 12.2(55)SE')).toBe(true);

    const telnet = first.items.find((i) => i.externalId === 'RHSA-2022:0011')!;
    expect(telnet.cves).toEqual(['CVE-2020-10188']);
    expect(telnet.advisoryIds).toEqual(['RHSA-2022:0011']);
    expect(telnet.vendors).toEqual(['Red Hat']);
    expect(telnet.products).toContainEqual({ vendor: 'Red Hat', product: 'Red Hat Enterprise Linux Server AUS (v. 7.6)', versions: null, cpe: 'cpe:/o:redhat:rhel_aus:7.6::server', purl: null });
    for (const item of first.items) expect(item.summary).not.toMatch(/<[a-z/]/i);

    p.clearRequests();
    const second = await readCsafProvider(get, { url: p.url }, first.cursor);
    expect(second.items).toEqual([]);
    expect(second.warnings).toEqual([]);
    expect(p.documentRequests()).toEqual([]);
    expect(second.cursor).toEqual(first.cursor);
  });

  it('fetches a document added later and one updated later, and nothing else', async () => {
    const p = await provider(layout);
    const get = getFor(p.host);
    const first = await readCsafProvider(get, { url: p.url }, null);

    await p.addDocument(EXTRA_CSAF_DOCUMENT);
    const updated = await p.updateDocument('RHSA-2021:5217', { summary: 'Updated: the fix now also covers the admin console.' });
    p.clearRequests();
    const second = await readCsafProvider(get, { url: p.url }, first.cursor);
    expect(second.warnings).toEqual([]);
    expect(ids(second.items)).toEqual(['RHSA-2019:1862', 'RHSA-2021:5217']);
    expect(p.documentRequests().sort()).toEqual([new URL(p.document('RHSA-2019:1862').url).pathname, new URL(updated.url).pathname].sort());
    const item = second.items.find((i) => i.externalId === 'RHSA-2021:5217')!;
    expect(item.revision).toBe('2');
    expect(item.updatedAt?.toISOString()).toBe(updated.currentReleaseDate);
    expect(item.summary).toBe('Updated: the fix now also covers the admin console.');

    // What the helper publishes stays valid CSAF, so later tests can import it.
    for (const id of ['RHSA-2019:1862', 'RHSA-2021:5217']) {
      const v = await validateCsaf(p.document(id).json);
      expect(v.failures).toEqual([]);
    }

    // An older-dated document that appears late, within the look-back window, is still found.
    const late = await p.updateDocument('BSI-2022-0001', { releaseDate: new Date(Date.parse(updated.currentReleaseDate) - 3 * 86_400_000) });
    const third = await readCsafProvider(get, { url: p.url }, second.cursor);
    expect(ids(third.items)).toEqual(['BSI-2022-0001']);
    expect(third.items[0]!.updatedAt?.toISOString()).toBe(late.currentReleaseDate);

    p.clearRequests();
    const fourth = await readCsafProvider(get, { url: p.url }, third.cursor);
    expect(fourth.items).toEqual([]);
    expect(p.documentRequests()).toEqual([]);
  });

  it('skips a document with a wrong hash or a bad signature with a warning, takes the rest, and takes them once fixed', async () => {
    const p = await provider(layout);
    const get = getFor(p.host);
    await p.tamper('BSI-2022-0001', 'hash');
    await p.tamper('RHSA-2022:0011', 'signature');
    const first = await readCsafProvider(get, { url: p.url }, null);
    expect(ids(first.items)).toEqual(['RHSA-2021:5217', 'cisco-sa-20180328-smi2']);
    expect(first.warnings).toHaveLength(2);
    expect(first.warnings).toContainEqual(
      `${p.document('BSI-2022-0001').url}: skipped: the SHA-512 hash in bsi-2022-0001.json.sha512 does not match the document.`,
    );
    expect(first.warnings.find((w) => w.startsWith(p.document('RHSA-2022:0011').url))).toMatch(
      /: skipped: the signature rhsa-2022_0011\.json\.asc does not verify with the provider's key \(.+\)\.$/,
    );

    // Still broken: tried again, warned again, nothing taken.
    const second = await readCsafProvider(get, { url: p.url }, first.cursor);
    expect(second.items).toEqual([]);
    expect(second.warnings).toHaveLength(2);

    await p.repair('BSI-2022-0001');
    await p.repair('RHSA-2022:0011');
    const third = await readCsafProvider(get, { url: p.url }, second.cursor);
    expect(third.warnings).toEqual([]);
    expect(ids(third.items)).toEqual(['BSI-2022-0001', 'RHSA-2022:0011']);

    const fourth = await readCsafProvider(get, { url: p.url }, third.cursor);
    expect(fourth.items).toEqual([]);
  });

  it('names the reason for altered content, a missing signature and a missing hash', async () => {
    const p = await provider(layout);
    await p.tamper('BSI-2022-0001', 'content');
    await p.tamper('RHSA-2022:0011', 'missing-signature');
    await p.tamper('RHSA-2021:5217', 'missing-hash');
    const out = await readCsafProvider(getFor(p.host), { url: p.url }, null);
    expect(ids(out.items)).toEqual(['cisco-sa-20180328-smi2']);
    expect(out.warnings).toHaveLength(3);
    expect(out.warnings.find((w) => w.includes('bsi-2022-0001.json'))).toMatch(/skipped: the SHA-512 hash in bsi-2022-0001\.json\.sha512 does not match the document\.$/);
    expect(out.warnings.find((w) => w.includes('rhsa-2022_0011.json'))).toMatch(/skipped: the signature rhsa-2022_0011\.json\.asc could not be fetched \(the server answered HTTP 404\)\.$/);
    expect(out.warnings.find((w) => w.includes('rhsa-2021_5217.json'))).toMatch(
      /skipped: no hash file could be fetched \(rhsa-2021_5217\.json\.sha512: HTTP 404; rhsa-2021_5217\.json\.sha256: HTTP 404\)\.$/,
    );
  });
});

describe.skipIf(!hasTestdata)('readCsafProvider: keys, aggregators and limits', () => {
  it('refuses a provider key whose fingerprint is not the listed one', async () => {
    const p = await provider();
    await p.tamperKey('fingerprint');
    await expect(readCsafProvider(getFor(p.host), { url: p.url }, null)).rejects.toThrow(
      new RegExp(`^No usable OpenPGP key for the CSAF provider ${p.url}: the key at ${p.origin}/\\.well-known/csaf/openpgp/${p.fingerprint}\\.asc has fingerprint ${p.fingerprint}, not the listed [0-9A-F]{40}: refused\\.$`),
    );
    await p.repairKey();
    await p.tamperKey('other-key');
    await expect(readCsafProvider(getFor(p.host), { url: p.url }, null)).rejects.toThrow(/has fingerprint [0-9A-F]{40}, not the listed [0-9A-F]{40}: refused/);
  });

  it('uses the key pinned on the source instead of the provider keys', async () => {
    const p = await provider();
    await p.tamperKey('fingerprint');
    const pinned = await readCsafProvider(getFor(p.host), { url: p.url, publicKeys: [p.publicKey] }, null);
    expect(pinned.warnings).toEqual([]);
    expect(ids(pinned.items)).toEqual(SAMPLE_IDS.slice().sort());
    expect(p.requests.some((r) => r.includes('/openpgp/'))).toBe(false);

    await p.repairKey();
    const wrongPin = await readCsafProvider(getFor(p.host), { url: p.url, publicKeys: [await p.otherPublicKey()] }, null);
    expect(wrongPin.items).toEqual([]);
    expect(wrongPin.warnings).toHaveLength(4);
    for (const w of wrongPin.warnings) expect(w).toMatch(/: skipped: the signature \S+\.asc does not verify with the provider's key/);

    await expect(readCsafProvider(getFor(p.host), { url: p.url, publicKeys: ['not a key'] }, null)).rejects.toThrow(/The OpenPGP key pinned on the source \(number 1\) cannot be read/);
  });

  it('reads the providers of an aggregator, warning about one that cannot be read', async () => {
    const p = await provider('directory');
    const get = getFor(p.host);
    const out = await readCsafProvider(get, { url: p.aggregatorUrl }, null);
    expect(out.warnings).toEqual([]);
    expect(ids(out.items)).toEqual(SAMPLE_IDS.slice().sort());
    expect(Object.keys(out.cursor.providers)).toEqual([p.url]);

    const missing = `${p.origin}/gone/provider-metadata.json`;
    await p.aggregate([missing]);
    await p.addDocument(EXTRA_CSAF_DOCUMENT);
    const next = await readCsafProvider(get, { url: p.aggregatorUrl }, out.cursor);
    expect(ids(next.items)).toEqual(['RHSA-2019:1862']);
    expect(next.warnings).toEqual([`Could not fetch the CSAF provider metadata ${missing}: the server answered HTTP 404.`]);
  });

  it('does not let a document dated in the future hide the ones published after it', async () => {
    const p = await provider();
    const get = getFor(p.host);
    await p.updateDocument('BSI-2022-0001', { releaseDate: '2099-01-01T00:00:00Z' }); // same folder (white) as RHSA-2022:0011
    const first = await readCsafProvider(get, { url: p.url }, null);
    expect(first.items).toHaveLength(4);
    const listing = Object.values(first.cursor.providers[p.url]!.listings).find((l) => l.seen[p.document('BSI-2022-0001').url]);
    expect(Date.parse(listing!.highWater!)).toBeLessThanOrEqual(Date.now() + 86_400_000);
    await p.updateDocument('RHSA-2022:0011');
    const second = await readCsafProvider(get, { url: p.url }, first.cursor);
    expect(ids(second.items)).toEqual(['RHSA-2022:0011']);
    const third = await readCsafProvider(get, { url: p.url }, second.cursor);
    expect(third.items).toEqual([]);
  });

  it('fetches at most maxDocuments per run, oldest first, and the rest on the next run', async () => {
    const p = await provider();
    const get = getFor(p.host);
    const first = await readCsafProvider(get, { url: p.url }, null, { maxDocuments: 2 });
    expect(ids(first.items)).toEqual(['RHSA-2021:5217', 'cisco-sa-20180328-smi2']);
    expect(first.warnings).toEqual([`CSAF provider ${p.url}: 2 more documents are fetched on the next run.`]);
    const second = await readCsafProvider(get, { url: p.url }, first.cursor, { maxDocuments: 2 });
    expect(ids(second.items)).toEqual(['BSI-2022-0001', 'RHSA-2022:0011']);
    expect(second.warnings).toEqual([]);
    const third = await readCsafProvider(get, { url: p.url }, second.cursor, { maxDocuments: 2 });
    expect(third.items).toEqual([]);
  });

  it('fails with the address when the metadata cannot be read, and starts afresh from a cursor it does not understand', async () => {
    const p = await provider();
    const get = getFor(p.host);
    const gone = `${p.origin}/nothing/provider-metadata.json`;
    await expect(readCsafProvider(get, { url: gone }, null)).rejects.toThrow(`Could not fetch the CSAF provider metadata or aggregator ${gone}: the server answered HTTP 404.`);
    p.server.set('/broken/provider-metadata.json', '{"distributions": 3}');
    await expect(readCsafProvider(get, { url: `${p.origin}/broken/provider-metadata.json` }, null)).rejects.toThrow(
      new RegExp(`^The CSAF provider metadata ${p.origin}/broken/provider-metadata\\.json is not valid: `),
    );
    const out = await readCsafProvider(get, { url: p.url }, { nonsense: true } as unknown as CsafCursor);
    expect(out.items).toHaveLength(4);
    expect(out.warnings).toEqual([`The stored cursor of ${p.url} was not understood; the provider is read from the start.`]);
  });
});

describe('readFeed', () => {
  let server: StaticServer;
  let get: HttpGet;
  beforeAll(async () => {
    server = await startStaticServer({
      '/feeds/rss2.xml': fixture('rss2.xml'),
      '/feeds/atom.xml': fixture('atom.xml'),
      '/feeds/rss1.rdf': fixture('rss1.rdf'),
      '/feeds/billion-laughs.xml': fixture('billion-laughs.xml'),
      '/feeds/xxe.xml': fixture('xxe.xml'),
      '/feeds/page.html': { body: '<html><body>Not a feed</body></html>', type: 'text/html' },
    });
    get = getFor(server.host);
  });
  afterAll(async () => server.close());

  it('reads RSS 2.0: guid or link as id, HTML stripped, CVEs and advisory ids from title and summary', async () => {
    const out = await readFeed(get, server.url('/feeds/rss2.xml'), null);
    expect(out.warnings).toEqual([]);
    expect(out.items.map((i) => i.externalId)).toEqual([
      'example-psirt-2026-001',
      'https://psirt.example.com/notices/2026-002.html',
      'https://psirt.example.com/notices/2026-003.html',
    ]);
    const [pump, station, bulletin] = out.items;
    expect(pump).toMatchObject({
      url: 'https://psirt.example.com/notices/2026-001.html',
      title: 'Infusion pump gateway: authentication bypass (CVE-2026-10001)',
      cves: ['CVE-2026-10001', 'CVE-2026-10002'],
      advisoryIds: ['ICSMA-26-012-01', 'NCSC-2026-0042'],
      vendors: [],
      products: [],
      tlp: null,
      csaf: null,
      revision: null,
    });
    expect(pump!.summary).toBe(
      'A flaw in the PumpLink Gateway lets an attacker bypass authentication.\n\n• Tracked as cve-2026-10001 and CVE‑2026‑10002\n• See also ICSMA-26-012-01 and NCSC-2026-0042.\n\nFixed in version 4.2 – update now & restart.',
    );
    expect(pump!.publishedAt?.toISOString()).toBe('2026-01-13T08:30:00.000Z');
    expect(station!.title).toBe('Monitoring station: hard-coded credentials & weak TLS');
    expect(station!.summary).toBe('The VitalWatch station ships with a hard-coded password (CVE-2026-10003).\n\nCafé “quoted” text');
    expect(station!.cves).toEqual(['CVE-2026-10003']);
    expect(bulletin!.summary).toBe('Bulletin\n\nSummary of ICSA-26-020-03 and GHSA-2c8m-xq9v-rw4h for the Example Imaging Suite.');
    expect(bulletin!.advisoryIds).toEqual(['GHSA-2c8m-xq9v-rw4h', 'ICSA-26-020-03']);
    expect(bulletin!.publishedAt?.toISOString()).toBe('2026-01-27T08:15:00.000Z');
    for (const i of out.items) expect(i.summary).not.toMatch(/<|alert|color/);
  });

  it('reads Atom 1.0 with html, xhtml and text constructs; relative links against the feed address', async () => {
    const out = await readFeed(get, server.url('/feeds/atom.xml'), null);
    expect(out.items.map((i) => i.externalId)).toEqual(['tag:cert.example,2026:advisory-0101', 'tag:cert.example,2026:advisory-0102', 'tag:cert.example,2026:advisory-0103']);
    const [pacs, lab, scheduler] = out.items;
    expect(pacs).toMatchObject({
      url: server.url('/advisories/NCSC-2026-0101'),
      title: 'Kwetsbaarheden in Example PACS verholpen',
      summary: 'Example PACS 7.x bevat kwetsbaarheden (CVE-2026-20001, CVE-2026-20002).\n\nAdvies: NCSC-2026-0101.',
      cves: ['CVE-2026-20001', 'CVE-2026-20002'],
      advisoryIds: ['NCSC-2026-0101'],
    });
    expect(pacs!.publishedAt?.toISOString()).toBe('2026-02-02T08:00:00.000Z');
    expect(pacs!.updatedAt?.toISOString()).toBe('2026-02-03T08:00:00.000Z');
    expect(lab).toMatchObject({ summary: 'The LabLine 3000 firmware fixes CVE-2025-49999 & an issue tracked as ICSA-26-031-02.', cves: ['CVE-2025-49999'], advisoryIds: ['ICSA-26-031-02'] });
    expect(lab!.publishedAt?.toISOString()).toBe('2026-02-01T12:30:00.000Z');
    expect(scheduler).toMatchObject({ title: 'Plain-text entry: version < 2.0 affected', url: 'https://cert.example/advisories/NCSC-2026-0103', cves: ['CVE-2026-20003'] });
    expect(scheduler!.updatedAt?.toISOString()).toBe('2026-01-30T12:00:00.000Z');
  });

  it('reads RSS 1.0 (RDF)', async () => {
    const out = await readFeed(get, server.url('/feeds/rss1.rdf'), null);
    expect(out.items.map((i) => [i.externalId, i.title, i.cves, i.advisoryIds, i.publishedAt?.toISOString()])).toEqual([
      ['https://research.example.org/notes/1', 'Heap overflow in Example DICOM toolkit', ['CVE-2026-30001'], ['VU#123456'], '2026-01-05T15:20:00.000Z'],
      ['https://research.example.org/notes/2', 'HL7 interface engine: path traversal', [], [], '2026-01-08T00:00:00.000Z'],
    ]);
    expect(out.items[0]!.summary).toBe('A heap overflow (CVE-2026-30001) in the DICOM parser; coordinated as VU#123456.');
  });

  it('returns only new and changed entries on the next run', async () => {
    const url = server.url('/feeds/changing.xml');
    const original = fixture('rss2.xml').toString('utf8');
    server.set('/feeds/changing.xml', original);
    const first = await readFeed(get, url, null);
    expect(first.items).toHaveLength(3);
    expect(first.cursor.entries.map((e) => e.id)).toEqual(first.items.map((i) => i.externalId));

    const second = await readFeed(get, url, first.cursor);
    expect(second.items).toEqual([]);
    expect(second.cursor).toEqual(first.cursor);

    const changed = original
      .replace('hard-coded credentials &amp; weak TLS', 'hard-coded credentials &amp; weak TLS (updated)')
      .replace(
        '<item>',
        '<item><title>New: ICSA-26-040-01 for Example Ventilator</title><link>https://psirt.example.com/notices/2026-004.html</link><guid isPermaLink="false">example-psirt-2026-004</guid><pubDate>Mon, 09 Feb 2026 10:00:00 GMT</pubDate><description>CVE-2026-10009</description></item><item>',
      );
    server.set('/feeds/changing.xml', changed);
    const third = await readFeed(get, url, second.cursor);
    expect(third.items.map((i) => i.externalId)).toEqual(['example-psirt-2026-004', 'https://psirt.example.com/notices/2026-002.html']);
    expect(third.items[1]!.title).toBe('Monitoring station: hard-coded credentials & weak TLS (updated)');
    expect(third.cursor.entries).toHaveLength(4);

    // An entry that left the feed and comes back unchanged is not returned again.
    server.set('/feeds/changing.xml', original.replace(/<item>\s*<title>Infusion[\s\S]*?<\/item>/, ''));
    const fourth = await readFeed(get, url, third.cursor);
    expect(fourth.items.map((i) => i.externalId)).toEqual(['https://psirt.example.com/notices/2026-002.html']); // its title went back
    server.set('/feeds/changing.xml', original);
    const fifth = await readFeed(get, url, fourth.cursor);
    expect(fifth.items).toEqual([]);
  });

  it('keeps at most 500 remembered entries beyond the current feed', async () => {
    const old: FeedCursor = { version: 1, entries: Array.from({ length: 600 }, (_, i) => ({ id: `old-${i}`, hash: 'x' })) };
    const out = await readFeed(get, server.url('/feeds/rss1.rdf'), old);
    expect(out.cursor.entries).toHaveLength(500);
    expect(out.cursor.entries.slice(0, 3).map((e) => e.id)).toEqual(['https://research.example.org/notes/1', 'https://research.example.org/notes/2', 'old-0']);
  });

  it('refuses XML with DOCTYPE or entity declarations', async () => {
    for (const name of ['billion-laughs.xml', 'xxe.xml']) {
      await expect(readFeed(get, server.url(`/feeds/${name}`), null)).rejects.toThrow(
        `The feed ${server.url(`/feeds/${name}`)} was refused: it declares a DOCTYPE or entities, which feeds do not need and which can expand without bound ("billion laughs") or read other resources.`,
      );
    }
  });

  it('says what failed and where for a page that is not a feed, and for a missing feed', async () => {
    await expect(readFeed(get, server.url('/feeds/page.html'), null)).rejects.toThrow(`The document at ${server.url('/feeds/page.html')} is not an RSS 2.0, RSS 1.0 (RDF) or Atom 1.0 feed: its root element is <html>.`);
    await expect(readFeed(get, server.url('/feeds/none.xml'), null)).rejects.toThrow(`Could not fetch the feed ${server.url('/feeds/none.xml')}: the server answered HTTP 404.`);
  });
});

describe('readKev and readEpss', () => {
  let server: StaticServer;
  let get: HttpGet;
  beforeAll(async () => {
    const epss = fixture('epss.csv');
    server = await startStaticServer({
      '/kev.json': fixture('kev.json'),
      '/kev-bad.json': JSON.stringify({ ...(JSON.parse(fixture('kev.json').toString('utf8')) as object), vulnerabilities: [{ cveID: 'CVE-2026-1' }] }),
      '/epss_scores-2026-02-10.csv': epss,
      '/epss_scores-2026-02-10.csv.gz': gzipSync(epss),
      '/epss-as-octets': { body: gzipSync(epss), type: 'application/octet-stream' },
      '/epss-malformed.csv.gz': gzipSync(fixture('epss-malformed.csv')),
    });
    get = getFor(server.host);
  });
  afterAll(async () => server.close());

  it('reads and validates the KEV catalogue, and turns recent entries into items', async () => {
    const kev = await readKev(get, server.url('/kev.json'));
    expect(kev.catalogVersion).toBe('2026.02.10');
    expect(kev.dateReleased).toBe('2026-02-10T17:02:11.0000Z');
    expect(kev.entries).toHaveLength(3);
    expect(kev.entries[0]).toEqual({
      cve: 'CVE-2026-10001',
      vendor: 'Example Medical Devices',
      product: 'PumpLink Gateway',
      name: 'Example Medical Devices PumpLink Gateway Authentication Bypass Vulnerability',
      dateAdded: '2026-02-10',
      dueDate: '2026-03-03',
      shortDescription: 'Example Medical Devices PumpLink Gateway contains an authentication bypass vulnerability that allows a remote attacker to take over the device.',
      requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
      knownRansomware: true,
      notes: 'https://psirt.example.com/notices/2026-001.html ; https://nvd.example/vuln/detail/CVE-2026-10001',
    });
    expect(kev.entries[1]!.knownRansomware).toBe(false);

    const items = kevItems(kev.entries, '2026-01-20');
    expect(items.map((i) => i.externalId)).toEqual(['kev:CVE-2025-49999', 'kev:CVE-2026-10001']);
    expect(items[1]).toMatchObject({
      title: 'CISA KEV: Example Medical Devices PumpLink Gateway Authentication Bypass Vulnerability',
      cves: ['CVE-2026-10001'],
      advisoryIds: [],
      vendors: ['Example Medical Devices'],
      products: [{ vendor: 'Example Medical Devices', product: 'PumpLink Gateway', versions: null, cpe: null, purl: null }],
      tlp: null,
    });
    expect(items[1]!.summary).toContain('Known to be used in ransomware campaigns.');
    expect(items[1]!.publishedAt?.toISOString()).toBe('2026-02-10T00:00:00.000Z');
    expect(kevItems(kev.entries, null)).toHaveLength(3);

    await expect(readKev(get, server.url('/kev-bad.json'))).rejects.toThrow(new RegExp(`^The KEV catalogue ${server.url('/kev-bad.json')} is not valid \\(entry 1, CVE-2026-1\\): vulnerabilities\\[0\\]\\.cveID: not a CVE id`));
  });

  it('reads the EPSS file plain and gzipped (by its magic bytes) alike, and refuses a malformed line', async () => {
    const plain = await readEpss(get, server.url('/epss_scores-2026-02-10.csv'));
    expect(plain.modelVersion).toBe('v2025.03.14');
    expect(plain.scoreDate).toBe('2026-02-10');
    expect(plain.scores).toHaveLength(5);
    expect(plain.scores[0]).toEqual({ cve: 'CVE-2026-10001', epss: 0.94312, percentile: 0.99921 });
    expect(await readEpss(get, server.url('/epss_scores-2026-02-10.csv.gz'))).toEqual(plain);
    expect(await readEpss(get, server.url('/epss-as-octets'))).toEqual(plain);
    await expect(readEpss(get, server.url('/epss-malformed.csv.gz'))).rejects.toThrow(
      `The EPSS file ${server.url('/epss-malformed.csv.gz')} has a malformed line 4 (the EPSS score is not a number): "CVE-2026-10003,not-a-number,0.11204".`,
    );
  });
});

describe('makeHttpGet', () => {
  let a: StaticServer;
  let b: StaticServer;
  beforeAll(async () => {
    a = await startStaticServer({ '/feed.xml': fixture('rss1.rdf'), '/big': { body: 'x'.repeat(10_000), headers: { 'content-length': '10000' } } });
    b = await startStaticServer({ '/feed.xml': fixture('rss1.rdf') });
    a.redirect('/moved-away', b.url('/feed.xml'));
    a.redirect('/moved-here', '/feed.xml', 301);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('refuses a redirect to another host, even one that is allowed', async () => {
    const get = getFor(a.host, b.host);
    await expect(readFeed(get, a.url('/moved-away'), null)).rejects.toThrow(
      `Could not fetch the feed ${a.url('/moved-away')}: ${a.host} redirected to http://${b.host}: redirects to another host are not followed.`,
    );
    expect(b.requests).toEqual([]);
  });

  it('follows a redirect within the same origin', async () => {
    const out = await readFeed(getFor(a.host), a.url('/moved-here'), null);
    expect(out.items).toHaveLength(2);
  });

  it('keeps the SSRF guard on: loopback is refused unless the exact host is allowed', async () => {
    await expect(getFor()(a.url('/feed.xml'))).rejects.toThrow(/Only https:\/\/ URLs are allowed/);
    await expect(getFor(b.host)(a.url('/feed.xml'))).rejects.toThrow(/Only https:\/\/ URLs are allowed/);
    await expect(getFor('127.0.0.1')(a.url('/feed.xml'))).resolves.toMatchObject({ status: 200 });
  });

  it('enforces the size limit', async () => {
    const get = makeHttpGet({ allowedHosts: [a.host], maxBytes: 1000 });
    await expect(readEpss(get, a.url('/big'))).rejects.toThrow(`Could not fetch the EPSS file ${a.url('/big')}: ${a.host} announced 10000 bytes; the limit is 1000.`);
  });
});
