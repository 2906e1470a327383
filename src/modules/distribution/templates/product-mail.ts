import { TLP_COLOURS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { escapeHtml } from '#modules/advisories/product-page.ts';
import type { ProductKind } from '#modules/advisories/advisory.content.ts';
import type { AlertResponseStatus } from '#db/schema.ts';

/**
 * The mail of a published product, per language: plain text and HTML from the same input. The TLP
 * label is in the subject, in the first line of the text and in a banner in the FIRST colours
 * (on black, the label always written out). Pure: the same input gives the same bytes, which is
 * what lets one signature serve every recipient of a revision and language.
 */

export type Language = 'nl' | 'en';

export interface ProductMailText {
  title: string;
  summary: string;
  /** Sanitised HTML, rendered once at publication. */
  bodyHtml: string;
  adviceHtml: string;
  bodyText: string;
  adviceText: string;
}

export interface ProductMailInput {
  kind: ProductKind;
  identifier: string;
  revision: number;
  tlp: Tlp;
  urgency: 'urgent' | 'normal';
  cves: string[];
  changeSummary: string;
  withdrawnReason: string | null;
  publishedAt: Date;
  portalUrl: string;
  preferencesUrl: string;
  certName: string;
  text: Record<Language, ProductMailText | null>;
}

/** For operational alerts: one signed link per answer, for this recipient. */
export type ResponseLinks = Record<AlertResponseStatus, string>;

const WORDS = {
  nl: {
    kind: { advisory: 'Beveiligingsadvies', info: 'Informatiebericht', alert: 'Operationele waarschuwing' },
    urgent: 'URGENT',
    revision: 'Revisie',
    published: 'Gepubliceerd',
    changes: 'Wijzigingen',
    withdrawn: 'INGETROKKEN',
    summary: 'Samenvatting',
    description: 'Beschrijving',
    advice: 'Advies',
    portal: 'Lees het volledige bericht in het portaal',
    respond: 'Laat ons weten hoe uw organisatie ervoor staat (één klik, geen inlog nodig):',
    responses: { received: 'Ontvangen', not_affected: 'Niet getroffen', mitigating: 'Bezig met maatregelen', patched: 'Opgelost (gepatcht)' },
    footer: (cert: string, prefs: string) => `U ontvangt dit bericht als contactpersoon bij ${cert}. Uw voorkeuren wijzigen: ${prefs}`,
    signed: 'Dit bericht is ondertekend met de OpenPGP-sleutel van',
  },
  en: {
    kind: { advisory: 'Security advisory', info: 'Information message', alert: 'Operational alert' },
    urgent: 'URGENT',
    revision: 'Revision',
    published: 'Published',
    changes: 'Changes',
    withdrawn: 'WITHDRAWN',
    summary: 'Summary',
    description: 'Description',
    advice: 'Advice',
    portal: 'Read the full message in the portal',
    respond: 'Let us know where your organisation stands (one click, no login needed):',
    responses: { received: 'Received', not_affected: 'Not affected', mitigating: 'Mitigating', patched: 'Patched' },
    footer: (cert: string, prefs: string) => `You receive this message as a contact of ${cert}. Change your preferences: ${prefs}`,
    signed: 'This message is signed with the OpenPGP key of',
  },
} as const;

const STATUSES: AlertResponseStatus[] = ['received', 'not_affected', 'mitigating', 'patched'];

/** The languages this mail is written in: what the contact reads, of what the product has (Dutch always). */
export function mailLanguages(wanted: readonly string[], input: Pick<ProductMailInput, 'text'>): Language[] {
  const langs = (['nl', 'en'] as const).filter((l) => wanted.includes(l) && input.text[l]);
  return langs.length ? langs : ['nl'];
}

export function productSubject(input: ProductMailInput, languages: readonly Language[]): string {
  const lang = languages[0] ?? 'nl';
  const w = WORDS[lang];
  const title = (input.text[lang] ?? input.text.nl)?.title ?? '';
  const flags = [input.withdrawnReason !== null ? w.withdrawn : null, input.urgency === 'urgent' ? w.urgent : null].filter(Boolean).join(' ');
  const rev = input.revision > 1 ? ` (${w.revision.toLowerCase()} ${input.revision})` : '';
  return `[${tlpLabel(input.tlp)}]${flags ? ` ${flags}` : ''} ${input.identifier}${rev}: ${title}`;
}

function textPart(input: ProductMailInput, lang: Language, links: ResponseLinks | null): string {
  const w = WORDS[lang];
  const t = input.text[lang] ?? input.text.nl!;
  const lines = [
    tlpLabel(input.tlp),
    '',
    `${w.kind[input.kind]} ${input.identifier}${input.urgency === 'urgent' ? ` — ${w.urgent}` : ''}`,
    t.title,
    `${w.revision} ${input.revision} · ${w.published} ${input.publishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  ];
  if (input.withdrawnReason !== null) lines.push('', `${w.withdrawn}: ${input.withdrawnReason}`);
  if (input.revision > 1) lines.push('', `${w.changes}: ${input.changeSummary}`);
  if (input.cves.length) lines.push('', input.cves.join(', '));
  if (t.summary) lines.push('', `${w.summary}:`, t.summary);
  if (t.bodyText) lines.push('', `${w.description}:`, t.bodyText);
  if (t.adviceText) lines.push('', `${w.advice}:`, t.adviceText);
  if (links) {
    lines.push('', w.respond);
    for (const s of STATUSES) lines.push(`  ${w.responses[s]}: ${links[s]}`);
  }
  lines.push('', `${w.portal}: ${input.portalUrl}`, '', '-- ', w.footer(input.certName, input.preferencesUrl), `${w.signed} ${input.certName}.`);
  return lines.join('\n');
}

function banner(tlp: Tlp): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0"><tr><td style="background:#000000;padding:4px 12px;font-family:monospace;font-weight:bold;font-size:16px;color:${TLP_COLOURS[tlp]}">${escapeHtml(tlpLabel(tlp))}</td></tr></table>`;
}

function htmlSection(lang: Language, input: ProductMailInput, links: ResponseLinks | null): string {
  const w = WORDS[lang];
  const t = input.text[lang] ?? input.text.nl!;
  const parts = [
    `<div lang="${lang}">`,
    banner(input.tlp),
    `<p style="color:#444;margin:12px 0 0">${escapeHtml(w.kind[input.kind])} <strong>${escapeHtml(input.identifier)}</strong>${input.urgency === 'urgent' ? ` · <strong style="color:#b00">${w.urgent}</strong>` : ''} · ${w.revision} ${input.revision}</p>`,
    `<h1 style="font-size:22px;margin:4px 0 12px">${escapeHtml(t.title)}</h1>`,
  ];
  if (input.withdrawnReason !== null) parts.push(`<p style="border:2px solid #b00;color:#b00;padding:8px;font-weight:bold">${w.withdrawn}: ${escapeHtml(input.withdrawnReason)}</p>`);
  if (input.revision > 1) parts.push(`<p><strong>${w.changes}:</strong> ${escapeHtml(input.changeSummary)}</p>`);
  if (input.cves.length) parts.push(`<p><code>${input.cves.map(escapeHtml).join(', ')}</code></p>`);
  if (t.summary) parts.push(`<h2 style="font-size:17px">${w.summary}</h2><p>${escapeHtml(t.summary)}</p>`);
  if (t.bodyHtml) parts.push(`<h2 style="font-size:17px">${w.description}</h2>${t.bodyHtml}`);
  if (t.adviceHtml) parts.push(`<h2 style="font-size:17px">${w.advice}</h2>${t.adviceHtml}`);
  if (links) {
    parts.push(`<p><strong>${w.respond}</strong></p><p>`);
    parts.push(STATUSES.map((s) => `<a href="${escapeHtml(links[s])}" style="display:inline-block;margin:0 8px 8px 0;padding:6px 12px;border:1px solid #1c5d99;border-radius:4px;color:#1c5d99;text-decoration:none">${w.responses[s]}</a>`).join(''));
    parts.push('</p>');
  }
  parts.push(`<p><a href="${escapeHtml(input.portalUrl)}">${w.portal}</a></p>`);
  parts.push(`<hr><p style="color:#666;font-size:12px">${escapeHtml(w.footer(input.certName, input.preferencesUrl))}<br>${w.signed} ${escapeHtml(input.certName)}.</p></div>`);
  return parts.join('\n');
}

/** Text and HTML of the mail in the given languages (bilingual contacts get both, Dutch first). */
export function renderProductMail(input: ProductMailInput, languages: readonly Language[], links: ResponseLinks | null = null): { subject: string; text: string; html: string } {
  const text = languages.map((l) => textPart(input, l, links)).join('\n\n======================================================================\n\n');
  const sections = languages.map((l) => htmlSection(l, input, links)).join('\n<hr style="margin:32px 0">\n');
  const html = `<!DOCTYPE html>\n<html lang="${languages[0] ?? 'nl'}"><head><meta charset="utf-8"><title>${escapeHtml(productSubject(input, languages))}</title></head>\n<body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;line-height:1.5;max-width:720px">\n${sections}\n</body></html>`;
  return { subject: productSubject(input, languages), text, html };
}
