import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { IncidentMessagesTable, IncidentObservablesTable, IncidentTimelineTable } from '#db/schema-incidents.ts';

export type TimelineRow = Selectable<IncidentTimelineTable> & { author_name: string | null };
export type MessageRow = Selectable<IncidentMessagesTable> & { author_name: string | null; author_kind: string | null };
export type ObservableRow = Selectable<IncidentObservablesTable>;

function timelineQuery(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('incident_timeline as t')
    .leftJoin('users as u', 'u.id', 't.author_user_id')
    .selectAll('t')
    .select('u.name as author_name')
    .where('t.case_id', '=', caseId);
}

export async function listTimeline(db: Kysely<DB>, caseId: string, sharedOnly: boolean): Promise<TimelineRow[]> {
  let q = timelineQuery(db, caseId);
  if (sharedOnly) q = q.where('t.shared', '=', true);
  return q.orderBy('t.at').orderBy('t.created_at').execute();
}

/** One entry with its author, as the lists show it. */
export async function findTimelineView(db: Kysely<DB>, caseId: string, id: string): Promise<TimelineRow | undefined> {
  return timelineQuery(db, caseId).where('t.id', '=', id).executeTakeFirst();
}

export async function insertTimeline(
  db: Kysely<DB>,
  e: { caseId: string; at: Date | string; source: string; text: string; shared: boolean; evidenceId?: string | null; authorUserId: string | null; authorOrganisationId: string | null },
): Promise<string> {
  const row = await db
    .insertInto('incident_timeline')
    .values({
      case_id: e.caseId,
      at: e.at,
      source: e.source,
      text: e.text,
      shared: e.shared,
      evidence_id: e.evidenceId ?? null,
      author_user_id: e.authorUserId,
      author_organisation_id: e.authorOrganisationId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTimeline(db: Kysely<DB>, id: string, set: { shared?: boolean; text?: string; indicator_id?: string | null }): Promise<void> {
  await db.updateTable('incident_timeline').set(set).where('id', '=', id).execute();
}

export async function evidenceBelongsToCase(db: Kysely<DB>, caseId: string, evidenceId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('incident_evidence').select('id').where('id', '=', evidenceId).where('case_id', '=', caseId).executeTakeFirst());
}

function messageQuery(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('incident_messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_user_id')
    .leftJoin('organisations as o', 'o.id', 'm.author_organisation_id')
    .selectAll('m')
    .select(['u.name as author_name', 'o.kind as author_kind'])
    .where('m.case_id', '=', caseId);
}

export async function listMessages(db: Kysely<DB>, caseId: string, includeInternal: boolean): Promise<MessageRow[]> {
  let q = messageQuery(db, caseId);
  if (!includeInternal) q = q.where('m.internal', '=', false);
  return q.orderBy('m.created_at').orderBy('m.id').execute();
}

export async function findMessageView(db: Kysely<DB>, caseId: string, id: string): Promise<MessageRow | undefined> {
  return messageQuery(db, caseId).where('m.id', '=', id).executeTakeFirst();
}

export async function insertMessage(db: Kysely<DB>, m: { caseId: string; body: string; internal: boolean; authorUserId: string; authorOrganisationId: string }): Promise<string> {
  const row = await db
    .insertInto('incident_messages')
    .values({ case_id: m.caseId, body: m.body, internal: m.internal, author_user_id: m.authorUserId, author_organisation_id: m.authorOrganisationId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listObservables(db: Kysely<DB>, caseId: string): Promise<ObservableRow[]> {
  return db.selectFrom('incident_observables').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
}

/** Adds an observable; the same type and value twice in one case is one observable (the first is kept). */
export async function insertObservable(db: Kysely<DB>, o: { caseId: string; type: string; value: string; comment: string; timelineId: string | null; createdBy: string }): Promise<string> {
  await db
    .insertInto('incident_observables')
    .values({ case_id: o.caseId, type: o.type, value: o.value, comment: o.comment, timeline_id: o.timelineId, created_by: o.createdBy })
    .onConflict((oc) => oc.columns(['case_id', 'type', 'value']).doNothing())
    .execute();
  const row = await db.selectFrom('incident_observables').select('id').where('case_id', '=', o.caseId).where('type', '=', o.type).where('value', '=', o.value).executeTakeFirstOrThrow();
  return row.id;
}

/** Points shared observables at the indicator the detection-network event now holds for their value. */
export async function linkSharedIndicators(db: Kysely<DB>, caseId: string, observableIds: readonly string[], eventId: string): Promise<number> {
  const r = await sql`UPDATE incident_observables o SET indicator_id = i.id
    FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id
    WHERE o.case_id = ${caseId} AND o.id = ANY(${observableIds}::uuid[]) AND i.event_id = ${eventId} AND v.type = o.type AND v.value = o.value`.execute(db);
  await sql`UPDATE incident_timeline t SET indicator_id = o.indicator_id FROM incident_observables o
    WHERE o.case_id = ${caseId} AND o.id = ANY(${observableIds}::uuid[]) AND o.timeline_id = t.id AND t.indicator_id IS NULL`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export interface SeenByOthers {
  observable_id: string;
  organisations: number;
  last7d: number;
  last_seen_at: Date | null;
}

/**
 * Sightings in the detection network of each observable's value by organisations other than the
 * case's affected ones: counts only, no names (the room must never learn who else was hit).
 */
export async function sightingsByOthers(db: Kysely<DB>, caseId: string): Promise<Map<string, SeenByOthers>> {
  const r = await sql<SeenByOthers>`SELECT o.id AS observable_id,
      count(DISTINCT s.organisation_id)::int AS organisations,
      count(DISTINCT s.organisation_id) FILTER (WHERE s.seen_at > now() - interval '7 days')::int AS last7d,
      max(s.seen_at) AS last_seen_at
    FROM incident_observables o
    JOIN zdn_values v ON v.type = o.type AND v.value = o.value
    JOIN zdn_sightings s ON s.value_id = v.id AND s.kind <> 'false-positive'
    WHERE o.case_id = ${caseId}
      AND s.organisation_id NOT IN (SELECT organisation_id FROM incident_case_organisations WHERE case_id = ${caseId})
    GROUP BY o.id`.execute(db);
  return new Map(r.rows.map((row) => [row.observable_id, row]));
}

/** Other (unmerged) cases holding the same values, with their affected organisations: for the analyst only. */
export async function otherCasesWithSameValues(db: Kysely<DB>, caseId: string) {
  const r = await sql<{ observable_id: string; case_id: string; reference: string; organisations: string[] }>`
    SELECT o.id AS observable_id, c.id AS case_id, c.reference,
      ARRAY(SELECT g.name FROM incident_case_organisations co JOIN organisations g ON g.id = co.organisation_id WHERE co.case_id = c.id ORDER BY g.name) AS organisations
    FROM incident_observables o
    JOIN incident_observables x ON x.type = o.type AND x.value = o.value AND x.case_id <> o.case_id
    JOIN incident_cases c ON c.id = x.case_id AND c.merged_into_id IS NULL
    WHERE o.case_id = ${caseId}
    ORDER BY c.reference`.execute(db);
  return r.rows;
}
