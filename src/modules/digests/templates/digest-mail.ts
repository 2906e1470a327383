import { TLP_COLOURS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { markdownToText, renderMarkdown } from '#lib/markdown.ts';
import { rsitClassLabel } from '#lib/rsit-labels.ts';
import { escapeHtml } from '#modules/advisories/product-page.ts';
import { productFigures, versionTlp, type DigestContent, type DigestEntryContent } from '../digest-content.ts';

/**
 * The digest mail of one version (the entries one class of recipients may see), per language:
 * plain text and HTML from the same input. Pure: the same version gives the same bytes, so one
 * signature serves every recipient of the class. The portal's preview shows exactly this HTML.
 * Charts are tables with widths (mail clients draw no SVG or CSS grid), every bar with its number.
 */

export type Language = 'nl' | 'en';

const WORDS = {
  nl: {
    digest: { week: 'Weekoverzicht', month: 'Maandoverzicht' },
    kind: { advisory: 'Beveiligingsadvies', info: 'Informatiebericht', alert: 'Operationele waarschuwing' },
    media: 'In de media',
    link: 'Achtergrond',
    updated: 'bijgewerkt',
    source: 'Bron',
    entries: { week: 'Deze week', month: 'Deze maand' },
    none: 'Er zijn geen berichten voor u in deze periode.',
    figures: 'Cijfers',
    byKind: 'Producten per soort',
    byUrgency: 'Beveiligingsadviezen naar urgentie',
    urgent: 'Urgent',
    normal: 'Normaal',
    vendors: 'Meest genoemde leveranciers',
    monitoring: 'Monitoring: bevindingen',
    opened: 'Geopend',
    resolved: 'Opgelost',
    zdn: 'Detectienetwerk (ZDN)',
    indicators: 'Indicatoren toegevoegd',
    sightings: 'Waarnemingen',
    incidents: 'Incidenten per categorie (RSIT)',
    noIncidents: 'Geen incidenten in deze maand.',
    noVendors: 'Geen leveranciers in deze maand.',
    commentary: 'Commentaar',
    archive: 'Lees dit overzicht in het portaal',
    footer: (cert: string, prefs: string) => `U ontvangt dit overzicht als contactpersoon bij ${cert}. Uw voorkeuren wijzigen: ${prefs}`,
    signed: 'Dit bericht is ondertekend met de OpenPGP-sleutel van',
  },
  en: {
    digest: { week: 'Weekly overview', month: 'Monthly overview' },
    kind: { advisory: 'Security advisory', info: 'Information message', alert: 'Operational alert' },
    media: 'In the media',
    link: 'Background',
    updated: 'updated',
    source: 'Source',
    entries: { week: 'This week', month: 'This month' },
    none: 'There are no messages for you in this period.',
    figures: 'Figures',
    byKind: 'Products by kind',
    byUrgency: 'Security advisories by urgency',
    urgent: 'Urgent',
    normal: 'Normal',
    vendors: 'Vendors mentioned most',
    monitoring: 'Monitoring: findings',
    opened: 'Opened',
    resolved: 'Resolved',
    zdn: 'Detection network (ZDN)',
    indicators: 'Indicators added',
    sightings: 'Sightings',
    incidents: 'Incidents by category (RSIT)',
    noIncidents: 'No incidents this month.',
    noVendors: 'No vendors this month.',
    commentary: 'Commentary',
    archive: 'Read this overview in the portal',
    footer: (cert: string, prefs: string) => `You receive this overview as a contact of ${cert}. Change your preferences: ${prefs}`,
    signed: 'This message is signed with the OpenPGP key of',
  },
} as const;

export interface ChartRow {
  label: string;
  value: number;
}
export interface Chart {
  title: string;
  rows: ChartRow[];
  /** Said instead of the chart when every value is zero or there are no rows. */
  empty?: string;
}

/** The month's charts in one language: product figures from this version's entries, the rest from our own data. */
export function monthCharts(content: DigestContent, lang: Language): Chart[] {
  if (content.kind !== 'month' || !content.figures) return [];
  const w = WORDS[lang];
  const p = productFigures(content);
  const f = content.figures;
  return [
    { title: w.byKind, rows: (['advisory', 'info', 'alert'] as const).map((k) => ({ label: w.kind[k], value: p.byKind[k] })) },
    {
      title: w.byUrgency,
      rows: [
        { label: w.urgent, value: p.advisoriesByUrgency.urgent },
        { label: w.normal, value: p.advisoriesByUrgency.normal },
      ],
    },
    { title: w.vendors, rows: p.topVendors.map((v) => ({ label: v.vendor, value: v.count })), empty: w.noVendors },
    {
      title: w.monitoring,
      rows: [
        { label: w.opened, value: f.monitoring.opened },
        { label: w.resolved, value: f.monitoring.resolved },
      ],
    },
    {
      title: w.zdn,
      rows: [
        { label: w.indicators, value: f.zdn.indicatorsAdded },
        { label: w.sightings, value: f.zdn.sightings },
      ],
    },
    { title: w.incidents, rows: f.incidents.map((i) => ({ label: rsitClassLabel(i.category, lang), value: i.count })), empty: w.noIncidents },
  ];
}

function chartHtml(c: Chart): string {
  const head = `<h3 style="font-size:15px;margin:16px 0 4px">${escapeHtml(c.title)}</h3>`;
  if (!c.rows.length && c.empty) return `${head}<p style="margin:0;color:#555">${escapeHtml(c.empty)}</p>`;
  const max = Math.max(1, ...c.rows.map((r) => r.value));
  const rows = c.rows.map((r) => {
    const pct = r.value > 0 ? Math.max(2, Math.round((r.value / max) * 100)) : 0;
    const bar = pct
      ? `<table role="presentation" cellpadding="0" cellspacing="0" width="${pct}%"><tr><td style="background:#1c5d99;height:14px;font-size:1px;line-height:1px">&nbsp;</td></tr></table>`
      : '&nbsp;';
    return `<tr><td style="padding:3px 8px 3px 0;width:40%;font-size:14px">${escapeHtml(r.label)}</td><td style="padding:3px 0;width:48%">${bar}</td><td style="padding:3px 0 3px 8px;width:12%;text-align:right;font-size:14px"><strong>${r.value}</strong></td></tr>`;
  });
  return `${head}<table role="presentation" cellpadding="0" cellspacing="0" width="100%" style="border-collapse:collapse;max-width:600px">${rows.join('')}</table>`;
}

function chartText(c: Chart): string {
  if (!c.rows.length && c.empty) return `${c.title}:\n  ${c.empty}`;
  const max = Math.max(1, ...c.rows.map((r) => r.value));
  const width = Math.max(...c.rows.map((r) => r.label.length), 4);
  const lines = c.rows.map(
    (r) => `  ${r.label.padEnd(width)}  ${String(r.value).padStart(4)}  ${'#'.repeat(r.value > 0 ? Math.max(1, Math.round((r.value / max) * 30)) : 0)}`,
  );
  return [`${c.title}:`, ...lines].join('\n');
}

function entryLabel(e: DigestEntryContent, lang: Language): string {
  const w = WORDS[lang];
  if (e.kind === 'product') return `${w.kind[e.productKind ?? 'advisory']}${e.identifier ? ` ${e.identifier}` : ''}${e.updated ? ` (${w.updated})` : ''}`;
  return e.kind === 'media' ? w.media : w.link;
}

const titleIn = (e: DigestEntryContent, lang: Language) => (lang === 'en' && e.titleEn ? e.titleEn : e.title);
const summaryIn = (e: DigestEntryContent, lang: Language) => (lang === 'en' && e.summaryEn ? e.summaryEn : e.summary);

export function digestSubject(content: DigestContent, languages: readonly Language[]): string {
  const title = (languages[0] ?? 'nl') === 'en' ? content.titleEn : content.title;
  return `[${tlpLabel(versionTlp(content))}] ${title}`;
}

function textPart(content: DigestContent, lang: Language, preferencesUrl: string): string {
  const w = WORDS[lang];
  const lines: string[] = [tlpLabel(versionTlp(content)), '', lang === 'en' ? content.titleEn : content.title];
  const intro = markdownToText(content.introduction);
  if (intro) lines.push('', intro);
  lines.push('', `${w.entries[content.kind]}:`);
  if (!content.entries.length) lines.push('', w.none);
  for (const e of content.entries) {
    lines.push('', `[${tlpLabel(e.tlp)}] ${entryLabel(e, lang)}`, titleIn(e, lang));
    const summary = summaryIn(e, lang);
    if (summary) lines.push(summary);
    if (e.sourceName) lines.push(`${w.source}: ${e.sourceName}`);
    if (e.url) lines.push(e.url);
  }
  const charts = monthCharts(content, lang);
  if (charts.length) lines.push('', `${w.figures}:`, ...charts.flatMap((c) => ['', chartText(c)]));
  const commentary = markdownToText(content.commentary);
  if (content.kind === 'month' && commentary) lines.push('', `${w.commentary}:`, commentary);
  lines.push('', `${w.archive}: ${content.archiveUrl}`, '', '-- ', w.footer(content.certName, preferencesUrl), `${w.signed} ${content.certName}.`);
  return lines.join('\n');
}

function tlpBadge(tlp: Tlp): string {
  return `<span style="background:#000000;color:${TLP_COLOURS[tlp]};font-family:monospace;font-weight:bold;padding:1px 6px">${escapeHtml(tlpLabel(tlp))}</span>`;
}

function banner(tlp: Tlp): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0"><tr><td style="background:#000000;padding:4px 12px;font-family:monospace;font-weight:bold;font-size:16px;color:${TLP_COLOURS[tlp]}">${escapeHtml(tlpLabel(tlp))}</td></tr></table>`;
}

