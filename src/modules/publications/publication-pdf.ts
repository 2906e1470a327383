import { htmlToPdf } from '#lib/pdf.ts';
import { renderMarkdown } from '#lib/markdown.ts';
import { TLP_COLOURS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { escapeHtml } from '#modules/advisories/product-page.ts';
import type { PublicationKind, PublicationLanguage } from '#db/schema-publications.ts';

/**
 * A Markdown version as the CERT's styled, accessible PDF: the HTML is a pure function of its input
 * (so it can be checked without Chromium), with the document language on <html>, the title as the
 * document title and first heading, headings from the Markdown kept as headings, and the TLP label
 * (FIRST colours, text on black) on the page and in every page's header and footer.
 */

export interface PublicationDocument {
  kind: PublicationKind;
  title: string;
  summary: string;
  tags: readonly string[];
  language: PublicationLanguage;
  tlp: Tlp;
  version: number;
  date: Date;
  certName: string;
  markdown: string;
}

const LABELS = {
  nl: { whitepaper: 'Whitepaper', factsheet: 'Factsheet', version: 'Versie', summary: 'Samenvatting', tags: 'Onderwerpen' },
  en: { whitepaper: 'Whitepaper', factsheet: 'Factsheet', version: 'Version', summary: 'Summary', tags: 'Topics' },
} as const;

const STYLE = `
@page{size:A4}
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;color:#1a1a1a;line-height:1.5;font-size:11pt;margin:0}
.brand{border-bottom:3px solid #0b4f6c;padding-bottom:.5rem;margin-bottom:1rem;display:flex;justify-content:space-between;align-items:baseline}
.brand strong{color:#0b4f6c;font-size:13pt}
.tlp{background:#000;padding:.15rem .6rem;display:inline-block;font-weight:700;font-family:monospace;font-size:11pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{color:#0b4f6c;font-size:22pt;margin:.5rem 0}
h2{color:#0b4f6c;font-size:15pt;margin-top:1.2rem}
h3{font-size:12.5pt}
.meta{color:#444;font-size:10pt}
.summary{border-left:4px solid #0b4f6c;padding:.25rem .75rem;background:#f2f7f9;-webkit-print-color-adjust:exact}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.3rem .45rem;text-align:left;vertical-align:top}
code{font-size:.9em}
a{color:#0b4f6c}
`;

function dateText(d: Date, lang: PublicationLanguage): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(d);
}

/** The label as printed: TLP text in its FIRST colour on black. */
function label(tlp: Tlp, style = ''): string {
  return `<span class="tlp" style="color:${TLP_COLOURS[tlp]};${style}">${escapeHtml(tlpLabel(tlp))}</span>`;
}

export function publicationHtml(d: PublicationDocument): string {
  const L = LABELS[d.language];
  // The Markdown's own headings sit below the document's title.
  const body = renderMarkdown(d.markdown).replace(/<(\/?)h1(\s|>)/g, '<$1h2$2');
  return `<!doctype html>
<html lang="${d.language}"><head><meta charset="utf-8"><title>${escapeHtml(d.title)}</title>
<meta name="author" content="${escapeHtml(d.certName)}"><meta name="description" content="${escapeHtml(d.summary)}"><meta name="keywords" content="${escapeHtml(d.tags.join(', '))}">
<style>${STYLE}</style></head>
<body>
<header class="brand"><strong>${escapeHtml(d.certName)}</strong><span role="note" aria-label="${escapeHtml(tlpLabel(d.tlp))}">${label(d.tlp)}</span></header>
<main>
<p class="meta">${L[d.kind]} · ${L.version} ${d.version} · <time datetime="${d.date.toISOString().slice(0, 10)}">${dateText(d.date, d.language)}</time></p>
<h1>${escapeHtml(d.title)}</h1>
${d.summary ? `<section class="summary" aria-label="${L.summary}"><p>${escapeHtml(d.summary)}</p></section>` : ''}
${d.tags.length ? `<p class="meta">${L.tags}: ${d.tags.map(escapeHtml).join(', ')}</p>` : ''}
${body}
</main>
</body></html>`;
}

/** Prints the document with the system's Chromium; throws pdf_unavailable (503) without it. */
export async function renderPublicationPdf(d: PublicationDocument): Promise<Buffer> {
  const small = 'font-size:9px;padding:1px 5px';
  const header = `<div style="width:100%;font-size:9px;padding:0 15mm;font-family:sans-serif;display:flex;justify-content:space-between;-webkit-print-color-adjust:exact">${label(d.tlp, `background:#000;${small}`)}<span style="color:#444">${escapeHtml(d.certName)} · ${escapeHtml(d.title)}</span></div>`;
  const footer = `<div style="width:100%;font-size:9px;padding:0 15mm;font-family:sans-serif;display:flex;justify-content:space-between;-webkit-print-color-adjust:exact">${label(d.tlp, `background:#000;${small}`)}<span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>`;
  return htmlToPdf(publicationHtml(d), { headerHtml: header, footerHtml: footer });
}
