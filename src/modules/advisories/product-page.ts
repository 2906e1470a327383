import { parseCvss3, parseCvss4 } from '#lib/cvss.ts';
import { TLP_COLOURS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import type { AdvisoryContent, ProductKind } from './advisory.content.ts';
import type { RenderedHtml } from './publication.service.ts';

/**
 * The product as one HTML page: the public page, and the source the PDF is printed from. Body and
 * advice are the HTML sanitised at publication; everything else is escaped here.
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

type Lang = 'nl' | 'en';

const LABELS: Record<Lang, Record<string, string>> = {
  nl: {
    advisory: 'Beveiligingsadvies',
    info: 'Informatiebericht',
    alert: 'Operationele waarschuwing',
    summary: 'Samenvatting',
    advice: 'Advies',
    vulnerabilities: 'Kwetsbaarheden',
    products: 'Getroffen producten',
    references: 'Referenties',
    sources: 'Bronnen',
    credits: 'Met dank aan',
    history: 'Versiegeschiedenis',
    urgency: 'Urgentie',
    urgent: 'urgent',
    normal: 'normaal',
    probability: 'Kans',
    impact: 'Schade',
    high: 'hoog',
    medium: 'middel',
    low: 'laag',
    exploited: 'Actief misbruikt',
    withdrawn: 'Ingetrokken',
    revision: 'Versie',
    published: 'Gepubliceerd',
    vendor: 'Leverancier',
    product: 'Product',
    versions: 'Versies',
    status: 'Status',
    device: 'medisch hulpmiddel',
    affected: 'kwetsbaar',
    fixed: 'opgelost',
    not_affected: 'niet kwetsbaar',
    under_investigation: 'in onderzoek',
    yes: 'ja',
    no: 'nee',
  },
  en: {
    advisory: 'Security advisory',
    info: 'Information message',
    alert: 'Operational alert',
    summary: 'Summary',
    advice: 'Advice',
    vulnerabilities: 'Vulnerabilities',
    products: 'Affected products',
    references: 'References',
    sources: 'Sources',
    credits: 'Credits',
    history: 'Revision history',
    urgency: 'Urgency',
    urgent: 'urgent',
    normal: 'normal',
    probability: 'Probability',
    impact: 'Impact',
    high: 'high',
    medium: 'medium',
    low: 'low',
    exploited: 'Known exploited',
    withdrawn: 'Withdrawn',
    revision: 'Revision',
    published: 'Published',
    vendor: 'Vendor',
    product: 'Product',
    versions: 'Versions',
    status: 'Status',
    device: 'medical device',
    affected: 'affected',
    fixed: 'fixed',
    not_affected: 'not affected',
    under_investigation: 'under investigation',
    yes: 'yes',
    no: 'no',
  },
};

export interface PageInput {
  kind: ProductKind;
  identifier: string;
  tlp: Tlp;
  content: AdvisoryContent;
  html: RenderedHtml;
  revision: number;
  publishedAt: Date;
  firstPublishedAt: Date;
  revisions: { revision: number; publishedAt: Date; changeSummary: string }[];
  withdrawn: { at: Date; reason: string | null } | null;
  lang: Lang;
  /** Links to the other language, the CSAF document and the PDF, when served on the web. */
  links?: { otherLanguage?: string; csaf?: string; pdf?: string };
}

export function tlpBanner(tlp: Tlp): string {
  return `<div class="tlp" role="note" aria-label="${tlpLabel(tlp)}"><span style="color:${TLP_COLOURS[tlp]}">${escapeHtml(tlpLabel(tlp))}</span></div>`;
}

