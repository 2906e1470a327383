import { AdvisoryContent, type AdvisoryContentInput, type ProductKind } from '../../src/modules/advisories/advisory.content.ts';
import { pick, pickDistinct } from './measure.ts';

/**
 * Deterministic advisory content for benchmarks: shaped like sampleContent and the demo products
 * (Dutch text, optional English, 1–3 vulnerabilities over 1–3 products of one vendor), varied enough
 * that full-text search has common and rare words to find. Vendors and CVE numbers are made up.
 */

interface CatalogueProduct {
  name: string;
  /** What it is, in Dutch, singular and plural. */
  nl: readonly [string, string];
  model?: string;
  medical: boolean;
  slug: string;
}

interface Vendor {
  name: string;
  slug: string;
  host: string;
  products: readonly CatalogueProduct[];
}

export const VENDORS: readonly Vendor[] = [
  {
    name: 'MedTech Devices',
    slug: 'medtech_devices',
    host: 'psirt.medtech.example',
    products: [
      { name: 'InfuCare pump', nl: ['infuuspomp', 'infuuspompen'], model: 'IC-400', medical: true, slug: 'infucare_pump' },
      { name: 'VitaSign monitor', nl: ['patiëntmonitor', 'patiëntmonitoren'], model: 'VS-20', medical: true, slug: 'vitasign_monitor' },
      { name: 'InfuCare Gateway', nl: ['koppelserver', 'koppelservers'], medical: false, slug: 'infucare_gateway' },
    ],
  },
  {
    name: 'Example Imaging',
    slug: 'example_imaging',
    host: 'imaging.example',
    products: [
      { name: 'PACS Server', nl: ['PACS-server', 'PACS-servers'], medical: false, slug: 'pacs_server' },
      { name: 'DICOM Router', nl: ['DICOM-router', 'DICOM-routers'], medical: false, slug: 'dicom_router' },
    ],
  },
  {
    name: 'Example Networks',
    slug: 'example_networks',
    host: 'security.networks.example',
    products: [
      { name: 'SecureGate VPN', nl: ['VPN-gateway', 'VPN-gateways'], medical: false, slug: 'securegate_vpn' },
      { name: 'EdgeWall', nl: ['firewall', 'firewalls'], medical: false, slug: 'edgewall' },
      { name: 'CoreSwitch', nl: ['switch', 'switches'], medical: false, slug: 'coreswitch' },
    ],
  },
  {
    name: 'Example Lab Systems',
    slug: 'example_lab_systems',
    host: 'labsystems.example',
    products: [
      { name: 'LIS Connect', nl: ['laboratoriumsysteem', 'laboratoriumsystemen'], medical: false, slug: 'lis_connect' },
      { name: 'Analyzer Bridge', nl: ['analyser-koppeling', 'analyser-koppelingen'], medical: true, model: 'AB-7', slug: 'analyzer_bridge' },
    ],
  },
  {
    name: 'Zorgsoft',
    slug: 'zorgsoft',
    host: 'zorgsoft.example',
    products: [
      { name: 'EPD Suite', nl: ['patiëntendossier', 'patiëntendossiers'], medical: false, slug: 'epd_suite' },
      { name: 'PatientPortal', nl: ['patiëntportaal', 'patiëntportalen'], medical: false, slug: 'patientportal' },
    ],
  },
  {
    name: 'Respira Medical',
    slug: 'respira_medical',
    host: 'respira.example',
    products: [{ name: 'BreathLine ventilator', nl: ['beademingsapparaat', 'beademingsapparaten'], model: 'BL-3', medical: true, slug: 'breathline' }],
  },
  {
    name: 'Radiant Devices',
    slug: 'radiant_devices',
    host: 'radiant.example',
    products: [
      { name: 'XRay Console', nl: ['röntgensysteem', 'röntgensystemen'], model: 'XC-9', medical: true, slug: 'xray_console' },
      { name: 'Dose Manager', nl: ['dosisregistratie', 'dosisregistraties'], medical: false, slug: 'dose_manager' },
    ],
  },
  {
    name: 'Example Virtualisation',
    slug: 'example_virtualisation',
    host: 'virt.example',
    products: [{ name: 'HyperHost', nl: ['hypervisor', 'hypervisors'], medical: false, slug: 'hyperhost' }],
  },
  {
    name: 'Example Mail',
    slug: 'example_mail',
    host: 'mail-security.example',
    products: [{ name: 'MailCore Server', nl: ['e-mailserver', 'e-mailservers'], medical: false, slug: 'mailcore_server' }],
  },
  {
    name: 'Example Identity',
    slug: 'example_identity',
    host: 'identity.example',
    products: [
      { name: 'SSO Gateway', nl: ['inlogdienst', 'inlogdiensten'], medical: false, slug: 'sso_gateway' },
      { name: 'Badge Server', nl: ['toegangspassysteem', 'toegangspassystemen'], medical: false, slug: 'badge_server' },
    ],
  },
  {
    name: 'Example Print',
    slug: 'example_print',
    host: 'print.example',
    products: [{ name: 'PrintHub', nl: ['printserver', 'printservers'], medical: false, slug: 'printhub' }],
  },
  {
    name: 'Example Web',
    slug: 'example_web',
    host: 'web.example',
    products: [{ name: 'WebStack HTTP Server', nl: ['webserver', 'webservers'], medical: false, slug: 'webstack' }],
  },
];

