import type { Ctx } from '#server/context.ts';
import { AdvisoryContent } from '#modules/advisories/advisory.content.ts';
import { toCsaf } from '#modules/advisories/csaf/csaf-export.ts';
import * as sources from '#modules/intake/source.repository.ts';
import { ingestItems, loadDeclared } from '#modules/intake/story.service.ts';
import type { FetchedItem } from '#modules/intake/fetchers/types.ts';

/**
 * The intake's demo: the CERT's usual sources (switched off, as their addresses are examples), and
 * what they "brought in": a manufacturer's CSAF advisory on the InfuCare pump that Ziekenhuis Noord
 * declared, the same CVE in a news feed (one story, not two), a KEV entry with ransomware use, EPSS
 * scores, an updated news item, and a partner's mail.
 */

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
const day = (n: number) => daysAgo(n).toISOString().slice(0, 10);

const PUMP_CVE = 'CVE-2026-21001';
const VPN_CVE = 'CVE-2026-20477';

function pumpCsaf(): unknown {
  const content = AdvisoryContent.parse({
    nl: {
      title: 'MedTech Devices InfuCare IC-400: authenticatie te omzeilen via de onderhoudsinterface',
      summary: 'De onderhoudsinterface van de InfuCare-pomp accepteert een vast wachtwoord. Update naar 4.3.',
    },
    urgency: 'urgent',
    probability: 'medium',
    impact: 'high',
    products: [{ id: 'IC400-42', vendor: 'MedTech Devices', name: 'InfuCare pump', versions: '<4.3', medicalDevice: true, model: 'IC-400' }],
    vulnerabilities: [
      {
        cve: PUMP_CVE,
        title: 'Hard-coded credentials in maintenance interface',
        description: 'An attacker on the same network can log in to the maintenance interface with a fixed password.',
        cvssV3: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        productStatus: [{ productId: 'IC400-42', status: 'affected' }],
        remediations: [{ category: 'vendor_fix', details: 'Update to firmware 4.3.', fixedVersion: '4.3', productIds: ['IC400-42'] }],
      },
    ],
    references: [{ url: 'https://medtech-devices.example/security/mtd-2026-004', summary: 'Vendor advisory' }],
  });
  return toCsaf(
    content,
    {
      kind: 'advisory',
      identifier: 'ICSMA-26-310-01',
      tlp: 'CLEAR',
      revisions: [{ number: 1, date: daysAgo(2).toISOString(), summary: 'Initial publication' }],
      initialReleaseDate: daysAgo(2).toISOString(),
      currentReleaseDate: daysAgo(2).toISOString(),
      status: 'final',
      selfUrl: 'https://ics.cisa.example/csaf/2026/icsma-26-310-01.json',
    },
    { name: 'CISA ICS (demo)', namespace: 'https://ics.cisa.example', contactDetails: 'ics@cisa.example' },
  );
}

const item = (i: Partial<FetchedItem> & Pick<FetchedItem, 'externalId' | 'title'>): FetchedItem => ({
  url: null,
  summary: '',
  publishedAt: null,
  updatedAt: null,
  cves: [],
  advisoryIds: [],
  vendors: [],
  products: [],
  tlp: null,
  csaf: null,
  revision: null,
  ...i,
});

