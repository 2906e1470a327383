import { TLP_COLOURS, tlpLabel } from '#lib/tlp.ts';
import { escapeHtml } from '#modules/advisories/product-page.ts';
import type { PublicationRow } from './publication.repository.ts';

/**
 * The public site's pages of the publications library (Dutch and English), server-rendered with the
 * chrome of the public advisory pages: no scripts, styles inline (the app's CSP allows them), the
 * TLP label as text.
 */
export type Lang = 'nl' | 'en';
type Row = Omit<PublicationRow, 'cursor_at'>;

const T = {
  nl: {
    library: 'Publicaties',
    intro: 'Openbare whitepapers en factsheets (TLP:CLEAR).',
    none: 'Er zijn nog geen openbare publicaties.',
    whitepaper: 'Whitepaper',
    factsheet: 'Factsheet',
    version: 'Versie',
    published: 'Gepubliceerd',
    download: 'Download PDF',
    back: 'Alle publicaties',
    other: 'English',
    tags: 'Onderwerpen',
    language: 'Taal',
    size: 'Grootte',
  },
  en: {
    library: 'Publications',
    intro: 'Public whitepapers and factsheets (TLP:CLEAR).',
    none: 'There are no public publications yet.',
    whitepaper: 'Whitepaper',
    factsheet: 'Factsheet',
    version: 'Version',
    published: 'Published',
    download: 'Download PDF',
    back: 'All publications',
    other: 'Nederlands',
    tags: 'Topics',
    language: 'Language',
    size: 'Size',
  },
} as const;

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:0 auto;padding:1rem 1.5rem;color:#1a1a1a;line-height:1.5}
.tlp{background:#000;padding:.15rem .6rem;display:inline-block;font-weight:700;font-family:monospace}
.meta{color:#444}ul.list{list-style:none;padding:0}ul.list li{border-bottom:1px solid #ddd;padding:.75rem 0}
nav a{margin-right:1rem}a{color:#0b4f6c}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}`;

const q = (lang: Lang) => (lang === 'en' ? '?lang=en' : '');
const date = (d: Date | null, lang: Lang) =>
  d ? new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(d) : '';
const tlp = (l: Parameters<typeof tlpLabel>[0]) => `<span class="tlp" style="color:${TLP_COLOURS[l]}">${escapeHtml(tlpLabel(l))}</span>`;

function page(lang: Lang, title: string, body: string, other: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="alternate" type="application/atom+xml" href="/feeds/publications.atom"><style>${STYLE}</style></head><body><nav><a href="/public/publications${q(lang)}">${T[lang].back}</a><a href="${escapeHtml(other)}" hreflang="${lang === 'nl' ? 'en' : 'nl'}">${T[lang].other}</a><a href="/feeds/publications.atom">Atom</a></nav><main>${body}</main></body></html>`;
}

export function renderPublicList(rows: readonly Row[], lang: Lang): string {
  const t = T[lang];
  const items = rows
    .map(
      (r) =>
        `<li><a href="/public/publications/${r.id}${q(lang)}" hreflang="${r.language}"><strong>${escapeHtml(r.title)}</strong></a> ${tlp(r.tlp)}<br><span class="meta">${t[r.kind]} · ${r.language.toUpperCase()} · ${t.published} ${date(r.published_at, lang)}</span>${r.summary ? `<p>${escapeHtml(r.summary)}</p>` : ''}</li>`,
    )
    .join('');
  return page(
    lang,
    t.library,
    `<h1>${t.library}</h1><p>${t.intro}</p>${rows.length ? `<ul class="list">${items}</ul>` : `<p>${t.none}</p>`}`,
    `/public/publications${lang === 'nl' ? '?lang=en' : ''}`,
  );
}

export function renderPublicPage(
  d: { pub: Row; version: { version: number; size_bytes: number | null; pdf_sha256: string | null } | null; html: string | null },
  lang: Lang,
): string {
  const t = T[lang];
  const p = d.pub;
  const size = d.version?.size_bytes ? ` (${Math.max(1, Math.round(d.version.size_bytes / 1024))} kB)` : '';
  const body = `<article lang="${p.language}"><p>${tlp(p.tlp)}</p><p class="meta">${t[p.kind]} · ${t.version} ${p.current_version ?? ''} · ${t.published} ${date(p.published_at, lang)}</p>
<h1>${escapeHtml(p.title)}</h1>${p.summary ? `<p><strong>${escapeHtml(p.summary)}</strong></p>` : ''}
${p.tags.length ? `<p class="meta">${t.tags}: ${p.tags.map(escapeHtml).join(', ')}</p>` : ''}
<p><a href="/public/publications/${p.id}/pdf" type="application/pdf" download>${t.download}</a>${size}${d.version?.pdf_sha256 ? ` <small>SHA-256 <code>${d.version.pdf_sha256}</code></small>` : ''}</p>
${d.html ?? ''}</article>`;
  return page(lang, p.title, body, `/public/publications/${p.id}${lang === 'nl' ? '?lang=en' : ''}`);
}

/** Atom (RFC 4287): one entry per public publication, updated with each published version. */
export function renderPublicationsAtom(publicUrl: string, rows: readonly Row[]): string {
  const updated = (rows[0]?.published_at ?? new Date(0)).toISOString();
  const entries = rows
    .map((r) => {
      const url = `${publicUrl}/public/publications/${r.id}`;
      return `  <entry>
    <id>urn:uuid:${r.id}</id>
    <title>${escapeHtml(r.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeHtml(url)}"/>
    <link rel="enclosure" type="application/pdf" href="${escapeHtml(`${url}/pdf`)}"/>
    <published>${(r.first_published_at ?? r.published_at ?? new Date(0)).toISOString()}</published>
    <updated>${(r.published_at ?? new Date(0)).toISOString()}</updated>
    <summary>${escapeHtml(r.summary)}</summary>
${r.tags.map((tag) => `    <category term="${escapeHtml(tag)}"/>`).join('\n')}
    <category term="TLP:CLEAR"/>
  </entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeHtml(`${publicUrl}/feeds/publications.atom`)}</id>
  <title>Publications</title>
  <link rel="self" type="application/atom+xml" href="${escapeHtml(`${publicUrl}/feeds/publications.atom`)}"/>
  <link rel="alternate" type="text/html" href="${escapeHtml(`${publicUrl}/public/publications`)}"/>
  <updated>${updated}</updated>
  <author><name>Wachtpost</name></author>
${entries}
</feed>
`;
}
