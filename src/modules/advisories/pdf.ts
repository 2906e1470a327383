import type { Ctx } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import { htmlToPdf } from '#lib/pdf.ts';
import { auditedRead, TLP_COLOURS, tlpLabel } from '#lib/tlp.ts';
import { record } from '#modules/audit/audit.service.ts';
import type { getProduct } from './reader.service.ts';
import { escapeHtml, renderProductPage } from './product-page.ts';
import * as repo from './advisory.repository.ts';

/** The product as PDF: the published page printed by Chromium, with the TLP label in header and footer. */
export async function renderProductPdf(ctx: Ctx, d: Awaited<ReturnType<typeof getProduct>>, lang: 'nl' | 'en' = 'nl'): Promise<Buffer> {
  const p = d.product;
  if (!d.published || !p.identifier || !p.first_published_at) throw new AppError('conflict', 'not_published', 'Only a published product has a PDF.');
  const revisions = await repo.listRevisions(ctx.db, p.id);
  const html = renderProductPage({
    kind: p.kind,
    identifier: p.identifier,
    tlp: d.published.tlp,
    content: d.published.content,
    html: d.published.html as Parameters<typeof renderProductPage>[0]['html'],
    revision: d.published.revision,
    publishedAt: d.published.publishedAt,
    firstPublishedAt: p.first_published_at,
    revisions: revisions.map((r) => ({ revision: r.revision, publishedAt: r.published_at, changeSummary: r.change_summary })),
    withdrawn: p.withdrawn_at ? { at: p.withdrawn_at, reason: p.withdrawn_reason } : null,
    lang,
  });
  const label = escapeHtml(tlpLabel(d.published.tlp));
  const banner = `<div style="width:100%;font-size:10px;padding:0 15mm;font-family:monospace;-webkit-print-color-adjust:exact"><span style="background:#000;color:${TLP_COLOURS[d.published.tlp]};padding:2px 6px;font-weight:bold">${label}</span> <span style="color:#444">${escapeHtml(p.identifier)}</span></div>`;
  const footer = `<div style="width:100%;font-size:10px;padding:0 15mm;font-family:monospace;display:flex;justify-content:space-between;-webkit-print-color-adjust:exact"><span style="background:#000;color:${TLP_COLOURS[d.published.tlp]};padding:2px 6px;font-weight:bold">${label}</span><span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>`;
  const pdf = await htmlToPdf(html, { headerHtml: banner, footerHtml: footer });
  if (auditedRead(d.published.tlp)) await record(ctx, { action: 'product.pdf', targetType: 'product', targetId: p.id, details: { tlp: d.published.tlp } });
  return pdf;
}
