import { renderMarkdown } from '#lib/markdown.ts';
import type { MessageRow, RequestRow } from './request.repository.ts';
import type { RequestOut, RequestSummaryOut } from './request.schema.ts';

/** How a request and its thread leave the API. Internal notes and held mail only reach the CERT. */

export type SlaState = 'met' | 'running' | 'overdue' | 'stopped';

export function slaState(r: Pick<RequestRow, 'first_answer_due' | 'first_answered_at' | 'closed_at'>, now = new Date()): SlaState {
  if (r.first_answered_at) return 'met';
  if (r.closed_at) return 'stopped';
  return now.getTime() > r.first_answer_due.getTime() ? 'overdue' : 'running';
}

export function presentSummary(r: RequestRow, cert: boolean): RequestSummaryOut {
  return {
    id: r.id,
    reference: r.reference,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    topic: r.topic,
    subject: r.subject,
    channel: r.channel,
    status: r.status,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    sla: { due: r.first_answer_due.toISOString(), state: slaState(r) },
    ...(cert && { heldCount: Number(r.held_count) }),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function presentRequest(r: RequestRow, messages: MessageRow[], cert: boolean, articles: { id: string; title: string }[]): RequestOut {
  return {
    ...presentSummary(r, cert),
    askerName: r.asker_name,
    askerEmail: r.asker_email,
    language: r.language,
    firstAnsweredAt: r.first_answered_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    chatState: r.chat_state,
    messages: messages
      // Belt and braces: the repository already left these out for a participant.
      .filter((m) => cert || (m.kind !== 'note' && !m.held))
      .map((m) => ({
        id: m.id,
        kind: m.kind,
        channel: m.channel,
        author: m.author_name ?? m.from_address,
        fromCert: m.kind !== 'question',
        body: m.body,
        bodyHtml: renderMarkdown(m.body),
        pgp: m.pgp,
        held: m.held,
        createdAt: m.created_at.toISOString(),
      })),
    ...(cert && { articles }),
  };
}
