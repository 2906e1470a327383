import { listMessages as listCaseMessages } from './case-record.repository.ts';
import type { Ctx } from '#server/context.ts';
import { csvCell } from '#lib/csv.ts';
import { htmlToPdf } from '#lib/pdf.ts';
import { record } from '#modules/audit/audit.service.ts';
import { loadCase, type LoadedCase } from './case-access.ts';
import { assigneesOf } from './case.repository.ts';
import * as repo from './case-export.repository.ts';
import { buildCaseReportHtml, reportHeaderFooter, type CaseReportInput } from './case-report.ts';
import { clockFactsOf, computeClocks } from './clocks.ts';
import { amsterdamTime, type Lang } from './incident-format.ts';

/**
 * Exports of one case: the timeline as CSV and the case report as PDF. Both go through loadCase, so
 * another organisation's case is not found, and a room reader gets the room's view. Both are audited:
 * they take case data off the platform.
 */

const roomOf = (c: LoadedCase): repo.RoomView | null =>
  c.access === 'room' ? { organisationIds: [...c.parties.affected, ...c.parties.guests].map((o) => o.id) } : null;

/** A name that is safe in a Content-Disposition header whatever the reference holds. */
const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export const TIMELINE_COLUMNS = ['at_utc', 'at_amsterdam', 'source', 'text', 'shared', 'evidence_id', 'indicator_id'] as const;

export async function timelineCsv(ctx: Ctx, caseId: string): Promise<{ filename: string; csv: string }> {
  const c = await loadCase(ctx, caseId, 'incidents:read');
  const rows = await repo.timelineOf(ctx.db, caseId, roomOf(c));
  const lines = rows.map((r) => [r.at.toISOString(), amsterdamTime(r.at), r.source, r.text, r.shared, r.evidence_id, r.indicator_id].map(csvCell).join(','));
  await record(ctx, { action: 'incident.timeline_export', targetType: 'incident_case', targetId: caseId, details: { access: c.access, entries: rows.length } });
  return { filename: `${fileSafe(c.row.reference)}-timeline.csv`, csv: [TIMELINE_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n' };
}

/** Everything the report shows, selected for the reader's access. */
export async function caseReportInput(ctx: Ctx, c: LoadedCase, lang: Lang, now = new Date()): Promise<CaseReportInput> {
  const id = c.row.id;
  const room = roomOf(c);
  const cert = c.access === 'cert';
  const [tasks, timeline, messages, evidence, observables, custody, assignees] = await Promise.all([
    repo.tasksOf(ctx.db, id, room),
    repo.timelineOf(ctx.db, id, room),
    // The room's report never holds the CERT's internal notes: left out in SQL, and again in the builder.
    listCaseMessages(ctx.db, id, cert),
    repo.evidenceOf(ctx.db, id, room),
    cert ? repo.observablesOf(ctx.db, id) : Promise.resolve([]),
    cert ? repo.custodyOf(ctx.db, id) : Promise.resolve([]),
    cert ? assigneesOf(ctx.db, id) : Promise.resolve([]),
  ]);
  const r = c.row;
  return {
    access: c.access,
    lang,
    generatedAt: now,
    generatedBy: c.actor.email,
    case: {
      reference: r.reference,
      title: r.title,
      description: r.description,
      advice: r.advice,
      status: r.status,
      severity: r.severity,
      priority: r.priority,
      tlp: r.tlp,
      pap: r.pap,
      categoryClass: r.category_class,
      categoryType: r.category_type,
      intake: r.intake,
      reporter: { name: r.reporter_name, email: r.reporter_email, phone: r.reporter_phone },
      awareAt: r.aware_at,
      occurredAt: r.occurred_at,
      openedAt: r.opened_at,
      firstResponseAt: r.first_response_at,
      containedAt: r.contained_at,
      recoveredAt: r.recovered_at,
      closedAt: r.closed_at,
    },
    affected: c.parties.affected.map((o) => o.name),
    guests: c.parties.guests.map((o) => o.name),
    assignees: assignees.map((a) => a.name),
    clocks: computeClocks(clockFactsOf(r), now, ctx.services.config.incidents.reminderHours),
    tasks: tasks.map((x) => ({
      title: x.title,
      side: x.side,
      assignee: x.assignee,
      dueAt: x.due_at,
      status: x.status,
      checklistDone: x.checklist.filter((i) => i.done).length,
      checklistTotal: x.checklist.length,
    })),
    timeline: timeline.map((x) => ({ at: x.at, source: x.source, text: x.text, shared: x.shared, author: x.author })),
    messages: messages.map((m) => ({ at: m.created_at, author: m.author_name, fromCert: m.author_kind === 'cert', internal: m.internal, body: m.body })),
    observables: observables.map((o) => ({ type: o.type, value: o.value, comment: o.comment, sharedWithNetwork: o.indicator_id !== null })),
    evidence: evidence.map((e) => ({
      fileName: e.file_name,
      description: e.description,
      sizeBytes: Number(e.size_bytes),
      sha256: e.sha256,
      uploadedBy: e.uploaded_by,
      uploadedAt: e.uploaded_at,
      shared: e.shared,
      visibleInRoom: e.shared || (room !== null && e.uploaded_by_organisation_id !== null && room.organisationIds.includes(e.uploaded_by_organisation_id)),
      deletedAt: e.deleted_at,
    })),
    custody: custody.map((x) => ({ at: x.at, fileName: x.file_name, action: x.action, actor: x.actor_name, reason: x.reason, sha256: x.sha256 })),
  };
}

/** The report's HTML for a reader (what the PDF prints; also what the tests read). */
export async function caseReportHtml(ctx: Ctx, caseId: string, lang: Lang = 'nl'): Promise<{ c: LoadedCase; html: string }> {
  const c = await loadCase(ctx, caseId, 'incidents:read');
  return { c, html: buildCaseReportHtml(await caseReportInput(ctx, c, lang)) };
}

export async function caseReportPdf(ctx: Ctx, caseId: string, lang: Lang = 'nl'): Promise<{ filename: string; pdf: Buffer }> {
  const { c, html } = await caseReportHtml(ctx, caseId, lang);
  const pdf = await htmlToPdf(html, reportHeaderFooter(c.row.tlp, c.row.reference));
  await record(ctx, { action: 'incident.report_pdf', targetType: 'incident_case', targetId: caseId, details: { access: c.access, tlp: c.row.tlp, lang } });
  return { filename: `${fileSafe(c.row.reference)}-report.pdf`, pdf };
}
