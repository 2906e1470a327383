import { renderMarkdown } from '#lib/markdown.ts';
import type { DigestDetailOut, DigestOut, PreviewOut, RecipientsOut } from './digest.schema.ts';
import type { DigestListRow, DigestRow } from './digest.repository.ts';
import type { DigestView } from './digest.service.ts';
import type { previewFor, recipientsOf } from './digest-send.service.ts';
import { monthCharts, type Chart } from './templates/digest-mail.ts';

/** A digest as the archive lists it. */
export function presentDigest(d: DigestListRow | DigestRow): DigestOut {
  return {
    id: d.id,
    kind: d.kind,
    period: d.period,
    title: d.title,
    titleEn: d.title_en,
    status: d.status,
    scheduledAt: d.scheduled_at?.toISOString() ?? null,
    sentAt: d.sent_at?.toISOString() ?? null,
  };
}

const chartOut = (c: Chart) => ({ title: c.title, rows: c.rows, empty: c.empty ?? null });

/**
 * One digest as the reader sees it: the entries of their version only (never a marking's named
 * organisations), the charts counted from those entries; editors also get the Markdown and the state.
 */
export function presentDetail(v: DigestView): DigestDetailOut {
  const { row, content, editor } = v;
  const name = (id: string | null) => (id ? (editor?.names.get(id) ?? null) : null);
  return {
    ...presentDigest(row),
    introduction: editor ? content.introduction : null,
    commentary: editor ? content.commentary : null,
    introductionHtml: renderMarkdown(content.introduction),
    commentaryHtml: content.kind === 'month' ? renderMarkdown(content.commentary) : '',
    entries: content.entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      productKind: e.productKind,
      identifier: e.identifier,
      title: e.title,
      titleEn: e.titleEn,
      summary: e.summary,
      url: e.url,
      sourceName: e.sourceName,
      tlp: e.tlp,
      updated: e.updated,
      publishedAt: e.publishedAt,
    })),
    charts: { nl: monthCharts(content, 'nl').map(chartOut), en: monthCharts(content, 'en').map(chartOut) },
    editor: editor
      ? {
          authorName: name(row.author_id),
          lastEditedByName: name(row.last_edited_by),
          lastEditedAt: row.last_edited_at?.toISOString() ?? null,
          submittedByName: name(row.submitted_by),
          reviewerName: name(row.reviewer_id),
          approvedAt: row.approved_at?.toISOString() ?? null,
          assembledAt: row.assembled_at?.toISOString() ?? null,
          mayApprove: editor.mayApprove,
          recipients: editor.recipients,
          outbox: editor.outbox,
        }
      : null,
  };
}

export function presentRecipients(r: Awaited<ReturnType<typeof recipientsOf>>): RecipientsOut {
  return {
    summary: r.summary,
    recipients: r.recipients.map((x) => ({
      contactId: x.contactId,
      name: x.name,
      email: x.email,
      organisationName: x.organisationName,
      languages: x.languages,
      entries: x.entryIds.length,
      tlp: x.tlp,
      encrypted: x.key !== null,
      held: x.held,
      skipped: x.skipped,
    })),
  };
}

export function presentPreview(p: Awaited<ReturnType<typeof previewFor>>): PreviewOut {
  return {
    contactId: p.recipient.contactId,
    subject: p.subject,
    html: p.html,
    text: p.text,
    languages: p.recipient.languages,
    entries: p.entries,
    tlp: p.tlp,
    encrypted: p.recipient.key !== null,
    held: p.recipient.held,
  };
}
