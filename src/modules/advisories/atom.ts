import { escapeHtml } from './product-page.ts';

/** Atom (RFC 4287) feed of the public products: one entry per product, updated with each revision. */
export function renderAtom(
  publicUrl: string,
  rows: { identifier: string | null; title: string | null; summary: string | null; published_at: Date | null; first_published_at: Date | null; withdrawn_at: Date | null }[],
): string {
  const updated = (rows[0]?.published_at ?? new Date(0)).toISOString();
  const entries = rows
    .filter((r) => r.identifier && r.published_at)
    .map((r) => {
      const url = `${publicUrl}/public/advisories/${encodeURIComponent(r.identifier ?? '')}`;
      return `  <entry>
    <id>${escapeHtml(url)}</id>
    <title>${escapeHtml(`${r.identifier ?? ''}: ${r.title ?? ''}${r.withdrawn_at ? ' (withdrawn)' : ''}`)}</title>
    <link rel="alternate" type="text/html" href="${escapeHtml(url)}"/>
    <published>${(r.first_published_at ?? r.published_at ?? new Date(0)).toISOString()}</published>
    <updated>${(r.published_at ?? new Date(0)).toISOString()}</updated>
    <summary>${escapeHtml(r.summary ?? '')}</summary>
    <category term="TLP:CLEAR"/>
  </entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeHtml(`${publicUrl}/feeds/advisories.atom`)}</id>
  <title>Public advisories</title>
  <link rel="self" type="application/atom+xml" href="${escapeHtml(`${publicUrl}/feeds/advisories.atom`)}"/>
  <link rel="alternate" type="text/html" href="${escapeHtml(`${publicUrl}/public/advisories`)}"/>
  <updated>${updated}</updated>
  <author><name>Wachtpost</name></author>
${entries}
</feed>
`;
}