interface Flaw {
  /** Dutch: what an attacker can do ("maakt … mogelijk"). */
  nl: string;
  en: string;
  description: string;
  cwe: { id: string; name: string };
  cvssV3: string;
  cvssV4?: string;
}

const FLAWS: readonly Flaw[] = [
  {
    nl: 'het omzeilen van authenticatie',
    en: 'Authentication bypass in the web interface',
    description: 'The web interface does not check the session token, so an attacker on the network can log in without credentials.',
    cwe: { id: 'CWE-287', name: 'Improper Authentication' },
    cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  },
  {
    nl: 'het op afstand uitvoeren van willekeurige code',
    en: 'Pre-authentication command injection',
    description: 'A crafted request to the management interface runs operating system commands as root.',
    cwe: { id: 'CWE-78', name: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')" },
    cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
  },
  {
    nl: 'een denial-of-service',
    en: 'Buffer overflow in request parsing',
    description: 'A request with an over-long header crashes the network module until it is restarted.',
    cwe: { id: 'CWE-787', name: 'Out-of-bounds Write' },
    cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
  },
  {
    nl: 'het uitlekken van patiëntgegevens',
    en: 'Path traversal in the file download',
    description: 'The download handler does not restrict paths, so files outside the export folder can be read.',
    cwe: { id: 'CWE-22', name: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')" },
    cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
  },
  {
    nl: 'cross-site scripting',
    en: 'Stored cross-site scripting',
    description: 'Input in the comment field is shown unescaped to other users.',
    cwe: { id: 'CWE-79', name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')" },
    cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N',
  },
  {
    nl: 'het verhogen van rechten',
    en: 'Local privilege escalation',
    description: 'A service runs with excessive privileges and loads a configuration file that local users can write.',
    cwe: { id: 'CWE-269', name: 'Improper Privilege Management' },
    cvssV3: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    cvssV4: 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  },
  {
    nl: 'toegang via een vast ingebouwd wachtwoord',
    en: 'Hard-coded service account',
    description: 'The firmware contains a service account with a fixed password that cannot be changed.',
    cwe: { id: 'CWE-798', name: 'Use of Hard-coded Credentials' },
    cvssV3: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
  },
  {
    nl: 'SQL-injectie',
    en: 'SQL injection in the search function',
    description: 'The search parameter is concatenated into an SQL statement.',
    cwe: { id: 'CWE-89', name: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')" },
    cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N',
  },
  {
    nl: 'het overnemen van sessies zonder inloggen',
    en: 'Missing authentication on the maintenance port',
    description: 'The maintenance service accepts commands without any authentication.',
    cwe: { id: 'CWE-306', name: 'Missing Authentication for Critical Function' },
    cvssV3: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:H',
    cvssV4: 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:H/SC:N/SI:N/SA:N',
  },
];

const INFO_TOPICS: readonly { nl: string; en: string; body: string; advice: string; tags: string[] }[] = [
  {
    nl: 'Phishingcampagne gericht op zorginstellingen',
    en: 'Phishing campaign aimed at healthcare organisations',
    body: 'Medewerkers ontvangen mails die lijken te komen van een zorgverzekeraar en linken naar een nagemaakte inlogpagina.',
    advice: 'Blokkeer de afzenderdomeinen en waarschuw medewerkers voor **phishing**.',
    tags: ['phishing'],
  },
  {
    nl: 'Storing bij een landelijke leverancier van labuitslagen',
    en: 'Outage at a national supplier of lab results',
    body: 'Een storing bij een leverancier van berichtenverkeer vertraagt labuitslagen; er zijn geen aanwijzingen voor een aanval.',
    advice: 'Gebruik de terugvalprocedure voor spoedeisende uitslagen.',
    tags: ['storing'],
  },
  {
    nl: 'Dreigingsbeeld zorgsector',
    en: 'Threat landscape for the healthcare sector',
    body: 'Het afgelopen kwartaal zagen wij vooral **ransomware**, phishing en misbruik van VPN-gateways.\n\n| Dreiging | Trend |\n| --- | --- |\n| Ransomware | stijgend |\n| Phishing | gelijk |',
    advice: 'Bespreek het dreigingsbeeld met de CISO en toets de maatregelen voor netwerksegmentatie.',
    tags: ['dreigingsbeeld', 'ransomware'],
  },
  {
    nl: 'Richtlijn voor netwerksegmentatie van medische apparatuur',
    en: 'Guideline for network segmentation of medical devices',
    body: 'De richtlijn beschrijft hoe medische apparatuur in een apart netwerksegment wordt geplaatst.',
    advice: 'Leg de richtlijn naast het eigen netwerkontwerp.',
    tags: ['medische-hulpmiddelen', 'netwerk'],
  },
  {
    nl: 'Toename van scans op VPN-gateways',
    en: 'More scans on VPN gateways',
    body: 'Sinds deze week zien wij veel meer scans op VPN-gateways van deelnemers vanaf 203.0.113.0/24.',
    advice: 'Controleer de VPN-logboeken en dwing MFA af.',
    tags: ['vpn'],
  },
];

const ALERT_TOPICS: readonly { nl: string; en: string; body: string; advice: string; tags: string[] }[] = [
  {
    nl: 'Operationele waarschuwing: ransomware-actor actief in de regio',
    en: 'Operational alert: ransomware actor active in the region',
    body: 'Een **ransomware**-actor heeft deze week zorginstellingen in de regio aangevallen via gestolen VPN-inloggegevens.',
    advice: '1. Dwing MFA af op alle VPN-accounts.\n2. Blokkeer 198.51.100.77.\n3. Meld verdachte activiteit direct bij het CERT.',
    tags: ['ransomware'],
  },
  {
    nl: 'DDoS-aanvallen op websites van ziekenhuizen',
    en: 'DDoS attacks on hospital websites',
    body: 'Een hacktivistische groep kondigt DDoS-aanvallen aan op websites van ziekenhuizen.',
    advice: 'Neem contact op met de hostingpartij en controleer de DDoS-bescherming.',
    tags: ['ddos'],
  },
  {
    nl: 'Actief misbruik van beheeraccounts van leveranciers',
    en: 'Active misuse of supplier maintenance accounts',
    body: 'Aanvallers gebruiken beheeraccounts van leveranciers om binnen te komen.',
    advice: 'Trek ongebruikte beheeraccounts in en controleer recente aanmeldingen.',
    tags: ['toegang'],
  },
];

const EXTRA_TAGS = ['ziekenhuis', 'ggz', 'huisartsen', 'netwerk', 'web', 'ics'] as const;
const VERSION_RANGES = [
  (fix: string) => `<${fix}`,
  (fix: string) => `>=${Number(fix.split('.')[0]) - 1}.0 <${fix}`,
  (fix: string) => `<=${fix.replace(/\d+$/, (d) => String(Math.max(0, Number(d) - 1)))}`,
  () => '',
] as const;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface ContentContext {
  rnd: () => number;
  year: number;
  /** Hands out unique CVE sequence numbers. */
  nextCve: () => number;
}

/** One product's content; advisories get vulnerabilities, info messages and alerts do not (as in the demo). */
export function makeContent(kind: ProductKind, ctx: ContentContext): AdvisoryContent {
  const { rnd } = ctx;
  const urgency = rnd() < 0.15 || kind === 'alert' ? 'urgent' : 'normal';
  const level = () => pick(rnd, ['high', 'medium', 'low'] as const);
  const vendor = pick(rnd, VENDORS);
  const catalogue = pickDistinct(rnd, vendor.products, 1 + Math.floor(rnd() * Math.min(3, vendor.products.length)));
  const code = `${vendor.slug.slice(0, 3).toUpperCase()}-${ctx.year}-${String(Math.floor(rnd() * 900) + 100)}`;
  const fix = `${1 + Math.floor(rnd() * 9)}.${Math.floor(rnd() * 10)}.${1 + Math.floor(rnd() * 9)}`;
  const products = catalogue.map((p, i) => ({
    id: `CSAFPID-${String(i + 1).padStart(4, '0')}`,
    vendor: vendor.name,
    name: p.name,
    versions: pick(rnd, VERSION_RANGES)(fix),
    medicalDevice: p.medical,
    ...(p.model ? { model: p.model } : {}),
    ...(rnd() < 0.5 ? { cpe: `cpe:2.3:${p.medical ? 'h' : 'a'}:${vendor.slug}:${p.slug}:*:*:*:*:*:*:*:*` } : {}),
  }));
  const first = catalogue[0]!;
  const names = catalogue.map((p) => `**${p.name}**`).join(', ');
  const sector = first.medical
    ? 'Het gaat om medische apparatuur; overleg met de klinische fysica voordat u de firmware bijwerkt.'
    : 'Zorginstellingen gebruiken dit product veel.';

  if (kind !== 'advisory') {
    const topic = pick(rnd, kind === 'alert' ? ALERT_TOPICS : INFO_TOPICS);
    const withProduct = rnd() < 0.4;
    const input: AdvisoryContentInput = {
      nl: {
        title: `${topic.nl}${withProduct ? ` (${vendor.name} ${first.name})` : ''}`,
        summary: `${topic.body.split('. ')[0]!.replace(/\*\*/g, '')}.`,
        body: `${topic.body}\n\n${withProduct ? `Het gaat onder meer om ${names} van ${vendor.name}. ` : ''}${sector}`,
        advice: topic.advice,
      },
      ...(rnd() < 0.5 ? { en: { title: topic.en, summary: topic.en, body: `${topic.en}.`, advice: 'See the Dutch text.' } } : {}),
      urgency,
      probability: level(),
      impact: level(),
      references: [{ url: `https://cert.example/berichten/${ctx.year}/${code.toLowerCase()}`, summary: 'Achtergrond' }],
      tags: [...topic.tags, ...pickDistinct(rnd, EXTRA_TAGS, Math.floor(rnd() * 2))],
      products: withProduct ? products.slice(0, 1) : [],
    };
    return AdvisoryContent.parse(input);
  }

  const flaws = pickDistinct(rnd, FLAWS, 1 + Math.floor(rnd() * 3));
  const exploited = rnd() < 0.08;
  const fixed = rnd() < 0.8;
  const ids = products.map((p) => p.id);
  const vulnerabilities = flaws.map((f) => {
    const cve = rnd() < 0.95 ? `CVE-${ctx.year}-${String(ctx.nextCve()).padStart(5, '0')}` : null;
    return {
      ...(cve ? { cve } : {}),
      title: f.en,
      description: f.description,
      cwe: f.cwe,
      cvssV3: f.cvssV3,
      ...(f.cvssV4 && rnd() < 0.6 ? { cvssV4: f.cvssV4 } : {}),
      knownExploited: exploited && f === flaws[0],
      productStatus: ids.map((productId) => ({ productId, status: rnd() < 0.05 ? ('under_investigation' as const) : ('affected' as const) })),
      remediations: [
        ...(fixed
          ? [
              {
                category: 'vendor_fix' as const,
                details: `Install version ${fix} or later.`,
                fixedVersion: fix,
                productIds: ids,
                url: `https://${vendor.host}/downloads`,
              },
            ]
          : []),
        ...(!fixed || rnd() < 0.3
          ? [{ category: 'mitigation' as const, details: `Place the ${first.name} in a separate network segment.`, productIds: ids }]
          : []),
      ],
    };
  });
  const cves = vulnerabilities.flatMap((v) => (v.cve ? [v.cve] : []));
  const main = flaws[0]!;
  const title =
    flaws.length === 1
      ? `Kwetsbaarheid in ${vendor.name} ${first.name} maakt ${main.nl} mogelijk`
      : `${urgency === 'urgent' ? 'Kritieke kwetsbaarheden' : 'Kwetsbaarheden'} in ${first.nl[1]} van ${vendor.name}`;
  const input: AdvisoryContentInput = {
    nl: {
      title,
      summary: `${capitalise(flaws.length === 1 ? 'een kwetsbaarheid' : `${flaws.length} kwetsbaarheden`)} in de ${first.nl[0]} ${first.name} van ${vendor.name} ${flaws.length === 1 ? 'maakt' : 'maken'} ${flaws.map((f) => f.nl).join(' en ')} mogelijk.`,
      body: [
        `${vendor.name} meldt ${flaws.length === 1 ? 'een kwetsbaarheid' : `${flaws.length} kwetsbaarheden`} in ${names}${products[0]!.versions ? ` (versies ${products[0]!.versions})` : ''}:`,
        flaws.map((f, i) => `- ${capitalise(f.nl)}${cves[i] ? ` (${cves[i]})` : ''}`).join('\n'),
        exploited ? 'Er zijn aanwijzingen dat de kwetsbaarheid **actief wordt misbruikt**.' : 'Misbruik is ons niet bekend.',
        sector,
      ].join('\n\n'),
      advice: [
        fixed
          ? `- Installeer versie **${fix}** of hoger; werk de firmware bij zodra dat kan.`
          : '- Er is nog geen update; volg de aanwijzingen van de leverancier.',
        `- Plaats ${first.nl[1]} in een apart netwerksegment zonder toegang tot internet.`,
        '- Controleer de logboeken op onbekende beheersessies.',
      ].join('\n'),
    },
    ...(rnd() < 0.5
      ? {
          en: {
            title: `Vulnerabilities in ${vendor.name} ${first.name}`,
            summary: `${flaws.map((f) => f.en).join('; ')}.`,
            body: `${vendor.name} reports ${flaws.length} vulnerabilit${flaws.length === 1 ? 'y' : 'ies'} in ${first.name}.`,
            advice: fixed ? `Install version ${fix} or later.` : 'Segment the network.',
          },
        }
      : {}),
    urgency,
    probability: exploited ? 'high' : level(),
    impact: level(),
    references: [{ url: `https://${vendor.host}/advisories/${code}`, summary: `${vendor.name} security advisory ${code}` }],
    sources: [{ name: `${vendor.name} PSIRT`, url: `https://${vendor.host}/`, reference: code }],
    tags: [...(first.medical ? ['medische-hulpmiddelen'] : []), ...pickDistinct(rnd, EXTRA_TAGS, 1 + Math.floor(rnd() * 2))],
    products,
    vulnerabilities,
  };
  return AdvisoryContent.parse(input);
}
