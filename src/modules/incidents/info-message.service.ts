import type { Ctx } from '#server/context.ts';
import { rsitTag } from '#lib/rsit.ts';
import { record } from '#modules/audit/audit.service.ts';
import { AdvisoryContent } from '#modules/advisories/advisory.content.ts';
import { createProduct } from '#modules/advisories/advisory.service.ts';
import { loadCase, requireCert } from './case-access.ts';
import { observablesOf } from './case-export.repository.ts';

/**
 * "This hits the sector": a draft info message, prefilled from a case with the facts that do not
 * identify the hospital — the RSIT category, what kinds of observables were found and how many, and
 * the CERT's advice. The organisation, the reporter, the case title and description are left out;
 * an analyst finishes the draft, and publication goes through the usual four eyes.
 */

/** RSIT types as the name of an incident, in Dutch and English ("Ransomware-incident" / "Ransomware incident"). */
const TYPE_NAMES: Record<string, [nl: string, en: string]> = {
  spam: ['Spamincident', 'Spam incident'],
  'harmful-speech': ['Incident met schadelijke uitingen', 'Harmful speech incident'],
  violence: ['Incident met geweld', 'Violence incident'],
  'infected-system': ['Besmetting', 'Infected system incident'],
  'c2-server': ['C2-serverincident', 'C2 server incident'],
  'malware-distribution': ['Malwareverspreiding', 'Malware distribution incident'],
  'malware-configuration': ['Malwareconfiguratie-incident', 'Malware configuration incident'],
  ransomware: ['Ransomware-incident', 'Ransomware incident'],
  scanner: ['Scanincident', 'Scanning incident'],
  sniffing: ['Afluisterincident', 'Sniffing incident'],
  'social-engineering': ['Social-engineeringincident', 'Social engineering incident'],
  'ids-alert': ['IDS-alarm', 'IDS alert incident'],
  'brute-force': ['Brute-force-aanval', 'Brute-force incident'],
  exploit: ['Exploitincident', 'Exploit incident'],
  'privileged-account-compromise': ['Overname van een beheeraccount', 'Privileged account compromise'],
  'unprivileged-account-compromise': ['Accountovername', 'Account compromise'],
  'application-compromise': ['Gecompromitteerde applicatie', 'Application compromise'],
  'system-compromise': ['Gecompromitteerd systeem', 'System compromise'],
  burglary: ['Inbraak', 'Burglary'],
  dos: ['DoS-aanval', 'DoS attack'],
  ddos: ['DDoS-aanval', 'DDoS attack'],
  misconfiguration: ['Incident door misconfiguratie', 'Misconfiguration incident'],
  sabotage: ['Sabotage', 'Sabotage incident'],
  outage: ['Storing', 'Outage'],
  'unauthorised-information-access': ['Ongeautoriseerde toegang tot informatie', 'Unauthorised information access'],
  'unauthorised-information-modification': ['Ongeautoriseerde wijziging van informatie', 'Unauthorised information modification'],
  'data-loss': ['Gegevensverlies', 'Data loss incident'],
  'data-leak': ['Datalek', 'Data leak'],
  'unauthorised-use-of-resources': ['Misbruik van middelen', 'Unauthorised use of resources'],
  copyright: ['Auteursrechtincident', 'Copyright incident'],
  masquerade: ['Imitatie', 'Masquerade incident'],
  phishing: ['Phishingincident', 'Phishing incident'],
  'weak-crypto': ['Incident door zwakke cryptografie', 'Weak cryptography incident'],
  'ddos-amplifier': ['Misbruikte DDoS-versterker', 'DDoS amplifier incident'],
  'potentially-unwanted-accessible': ['Onbedoeld bereikbare dienst', 'Exposed service incident'],
  'information-disclosure': ['Informatielek', 'Information disclosure'],
  'vulnerable-system': ['Kwetsbaar systeem', 'Vulnerable system incident'],
};

export function incidentName(type: string, lang: 'nl' | 'en'): string {
  const known = TYPE_NAMES[type];
  if (known) return known[lang === 'nl' ? 0 : 1];
  return lang === 'nl' ? 'Beveiligingsincident' : 'Security incident';
}

/**
 * Names that would point at the organisation, replaced wherever they occur in the text taken over
 * from the case (the advice was written for the hospital, and may name it or its people).
 */
export function scrub(text: string, identifying: readonly string[]): string {
  let out = text;
  for (const name of [...identifying].filter((n) => n.trim().length >= 3).sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(name.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '[…]');
  }
  return out;
}

function observableSummary(types: readonly string[], lang: 'nl' | 'en'): string {
  if (!types.length) return lang === 'nl' ? 'Er zijn (nog) geen observables vastgelegd.' : 'No observables have been recorded (yet).';
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  const list = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t, n]) => `- ${t}: ${n}`);
  const head = lang === 'nl' ? `Bij de analyse zijn ${types.length} observables vastgelegd:` : `The analysis recorded ${types.length} observables:`;
  return `${head}\n\n${list.join('\n')}`;
}

export async function draftInfoMessage(ctx: Ctx, caseId: string, tlp: 'GREEN' | 'AMBER' = 'GREEN'): Promise<{ productId: string }> {
  const c = await loadCase(ctx, caseId, 'incidents:write');
  requireCert(c);
  const r = c.row;
  const observables = await observablesOf(ctx.db, caseId);
  const shared = observables.filter((o) => o.indicator_id !== null).length;
  const identifying = [
    ...c.parties.affected.map((o) => o.name),
    ...c.parties.guests.map((o) => o.name),
    r.reporter_name ?? '',
    r.reporter_email ?? '',
    r.reporter_phone ?? '',
    r.title,
  ];
  const advice = scrub(r.advice, identifying);
  const category = `RSIT: ${r.category_class} / ${r.category_type}`;
  const network = (lang: 'nl' | 'en') =>
    shared
      ? lang === 'nl'
        ? `\n\n${shared} daarvan staan in het ZorgDetectieNetwerk; uw detectie kan ze daar ophalen.`
        : `\n\n${shared} of them are in the detection network (ZDN) for your detection to pick up.`
      : '';
  const content = AdvisoryContent.parse({
    nl: {
      title: `${incidentName(r.category_type, 'nl')} in de sector`,
      summary: `Een organisatie in onze achterban heeft een incident gemeld: ${incidentName(r.category_type, 'nl')} (${category}). Wij delen wat wij weten, zodat u uw eigen omgeving kunt controleren.`,
      body: `**Categorie:** ${category}\n\n${observableSummary(
        observables.map((o) => o.type),
        'nl',
      )}${network('nl')}`,
      advice,
    },
    en: {
      title: `${incidentName(r.category_type, 'en')} in the sector`,
      summary: `An organisation in our constituency reported an incident: ${incidentName(r.category_type, 'en')} (${category}). We share what we know so you can check your own environment.`,
      body: `**Category:** ${category}\n\n${observableSummary(
        observables.map((o) => o.type),
        'en',
      )}${network('en')}`,
      advice,
    },
    tags: [rsitTag(r.category_class, r.category_type)],
  });
  const productId = await createProduct(ctx, { kind: 'info', tlp, recipients: [], content });
  // The audit trail links the draft to its case (the product itself does not, by design).
  await record(ctx, { action: 'incident.info_message', targetType: 'incident_case', targetId: caseId, details: { productId, tlp } });
  return { productId };
}