function entryHtml(e: DigestEntryContent, lang: Language): string {
  const w = WORDS[lang];
  const title = escapeHtml(titleIn(e, lang));
  const summary = summaryIn(e, lang);
  return [
    `<li style="margin:0 0 16px" data-entry="${escapeHtml(e.id)}">`,
    `<p style="margin:0;color:#444;font-size:13px">${tlpBadge(e.tlp)} ${escapeHtml(entryLabel(e, lang))}</p>`,
    `<p style="margin:2px 0;font-size:16px"><strong>${e.url ? `<a href="${escapeHtml(e.url)}">${title}</a>` : title}</strong></p>`,
    summary ? `<p style="margin:0">${escapeHtml(summary)}</p>` : '',
    e.sourceName ? `<p style="margin:0;color:#555;font-size:13px">${w.source}: ${escapeHtml(e.sourceName)}</p>` : '',
    '</li>',
  ].join('');
}

function htmlSection(content: DigestContent, lang: Language, preferencesUrl: string): string {
  const w = WORDS[lang];
  const parts = [
    `<div lang="${lang}">`,
    banner(versionTlp(content)),
    `<p style="color:#444;margin:12px 0 0">${escapeHtml(content.certName)} · ${w.digest[content.kind]}</p>`,
    `<h1 style="font-size:22px;margin:4px 0 12px">${escapeHtml(lang === 'en' ? content.titleEn : content.title)}</h1>`,
  ];
  // Sanitised by lib/markdown.ts.
  if (content.introduction.trim()) parts.push(`<div class="digest-introduction">${renderMarkdown(content.introduction)}</div>`);
  parts.push(`<h2 style="font-size:18px;margin:20px 0 8px">${w.entries[content.kind]}</h2>`);
  parts.push(
    content.entries.length ? `<ol style="padding-left:20px;margin:0">${content.entries.map((e) => entryHtml(e, lang)).join('\n')}</ol>` : `<p>${w.none}</p>`,
  );
  const charts = monthCharts(content, lang);
  if (charts.length) parts.push(`<h2 style="font-size:18px;margin:20px 0 8px">${w.figures}</h2>`, ...charts.map(chartHtml));
  if (content.kind === 'month' && content.commentary.trim())
    parts.push(`<h2 style="font-size:18px;margin:20px 0 8px">${w.commentary}</h2><div class="digest-commentary">${renderMarkdown(content.commentary)}</div>`);
  parts.push(`<p><a href="${escapeHtml(content.archiveUrl)}">${w.archive}</a></p>`);
  parts.push(
    `<hr><p style="color:#666;font-size:12px">${escapeHtml(w.footer(content.certName, preferencesUrl))}<br>${w.signed} ${escapeHtml(content.certName)}.</p></div>`,
  );
  return parts.join('\n');
}

/** Text and HTML of one version in the given languages (bilingual contacts get both, Dutch first). */
export function renderDigestMail(
  content: DigestContent,
  languages: readonly Language[],
  preferencesUrl: string,
): { subject: string; text: string; html: string } {
  const subject = digestSubject(content, languages);
  const text = languages
    .map((l) => textPart(content, l, preferencesUrl))
    .join('\n\n======================================================================\n\n');
  const sections = languages.map((l) => htmlSection(content, l, preferencesUrl)).join('\n<hr style="margin:32px 0">\n');
  const html = `<!DOCTYPE html>\n<html lang="${languages[0] ?? 'nl'}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;line-height:1.5;max-width:720px">\n${sections}\n</body></html>`;
  return { subject, text, html };
}
