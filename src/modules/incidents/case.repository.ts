import { sql, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { IncidentCasesTable } from '#db/schema-incidents.ts';
import { escapeLike } from '#db/like.ts';

export type CaseRow = Selectable<IncidentCasesTable>;

export interface NewCase {
  title: string;
  description: string;
  intake: 'portal' | 'mail' | 'phone' | 'analyst';
  status: 'reported' | 'triage';
  categoryClass?: string | undefined;
  categoryType?: string | undefined;
  severity?: 'low' | 'medium' | 'high' | 'critical' | undefined;
  priority?: 'p1' | 'p2' | 'p3' | 'p4' | undefined;
  tlp?: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED' | undefined;
  report: Record<string, unknown>;
  reporterUserId: string | null;
  reporterName: string | null;
  reporterEmail: string | null;
  reporterPhone: string | null;
  awareAt?: string | undefined;
  occurredAt?: string | undefined;
  nis2Applies?: boolean | undefined;
  personalData?: boolean | undefined;
  createdBy: string | null;
  organisationIds: readonly string[];
}

/** Inserts a case with the next reference of its year (INC-2026-0001) and its affected organisations. */
export async function insertCase(db: Kysely<DB>, c: NewCase): Promise<string> {
  const row = await db
    .insertInto('incident_cases')
    .values({
      reference: sql<string>`'INC-' || to_char(now() AT TIME ZONE 'Europe/Amsterdam', 'YYYY') || '-' || lpad(nextval('incident_case_number_seq')::text, 4, '0')`,
      title: c.title,
      description: c.description,
      intake: c.intake,
      status: c.status,
      ...(c.categoryClass ? { category_class: c.categoryClass } : {}),
      ...(c.categoryType ? { category_type: c.categoryType } : {}),
      ...(c.severity ? { severity: c.severity } : {}),
      ...(c.priority ? { priority: c.priority } : {}),
      ...(c.tlp ? { tlp: c.tlp } : {}),
      report: JSON.stringify(c.report),
      reporter_user_id: c.reporterUserId,
      reporter_name: c.reporterName,
      reporter_email: c.reporterEmail,
      reporter_phone: c.reporterPhone,
      ...(c.awareAt ? { aware_at: c.awareAt } : {}),
      occurred_at: c.occurredAt ?? null,
      ...(c.nis2Applies !== undefined ? { nis2_applies: c.nis2Applies } : {}),
      ...(c.personalData !== undefined ? { personal_data: c.personalData } : {}),
      custom_fields: '{}',
      created_by: c.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setOrganisations(db, row.id, c.organisationIds);
  return row.id;
}

export async function setOrganisations(db: Kysely<DB>, caseId: string, organisationIds: readonly string[]): Promise<void> {
  await db.deleteFrom('incident_case_organisations').where('case_id', '=', caseId).execute();
  if (organisationIds.length) await db.insertInto('incident_case_organisations').values(organisationIds.map((o) => ({ case_id: caseId, organisation_id: o }))).execute();
}

export async function setAssignees(db: Kysely<DB>, caseId: string, userIds: readonly string[]): Promise<void> {
  await db.deleteFrom('incident_case_assignees').where('case_id', '=', caseId).execute();
  if (userIds.length) await db.insertInto('incident_case_assignees').values(userIds.map((u) => ({ case_id: caseId, user_id: u }))).execute();
}

export async function findCase(db: Kysely<DB>, id: string, opts: { forUpdate?: boolean } = {}): Promise<CaseRow | undefined> {
  let q = db.selectFrom('incident_cases').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface Parties {
  affected: { id: string; name: string }[];
  guests: { id: string; name: string; kind: string; invitedAt: Date }[];
}

export async function partiesOf(db: Kysely<DB>, caseId: string): Promise<Parties> {
  const [affected, guests] = await Promise.all([
    db
      .selectFrom('incident_case_organisations as co')
      .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
      .select(['o.id', 'o.name'])
      .where('co.case_id', '=', caseId)
      .orderBy('o.name')
      .execute(),
    db
      .selectFrom('incident_case_guests as g')
      .innerJoin('organisations as o', 'o.id', 'g.organisation_id')
      .select(['o.id', 'o.name', 'o.kind', 'g.invited_at as invitedAt'])
      .where('g.case_id', '=', caseId)
      .where('g.revoked_at', 'is', null)
      .orderBy('o.name')
      .execute(),
  ]);
  return { affected, guests };
}

export async function assigneesOf(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('incident_case_assignees as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('a.case_id', '=', caseId)
    .orderBy('u.name')
    .execute();
}

export async function updateCase(db: Kysely<DB>, id: string, set: Updateable<IncidentCasesTable>): Promise<void> {
  await db.updateTable('incident_cases').set({ ...set, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export interface CaseListFilter {
  scope: RawBuilder<boolean> | null;
  status?: string | undefined;
  severity?: string | undefined;
  organisationId?: string | undefined;
  q?: string | undefined;
  after: { at: string; id: string } | null;
  limit: number;
}

export interface CaseListRow extends CaseRow {
  organisations: string[];
  open_tasks: number;
}

/** Newest first, keyset-paged; `scope` is the policy's SQL rule for what the reader may see. */
export async function listCases(db: Kysely<DB>, f: CaseListFilter): Promise<CaseListRow[]> {
  const where: RawBuilder<boolean>[] = [sql<boolean>`c.merged_into_id IS NULL`];
  if (f.scope) where.push(f.scope);
  if (f.status === 'open') where.push(sql<boolean>`c.status <> 'closed'`);
  else if (f.status) where.push(sql<boolean>`c.status = ${f.status}`);
  if (f.severity) where.push(sql<boolean>`c.severity = ${f.severity}`);
  if (f.organisationId) where.push(sql<boolean>`EXISTS (SELECT 1 FROM incident_case_organisations x WHERE x.case_id = c.id AND x.organisation_id = ${f.organisationId})`);
  if (f.q) where.push(sql<boolean>`(c.title ILIKE ${`%${escapeLike(f.q)}%`} OR c.reference ILIKE ${`%${escapeLike(f.q)}%`})`);
  if (f.after) where.push(sql<boolean>`(c.opened_at, c.id) < (${f.after.at}::timestamptz, ${f.after.id}::uuid)`);
  const r = await sql<CaseListRow>`SELECT c.*,
      ARRAY(SELECT o.name FROM incident_case_organisations co JOIN organisations o ON o.id = co.organisation_id WHERE co.case_id = c.id ORDER BY o.name) AS organisations,
      (SELECT count(*) FROM incident_tasks t WHERE t.case_id = c.id AND t.status = 'open')::int AS open_tasks
    FROM incident_cases c WHERE ${sql.join(where, sql` AND `)}
    ORDER BY c.opened_at DESC, c.id DESC LIMIT ${f.limit}`.execute(db);
  return r.rows;
}


// --- guests, links, merge ---

export async function upsertGuest(db: Kysely<DB>, caseId: string, organisationId: string, invitedBy: string): Promise<void> {
  await db
    .insertInto('incident_case_guests')
    .values({ case_id: caseId, organisation_id: organisationId, invited_by: invitedBy })
    .onConflict((oc) => oc.columns(['case_id', 'organisation_id']).doUpdateSet({ revoked_at: null, invited_by: invitedBy }))
    .execute();
}

export async function revokeGuest(db: Kysely<DB>, caseId: string, organisationId: string): Promise<boolean> {
  const r = await db.updateTable('incident_case_guests').set({ revoked_at: sql`now()` }).where('case_id', '=', caseId).where('organisation_id', '=', organisationId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function linkCases(db: Kysely<DB>, a: string, b: string, by: string): Promise<void> {
  const [x, y] = a < b ? [a, b] : [b, a];
  await db.insertInto('incident_case_links').values({ case_a: x, case_b: y, created_by: by }).onConflict((oc) => oc.doNothing()).execute();
}

export async function unlinkCases(db: Kysely<DB>, a: string, b: string): Promise<void> {
  const [x, y] = a < b ? [a, b] : [b, a];
  await db.deleteFrom('incident_case_links').where('case_a', '=', x).where('case_b', '=', y).execute();
}

export async function relatedCases(db: Kysely<DB>, caseId: string) {
  const r = await sql<{ id: string; reference: string; title: string; status: string; relation: 'link' | 'merged_into' | 'merged_from' }>`
    SELECT c.id, c.reference, c.title, c.status, 'link' AS relation FROM incident_case_links l
      JOIN incident_cases c ON c.id = CASE WHEN l.case_a = ${caseId} THEN l.case_b ELSE l.case_a END
      WHERE l.case_a = ${caseId} OR l.case_b = ${caseId}
    UNION ALL SELECT c.id, c.reference, c.title, c.status, 'merged_into' FROM incident_cases s JOIN incident_cases c ON c.id = s.merged_into_id WHERE s.id = ${caseId}
    UNION ALL SELECT c.id, c.reference, c.title, c.status, 'merged_from' FROM incident_cases c WHERE c.merged_into_id = ${caseId}
    ORDER BY reference`.execute(db);
  return r.rows;
}

/** Moves everything of `from` into `into` (a merge): parties, tasks, timeline, observables, messages, evidence. */
export async function moveCaseContents(db: Kysely<DB>, from: string, into: string): Promise<void> {
  await sql`INSERT INTO incident_case_organisations (case_id, organisation_id) SELECT ${into}, organisation_id FROM incident_case_organisations WHERE case_id = ${from} ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO incident_case_guests (case_id, organisation_id, invited_by, invited_at, revoked_at) SELECT ${into}, organisation_id, invited_by, invited_at, revoked_at FROM incident_case_guests WHERE case_id = ${from} ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO incident_case_assignees (case_id, user_id) SELECT ${into}, user_id FROM incident_case_assignees WHERE case_id = ${from} ON CONFLICT DO NOTHING`.execute(db);
  for (const table of ['incident_tasks', 'incident_timeline', 'incident_messages', 'incident_evidence', 'incident_evidence_requests', 'incident_custody'] as const) {
    await sql`UPDATE ${sql.table(table)} SET case_id = ${into} WHERE case_id = ${from}`.execute(db);
  }
  await sql`UPDATE incident_observables o SET case_id = ${into} WHERE case_id = ${from}
    AND NOT EXISTS (SELECT 1 FROM incident_observables x WHERE x.case_id = ${into} AND x.type = o.type AND x.value = o.value)`.execute(db);
}

export async function caseReferences(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.selectFrom('incident_cases').select(['id', 'reference']).where('id', 'in', ids).execute();
}

/** The participant a mail comes from: a user's organisation first, else a contact's. */
export async function senderOrganisation(db: Kysely<DB>, email: string) {
  const r = await sql<{ organisation_id: string; user_id: string | null; name: string | null }>`
    SELECT * FROM (
      SELECT u.organisation_id, u.id AS user_id, u.name, 1 AS rank FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE lower(u.email) = lower(${email}) AND u.status = 'active' AND o.kind = 'participant'
      UNION ALL
      SELECT c.organisation_id, NULL, c.name, 2 FROM contacts c JOIN organisations o ON o.id = c.organisation_id
        WHERE lower(c.email) = lower(${email}) AND o.kind = 'participant'
    ) s ORDER BY rank LIMIT 1`.execute(db);
  return r.rows[0];
}

/** A case already opened from this mail (a sender that retries after a lost 250 must not open a second). */
export async function caseFromMessageId(db: Kysely<DB>, messageId: string) {
  return db.selectFrom('incident_cases').select(['id', 'reference']).where(sql<boolean>`report->>'messageId' = ${messageId}`).executeTakeFirst();
}

export async function organisationsOfKinds(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', 'in', ids).execute();
}