export async function loadDemoIntake(ctx: Ctx): Promise<void> {
  const db = ctx.db;
  const off = { enabled: false, publicKeys: [], mailAddress: null, intervalMinutes: 60 };
  const cisa = await sources.insertSource(
    db,
    { ...off, kind: 'csaf', name: 'CISA ICS medical advisories (CSAF)', url: 'https://ics.cisa.example/.well-known/csaf/provider-metadata.json', tlp: 'CLEAR' },
    null,
  );
  await sources.insertSource(
    db,
    { ...off, kind: 'csaf', name: 'NCSC-NL (CSAF)', url: 'https://advisories.ncsc.example/.well-known/csaf/provider-metadata.json', tlp: 'CLEAR' },
    null,
  );
  const news = await sources.insertSource(
    db,
    { ...off, kind: 'rss', name: 'Beveiligingsnieuws zorg (RSS)', url: 'https://nieuws.zorg.example/feed.xml', tlp: 'CLEAR', intervalMinutes: 30 },
    null,
  );
  const kev = await sources.insertSource(
    db,
    { ...off, kind: 'kev', name: 'CISA KEV', url: 'https://kev.cisa.example/known_exploited_vulnerabilities.json', tlp: 'CLEAR', intervalMinutes: 720 },
    null,
  );
  await sources.insertSource(
    db,
    { ...off, kind: 'epss', name: 'FIRST EPSS', url: 'https://epss.first.example/epss_scores-current.csv.gz', tlp: 'CLEAR', intervalMinutes: 1440 },
    null,
  );
  const partnerMail = await sources.insertSource(
    db,
    { ...off, enabled: true, kind: 'mailbox', name: 'Partnermail', url: null, tlp: 'AMBER', mailAddress: ctx.services.config.intake.smtpAddress },
    null,
  );

  await sources.upsertKev(
    db,
    [
      {
        cve: VPN_CVE,
        vendor: 'Example Networks',
        product: 'SecureGate VPN',
        name: 'Example Networks SecureGate VPN Authentication Bypass',
        dateAdded: day(1),
        dueDate: day(-20),
        shortDescription: 'SecureGate VPN contains an authentication bypass that lets a remote attacker log in without credentials.',
        requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product.',
        knownRansomware: true,
        notes: '',
      },
    ],
    'demo',
  );
  await sources.upsertEpss(
    db,
    [
      { cve: VPN_CVE, epss: 0.9412, percentile: 0.9991 },
      { cve: PUMP_CVE, epss: 0.0213, percentile: 0.81 },
    ],
    'v2025.03.14',
    day(0),
  );

  const declared = await loadDeclared(ctx);
  const csaf = pumpCsaf() as { document: { title: string } };
  await ingestItems(
    ctx,
    cisa,
    [
      item({
        externalId: 'ICSMA-26-310-01',
        title: csaf.document.title,
        summary: 'De onderhoudsinterface van de InfuCare-pomp accepteert een vast wachtwoord. Update naar 4.3.',
        url: 'https://ics.cisa.example/csaf/2026/icsma-26-310-01.json',
        publishedAt: daysAgo(2),
        updatedAt: daysAgo(2),
        cves: [PUMP_CVE],
        advisoryIds: ['ICSMA-26-310-01'],
        vendors: ['MedTech Devices'],
        products: [{ vendor: 'MedTech Devices', product: 'InfuCare pump', versions: '<4.3', cpe: null, purl: null }],
        tlp: 'CLEAR',
        csaf,
        revision: '1',
      }),
    ],
    declared,
  );
  const newsItems = [
    item({
      externalId: 'https://nieuws.zorg.example/2026/infuuspomp-lek',
      url: 'https://nieuws.zorg.example/2026/infuuspomp-lek',
      title: 'Lek in infuuspompen van MedTech Devices (CVE-2026-21001)',
      summary: 'Onderzoekers vonden een vast wachtwoord in de onderhoudsinterface van de InfuCare IC-400.',
      publishedAt: daysAgo(1),
      cves: [PUMP_CVE],
    }),
    item({
      externalId: 'https://nieuws.zorg.example/2026/vpn-aanvallen',
      url: 'https://nieuws.zorg.example/2026/vpn-aanvallen',
      title: 'Ransomwaregroepen misbruiken lek in SecureGate VPN',
      summary: `Aanvallers misbruiken ${VPN_CVE} om binnen te komen bij ziekenhuizen in Europa.`,
      publishedAt: daysAgo(1),
      cves: [VPN_CVE],
    }),
    item({
      externalId: 'https://nieuws.zorg.example/2026/nis2-zorg',
      url: 'https://nieuws.zorg.example/2026/nis2-zorg',
      title: 'Cyberbeveiligingswet: wat verandert er voor zorginstellingen?',
      summary: 'Een overzicht van de meldplicht en de zorgplicht onder de Cyberbeveiligingswet.',
      publishedAt: daysAgo(3),
    }),
  ];
  await ingestItems(ctx, news, newsItems, declared);
  await ingestItems(
    ctx,
    kev,
    [
      item({
        externalId: `kev:${VPN_CVE}`,
        title: 'CISA KEV: Example Networks SecureGate VPN Authentication Bypass',
        summary: 'Apply mitigations per vendor instructions or discontinue use of the product.',
        publishedAt: daysAgo(1),
        cves: [VPN_CVE],
        vendors: ['Example Networks'],
        products: [{ vendor: 'Example Networks', product: 'SecureGate VPN', versions: null, cpe: null, purl: null }],
      }),
    ],
    declared,
  );
  // The VPN article was updated the next day: its story says what changed.
  await ingestItems(ctx, news, [{ ...newsItems[1]!, summary: `${newsItems[1]!.summary} De leverancier heeft inmiddels een patch uitgebracht.` }], declared);
  await ingestItems(
    ctx,
    partnerMail,
    [
      item({
        externalId: '<partner-2026-11@soc.partner.example>',
        title: 'Phishingcampagne met valse facturen gericht op zorgaanbieders',
        summary: 'Onze SOC ziet sinds maandag phishingmails met valse facturen van zorgverzekeraars; de links wijzen naar factuur-zorg.example.',
        publishedAt: daysAgo(0),
      }),
    ],
    declared,
  );
}
