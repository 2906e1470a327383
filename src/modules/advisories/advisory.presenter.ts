import type { z } from 'zod';
import type { ProductSummaryOut } from './advisory.schema.ts';
import type { ProductSummaryRow } from './advisory.repository.ts';
import type { getProduct, listRevisions } from './reader.service.ts';

/** API shapes for products: one place turns rows into what clients see. */

export function presentSummary(r: ProductSummaryRow): z.infer<typeof ProductSummaryOut> {
  return {
    id: r.id,
    kind: r.kind,
    identifier: r.identifier,
    status: r.status,
    tlp: r.tlp ?? r.draft_tlp,
    title: r.title ?? r.draft_title,
    summary: r.summary,
    urgency: r.urgency,
    cves: r.cves,
    vendors: r.vendors,
    revision: r.current_revision,
    publishedAt: r.published_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
    relevant: r.relevant,
    withdrawn: r.withdrawn_at !== null,
  };
}

export function presentProduct(d: Awaited<ReturnType<typeof getProduct>>) {
  const p = d.product;
  return {
    id: p.id,
    kind: p.kind,
    identifier: p.identifier,
    status: p.status,
    relevant: d.relevant,
    firstPublishedAt: p.first_published_at?.toISOString() ?? null,
    withdrawn: p.withdrawn_at ? { at: p.withdrawn_at.toISOString(), reason: p.withdrawn_reason } : null,
    importSource: p.import_source ?? null,
    published: d.published
      ? {
          revision: d.published.revision,
          tlp: d.published.tlp,
          publishedAt: d.published.publishedAt.toISOString(),
          changeSummary: d.published.changeSummary,
          content: d.published.content,
          html: d.published.html,
        }
      : null,
    draft: d.draft
      ? {
          version: d.draft.version,
          tlp: d.draft.tlp,
          recipients: d.draft.recipients,
          content: d.draft.content,
          changeSummary: p.change_summary,
          submittedAt: p.submitted_at?.toISOString() ?? null,
          approvals: d.draft.approvals.map((a) => ({ userId: a.user_id, name: a.name, at: a.approved_at.toISOString() })),
          approvalsRequired: d.draft.required,
          authorId: p.author_id,
        }
      : null,
  };
}

export function presentRevisions(rows: Awaited<ReturnType<typeof listRevisions>>) {
  return rows.map((r) => ({
    revision: r.revision,
    tlp: r.tlp,
    changeSummary: r.change_summary,
    publishedAt: r.published_at.toISOString(),
    publishedBy: r.published_by_name ?? null,
  }));
}
