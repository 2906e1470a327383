import type { Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

/**
 * What the exports (timeline CSV, case report) read. `room` narrows each list to what the affected
 * side may see; the CERT gets every row.
 */
export interface RoomView {
  /** The room's organisations (affected and invited): what they uploaded is theirs to see, as in the evidence list. */
  organisationIds: readonly string[];
}

export async function timelineOf(db: Kysely<DB>, caseId: string, room: RoomView | null) {
  let q = db
    .selectFrom('incident_timeline as t')
    .leftJoin('users as u', 'u.id', 't.author_user_id')
    .leftJoin('incident_evidence as e', 'e.id', 't.evidence_id')
    .select([
      't.id',
      't.at',
      't.source',
      't.text',
      't.shared',
      't.evidence_id',
      't.indicator_id',
      'u.name as author',
      'e.shared as evidence_shared',
      'e.uploaded_by_organisation_id as evidence_org',
    ])
    .where('t.case_id', '=', caseId);
  if (room) q = q.where('t.shared', '=', true);
  const rows = await q.orderBy('t.at').orderBy('t.created_at').orderBy('t.id').execute();
  return rows.map(({ evidence_shared, evidence_org, ...r }) => ({
    ...r,
    // A shared entry may point at evidence the room cannot see: the id is left out, not the entry.
    evidence_id: room && r.evidence_id && !evidence_shared && !(evidence_org && room.organisationIds.includes(evidence_org)) ? null : r.evidence_id,
  }));
}

export async function tasksOf(db: Kysely<DB>, caseId: string, room: RoomView | null) {
  let q = db
    .selectFrom('incident_tasks as t')
    .leftJoin('users as u', 'u.id', 't.assignee_user_id')
    .select(['t.title', 't.side', 't.status', 't.due_at', 't.checklist', 'u.name as assignee'])
    .where('t.case_id', '=', caseId);
  if (room) q = q.where('t.side', '=', 'participant');
  return q.orderBy('t.position').orderBy('t.created_at').execute();
}

export async function observablesOf(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('incident_observables')
    .select(['type', 'value', 'comment', 'indicator_id'])
    .where('case_id', '=', caseId)
    .orderBy('type')
    .orderBy('value')
    .execute();
}

export async function evidenceOf(db: Kysely<DB>, caseId: string, room: RoomView | null) {
  let q = db
    .selectFrom('incident_evidence as e')
    .leftJoin('users as u', 'u.id', 'e.uploaded_by')
    .select([
      'e.file_name',
      'e.description',
      'e.size_bytes',
      'e.sha256',
      'e.shared',
      'e.uploaded_at',
      'e.deleted_at',
      'e.uploaded_by_organisation_id',
      'u.name as uploaded_by',
    ])
    .where('e.case_id', '=', caseId);
  // The room never sees deleted evidence; the CERT's report lists it, marked deleted.
  if (room) q = q.where('e.deleted_at', 'is', null).where((eb) => eb.or([eb('e.shared', '=', true), ...(room.organisationIds.length ? [eb('e.uploaded_by_organisation_id', 'in', room.organisationIds)] : [])]));
  return q.orderBy('e.uploaded_at').orderBy('e.id').execute();
}

/**
 * The chain of custody in the order it was written (CERT only). Read here rather than through
 * evidence.service's custodyLog, which asks for incidents:write: the report needs only
 * incidents:read, so a CERT reader with a read-only token still gets the full report.
 */
export async function custodyOf(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('incident_custody as c')
    .innerJoin('incident_evidence as e', 'e.id', 'c.evidence_id')
    .select(['c.at', 'c.action', 'c.actor_name', 'c.reason', 'c.sha256', 'e.file_name'])
    .where('c.case_id', '=', caseId)
    .orderBy('c.id')
    .execute();
}
