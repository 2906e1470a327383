import type { CaseListRow, CaseRow, Parties } from './case.repository.ts';
import type { TaskRow, TemplateRow } from './case-work.repository.ts';
import type { MessageRow, ObservableRow, SeenByOthers, TimelineRow } from './case-record.repository.ts';
import { clockFactsOf, computeClocks } from './clocks.ts';
import type { CaseOut, CaseSummaryOut, MessageOut, ObservableOut, TaskOut, TimelineOut } from './incident.schema.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function presentSummary(c: CaseListRow): CaseSummaryOut {
  return {
    id: c.id,
    reference: c.reference,
    title: c.title,
    status: c.status,
    severity: c.severity,
    priority: c.priority,
    tlp: c.tlp,
    categoryClass: c.category_class,
    categoryType: c.category_type,
    organisations: c.organisations,
    openTasks: c.open_tasks,
    openedAt: c.opened_at.toISOString(),
    closedAt: iso(c.closed_at),
  };
}

export interface CertExtras {
  assignees: { id: string; name: string; email: string }[];
  related: CaseOut['related'];
  openTasks: number;
}

/**
 * One case for one reader. The room (the affected organisation and its invited supplier) gets the
 * same shape with what the CERT keeps internal left out: assignees, custom fields, related cases.
 */
export function presentCase(c: CaseRow, parties: Parties, access: 'cert' | 'room', extras: CertExtras, reminderHours: number): CaseOut {
  const cert = access === 'cert';
  return {
    ...presentSummary({ ...c, organisations: parties.affected.map((o) => o.name), open_tasks: extras.openTasks }),
    pap: c.pap,
    access,
    description: c.description,
    intake: c.intake,
    report: c.report,
    reporter: { name: c.reporter_name, email: c.reporter_email, phone: c.reporter_phone },
    advice: c.advice,
    affected: parties.affected,
    guests: parties.guests.map((g) => ({ id: g.id, name: g.name, kind: g.kind, invitedAt: g.invitedAt.toISOString() })),
    nis2Applies: c.nis2_applies,
    personalData: c.personal_data,
    awareAt: c.aware_at.toISOString(),
    // A closed case's clocks stand as they were when it closed.
    clocks: computeClocks(clockFactsOf(c), (c.status === 'closed' && c.closed_at) || new Date(), reminderHours),
    firstResponseAt: iso(c.first_response_at),
    containedAt: iso(c.contained_at),
    recoveredAt: iso(c.recovered_at),
    assignees: cert ? extras.assignees : [],
    customFields: cert ? nonNull(c.custom_fields) : null,
    related: cert ? extras.related : [],
    mergedIntoId: c.merged_into_id,
  };
}

function nonNull(v: Record<string, string | number | boolean | null>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string | number | boolean] => e[1] !== null));
}

export function presentTask(t: TaskRow): TaskOut {
  return {
    id: t.id,
    title: t.title,
    side: t.side,
    assignee: t.assignee_user_id ? { id: t.assignee_user_id, name: t.assignee_name ?? '' } : null,
    dueAt: iso(t.due_at),
    status: t.status,
    checklist: t.checklist,
    doneAt: iso(t.done_at),
  };
}

export function presentTimeline(t: TimelineRow): TimelineOut {
  return {
    id: t.id,
    at: t.at.toISOString(),
    source: t.source,
    text: t.text,
    shared: t.shared,
    evidenceId: t.evidence_id,
    indicatorId: t.indicator_id,
    author: t.author_name,
    createdAt: t.created_at.toISOString(),
  };
}

export function presentMessage(m: MessageRow): MessageOut {
  return { id: m.id, body: m.body, internal: m.internal, author: m.author_name, fromCert: m.author_kind === 'cert', createdAt: m.created_at.toISOString() };
}

export function presentObservable(o: ObservableRow, seen: SeenByOthers | undefined, otherCases: ObservableOut['otherCases']): ObservableOut {
  return {
    id: o.id,
    type: o.type,
    value: o.value,
    comment: o.comment,
    timelineId: o.timeline_id,
    indicatorId: o.indicator_id,
    seenByOthers: { organisations: seen?.organisations ?? 0, last7d: seen?.last7d ?? 0, lastSeenAt: iso(seen?.last_seen_at) },
    otherCases,
    createdAt: o.created_at.toISOString(),
  };
}

export function presentTemplate(t: TemplateRow) {
  return { id: t.id, name: t.name, categoryClass: t.category_class, categoryType: t.category_type, advice: t.advice, tasks: t.tasks };
}