function score(v: AdvisoryContent['vulnerabilities'][number]): string {
  const parts: string[] = [];
  if (v.cvssV4) {
    const s = parseCvss4(v.cvssV4);
    if (s.ok) parts.push(`CVSS 4.0: <strong>${s.baseScore.toFixed(1)}</strong> ${escapeHtml(s.baseSeverity)}<br><code>${escapeHtml(s.vector)}</code>`);
  }
  if (v.cvssV3) {
    const s = parseCvss3(v.cvssV3);
    if (s.ok) parts.push(`CVSS ${s.version}: <strong>${s.baseScore.toFixed(1)}</strong> ${escapeHtml(s.baseSeverity)}<br><code>${escapeHtml(s.vector)}</code>`);
  }
  return parts.join('<br>') || '–';
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:0 auto;padding:1rem 1.5rem;color:#1a1a1a;line-height:1.5}
.tlp{background:#000;padding:.25rem .75rem;display:inline-block;font-weight:700;font-family:monospace;font-size:1rem}
header .meta{color:#444}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
code{font-size:.85em;word-break:break-all}
.withdrawn{border:2px solid #b00;color:#b00;padding:.5rem 1rem;font-weight:700}
.kev{color:#b00;font-weight:700}
nav a{margin-right:1rem}
@media print{nav{display:none}body{max-width:none}}
`;

/** One acknowledgment as a line: "names (organisation) — summary", then its links. */
function credit(a: AdvisoryContent['acknowledgments'][number]): string {
  const who = [a.names.join(', '), a.organization ? (a.names.length ? `(${a.organization})` : a.organization) : ''].filter((x) => x !== '').join(' ');
  const line = [who, a.summary]
    .filter((x) => x !== '')
    .map(escapeHtml)
    .join(' — ');
  const links = a.urls.map((u) => ` <a href="${escapeHtml(u)}" rel="noopener noreferrer">${escapeHtml(u)}</a>`).join('');
  return `<li>${line}${links}</li>`;
}

export function renderProductPage(p: PageInput): string {
  const L = LABELS[p.lang];
  const t = (p.lang === 'en' ? p.content.en : null) ?? p.content.nl;
  const html = (p.lang === 'en' ? p.html.en : null) ?? p.html.nl;
  const productName = new Map(p.content.products.map((x) => [x.id, `${x.vendor} ${x.name}`]));
  const vulns = p.content.vulnerabilities
    .map(
      (v) => `<tr><td>${escapeHtml(v.cve ?? '–')}</td><td>${escapeHtml(v.title)}${v.cwe ? `<br><small>${escapeHtml(v.cwe.id)}: ${escapeHtml(v.cwe.name)}</small>` : ''}${v.description ? `<p>${escapeHtml(v.description)}</p>` : ''}</td><td>${score(v)}</td><td>${v.knownExploited ? `<span class="kev">${L.exploited}</span>` : escapeHtml(L.no ?? 'no')}</td><td>${v.productStatus.map((s) => `${escapeHtml(productName.get(s.productId) ?? s.productId)}: ${escapeHtml(L[s.status] ?? s.status)}`).join('<br>')}${v.remediations.map((r) => `<p><em>${escapeHtml(r.category.replace(/_/g, ' '))}</em>${r.fixedVersion ? ` (${escapeHtml(r.fixedVersion)})` : ''}: ${escapeHtml(r.details)}</p>`).join('')}</td></tr>`,
    )
    .join('');
  const products = p.content.products
    .map(
      (x) =>
        `<tr><td>${escapeHtml(x.vendor)}</td><td>${escapeHtml(x.name)}${x.medicalDevice ? ` <small>(${L.device}${x.model ? `: ${escapeHtml(x.model)}` : ''})</small>` : ''}${x.cpe ? `<br><code>${escapeHtml(x.cpe)}</code>` : ''}${x.purl ? `<br><code>${escapeHtml(x.purl)}</code>` : ''}</td><td>${escapeHtml(x.versions || '*')}</td></tr>`,
    )
    .join('');
  const links = p.links
    ? `<nav>${p.links.otherLanguage ? `<a href="${escapeHtml(p.links.otherLanguage)}" hreflang="${p.lang === 'nl' ? 'en' : 'nl'}">${p.lang === 'nl' ? 'English' : 'Nederlands'}</a>` : ''}${p.links.csaf ? `<a href="${escapeHtml(p.links.csaf)}">CSAF</a>` : ''}${p.links.pdf ? `<a href="${escapeHtml(p.links.pdf)}">PDF</a>` : ''}</nav>`
    : '';
  const date = (d: Date) => d.toISOString().slice(0, 10);
  return `<!doctype html>
<html lang="${p.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.identifier)}: ${escapeHtml(t.title)}</title><style>${STYLE}</style></head>
<body>
${tlpBanner(p.tlp)}
<header><p class="meta">${escapeHtml(L[p.kind] ?? p.kind)} · <strong>${escapeHtml(p.identifier)}</strong> · ${L.revision} ${p.revision} · ${L.published} ${date(p.publishedAt)}</p>
<h1>${escapeHtml(t.title)}</h1>
<p class="meta">${L.urgency}: ${L[p.content.urgency]} · ${L.probability}: ${L[p.content.probability]} · ${L.impact}: ${L[p.content.impact]}</p></header>
${links}
${p.withdrawn ? `<p class="withdrawn">${L.withdrawn} ${date(p.withdrawn.at)}${p.withdrawn.reason ? `: ${escapeHtml(p.withdrawn.reason)}` : ''}</p>` : ''}
<main>
${t.summary ? `<h2>${L.summary}</h2><p>${escapeHtml(t.summary)}</p>` : ''}
${html.body ? `<section class="body">${html.body}</section>` : ''}
${html.advice ? `<h2>${L.advice}</h2><section class="advice">${html.advice}</section>` : ''}
${vulns ? `<h2>${L.vulnerabilities}</h2><table><thead><tr><th>CVE</th><th></th><th>CVSS</th><th>${L.exploited}</th><th>${L.products}</th></tr></thead><tbody>${vulns}</tbody></table>` : ''}
${products ? `<h2>${L.products}</h2><table><thead><tr><th>${L.vendor}</th><th>${L.product}</th><th>${L.versions}</th></tr></thead><tbody>${products}</tbody></table>` : ''}
${p.content.references.length ? `<h2>${L.references}</h2><ul>${p.content.references.map((r) => `<li><a href="${escapeHtml(r.url)}" rel="noopener noreferrer">${escapeHtml(r.summary || r.url)}</a></li>`).join('')}</ul>` : ''}
${p.content.acknowledgments.length ? `<h2>${L.credits}</h2><ul class="credits">${p.content.acknowledgments.map(credit).join('')}</ul>` : ''}
${p.content.sources.length ? `<h2>${L.sources}</h2><ul>${p.content.sources.map((s) => `<li>${s.url ? `<a href="${escapeHtml(s.url)}" rel="noopener noreferrer">${escapeHtml(s.name)}</a>` : escapeHtml(s.name)}${s.reference ? ` (${escapeHtml(s.reference)})` : ''}</li>`).join('')}</ul>` : ''}
<h2>${L.history}</h2><table><tbody>${p.revisions.map((r) => `<tr><td>${r.revision}</td><td>${date(r.publishedAt)}</td><td>${escapeHtml(r.changeSummary)}</td></tr>`).join('')}</tbody></table>
</main>
${tlpBanner(p.tlp)}
</body></html>`;
}
