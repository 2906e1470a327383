import { readFileSync } from 'node:fs';
import type { Ctx } from '#server/context.ts';
import type { Tlp } from '#lib/tlp.ts';
import { addIndicators, createEvent } from '#modules/zdn/ingest.service.ts';
import { addSighting } from '#modules/zdn/indicator.service.ts';
import { visibleIndicatorsOfValue } from '#modules/zdn/indicator.repository.ts';
import { parseWarninglist } from '#modules/zdn/warninglist.ts';
import { storeWarninglist } from '#modules/zdn/warninglist.service.ts';
import type { IndicatorInput } from '#modules/zdn/zdn.schema.ts';

/**
 * The detection network's demo: events of every TLP level with indicators of many types, a
 * participant's submission waiting for review, a value held by a warninglist, sightings, and hits on
 * participants' declared ranges, so TAXII, the MISP feed, the exports and the stream are not empty on
 * first start. Only documentation addresses and .example names.
 */

const YARA = `rule LockZorg_Loader
{
  meta:
    description = "Demo: loader of the LockZorg ransomware campaign"
  strings:
    $a = "LockZorgLoader" ascii
    $b = { 4C 5A 47 21 }
  condition:
    any of them
}`;

const SIGMA = `title: Demo - LockZorg loader started from a mail attachment
status: experimental
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\factuur_2026.pdf.exe'
  condition: selection
level: high`;

interface DemoEvent {
  title: string;
  description: string;
  tlp: Tlp;
  recipients: string[];
  threatLevel: number;
  tags: string[];
  indicators: IndicatorInput[];
}

const EVENTS: DemoEvent[] = [
  {
    title: 'LockZorg: ransomwarecampagne tegen ziekenhuizen',
    description: 'Phishingmails met een valse factuur leveren een loader af die LockZorg-ransomware binnenhaalt.',
    tlp: 'GREEN',
    recipients: [],
    threatLevel: 1,
    tags: ['rsit:malicious-code="ransomware"', 'misp-galaxy:sector="Health"'],
    indicators: [
      { type: 'ipv4', value: '203.0.113.200', confidence: 90, comment: 'C2-server' },
      { type: 'domain', value: 'lockzorg-c2.example', confidence: 90 },
      { type: 'url', value: 'hxxps://lockzorg-c2[.]example/gate.php', confidence: 85 },
      { type: 'sha256', value: '3f6a1c9f2d4e8b7a5c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b', confidence: 95, comment: 'factuur_2026.pdf.exe' },
      { type: 'md5', value: '5d41402abc4b2a76b9719d911017c592', confidence: 95 },
      { type: 'filename', value: 'factuur_2026.pdf.exe' },
      { type: 'email-subject', value: 'Openstaande factuur zorgverzekering' },
      { type: 'email', value: 'facturen@zorgverzekering-betaal.example' },
      { type: 'user-agent', value: 'LockZorgLoader/2.1' },
      { type: 'ja3', value: 'e7d705a3286e19ea42f587b344ee6865' },
      { type: 'asn', value: 'AS64510', confidence: 40, comment: 'Hoster van de C2-servers' },
      { type: 'cve', value: 'CVE-2023-4966', comment: 'Toegang via Citrix Bleed' },
      { type: 'yara', value: YARA },
      { type: 'sigma', value: SIGMA },
      // On the sector's warninglist: held for an analyst instead of shared.
      { type: 'hostname', value: 'login.zorgportaal.example', comment: 'Gezien in de phishingmail als afleiding' },
    ],
  },
  {
    title: 'Phishing op EPD-inlogpagina',
    description: 'Een nagemaakte inlogpagina van een EPD-leverancier verzamelt wachtwoorden.',
    tlp: 'CLEAR',
    recipients: [],
    threatLevel: 2,
    tags: ['rsit:fraud="phishing"'],
    indicators: [
      { type: 'url', value: 'hxxp://epd-login.phish[.]example/login', confidence: 80 },
      { type: 'domain', value: 'phish.example', confidence: 70 },
      { type: 'ipv6', value: '2001:db8:dead::1', confidence: 70 },
      { type: 'cidr', value: '198.51.100.192/27', confidence: 50, comment: 'Hostingrange van de phishingpagina' },
    ],
  },
  {
    title: 'Scans op VPN-gateways',
    description: 'Brute-force op VPN-gateways van zorginstellingen; één scanner zit in het netwerk van Thuiszorg West, en de buitgemaakte inloggegevens worden op een server van Ziekenhuis Noord verzameld.',
    tlp: 'AMBER',
    recipients: ['Ziekenhuis Noord', 'Thuiszorg West'],
    threatLevel: 2,
    tags: ['rsit:intrusion-attempts="brute-force"'],
    indicators: [
      { type: 'ipv4', value: '198.51.100.10', confidence: 75, comment: 'Scanner binnen het netwerk van Thuiszorg West: mogelijk besmet' },
      { type: 'url', value: 'hxxps://vpn.ziekenhuis-noord[.]example/remote/collect.php', confidence: 70, comment: 'Verzamelpunt op een gecompromitteerde server' },
      { type: 'ipv4', value: '198.51.100.77', confidence: 60 },
      { type: 'hostname', value: 'vpn-scan.bad.example', confidence: 60 },
    ],
  },
  {
    title: 'Gerichte spear-phishing UMC Zuid',
    description: 'Mails aan de raad van bestuur met een link naar een nagemaakte SSO-pagina.',
    tlp: 'RED',
    recipients: ['Universitair Medisch Centrum Zuid'],
    threatLevel: 1,
    tags: [],
    indicators: [
      { type: 'email', value: 'bestuur@umc-zuid-sso.example', confidence: 90 },
      { type: 'domain', value: 'umc-zuid-sso.example', confidence: 90 },
      { type: 'ipv6', value: '2001:db8:100::66', confidence: 70, comment: 'Binnen het eigen netwerk: doorgestuurd vanaf een besmette werkplek?' },
    ],
  },
  {
    title: 'Onderzoek datalek laboratorium',
    description: 'Exfiltratie vanaf een server van het laboratorium.',
    tlp: 'AMBER+STRICT',
    recipients: ['Regionaal Laboratorium'],
    threatLevel: 2,
    tags: [],
    indicators: [
      { type: 'ipv4', value: '203.0.113.5', confidence: 80 },
      { type: 'sha1', value: 'a9993e364706816aba3e25717850c26c9cd0d89d', confidence: 80 },
    ],
  },
];

function loadList(name: string) {
  const parsed = parseWarninglist(JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(`demo warninglist ${name}: ${parsed.error}`);
  return parsed.list;
}

export async function loadDemoZdn(analyst: Ctx, as: (email: string) => Promise<Ctx>, orgIds: Record<string, string>): Promise<void> {
  await storeWarninglist(analyst, loadList('warninglist-healthcare.json'));
  await storeWarninglist(analyst, loadList('warninglist-resolvers.json'));
  for (const e of EVENTS) {
    const event = await createEvent(analyst, {
      title: e.title,
      description: e.description,
      tlp: e.tlp,
      recipients: e.recipients.map((name) => ({ organisationId: orgIds[name] ?? '' })).filter((r) => r.organisationId),
      threatLevel: e.threatLevel,
      analysis: 1,
      tags: e.tags,
      sourceAnonymous: false,
    });
    await addIndicators(analyst, event.id, e.indicators, { strict: true });
  }
  // A hospital's own submission, waiting for an analyst.
  const noord = await as('ciso@ziekenhuis-noord.example');
  const submission = await createEvent(noord, { title: 'Verdachte mail bij Noord', description: 'Gemeld door de SOC van Ziekenhuis Noord.', tlp: 'GREEN', recipients: [], threatLevel: 3, analysis: 0, tags: [], sourceAnonymous: true });
  await addIndicators(noord, submission.id, [{ type: 'domain', value: 'noord-factuur.example' }], { strict: true });
  // Sightings: the C2 domain seen at two organisations (one lets its name be shown), a false positive.
  const umc = await as('ciso@umc-zuid.example');
  const [c2] = await visibleIndicatorsOfValue(analyst.db, analyst.actor!, 'domain', 'lockzorg-c2.example');
  await addSighting(noord, c2!.id, { kind: 'seen', count: 4, shareIdentity: true });
  await addSighting(umc, c2!.id, { kind: 'blocked', count: 12, shareIdentity: false });
  const [scanner] = await visibleIndicatorsOfValue(analyst.db, analyst.actor!, 'ipv4', '198.51.100.77');
  await addSighting(noord, scanner!.id, { kind: 'false-positive', count: 1, shareIdentity: false });
}
