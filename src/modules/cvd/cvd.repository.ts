import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { CvdAttachmentsTable, CvdCasesTable, CvdMessagesTable, CvdPartiesTable, CvdScope } from '#db/schema-cvd.ts';
import { CVD_CLOSED_STATUSES } from '#db/schema-cvd.ts';
import { escapeLike } from '#db/like.ts';

/* The SQL of the CVD module: cases, parties, channels, attachments, events, reminders, form tickets. */

export type CvdCaseRow = Selectable<CvdCasesTable>;
export type CvdPartyRow = Selectable<CvdPartiesTable>;
export type CvdMessageRow = Selectable<CvdMessagesTable>;
export type CvdAttachmentRow = Selectable<CvdAttachmentsTable>;

export async function nextReference(db: Kysely<DB>, at: Date): Promise<string> {
  const r = await sql<{ n: string | number }>`SELECT nextval('cvd_case_number_seq') AS n`.execute(db);
  const n = Number(r.rows[0]?.n);
  return `CVD-${at.getUTCFullYear()}-${String(n).padStart(4, '0')}`;
}

export async function insertCase(db: Kysely<DB>, values: Insertable<CvdCasesTable>): Promise<string> {
  const row = await db.insertInto('cvd_cases').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findCase(db: Kysely<DB>, id: string, opts: { forUpdate?: boolean } = {}): Promise<CvdCaseRow | undefined> {
  let q = db.selectFrom('cvd_cases').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function caseFromMessageId(db: Kysely<DB>, messageId: string): Promise<{ id: string; reference: string } | undefined> {
  return db.selectFrom('cvd_cases').select(['id', 'reference']).where('mail_message_id', '=', messageId).executeTakeFirst();
}

export async function updateCase(db: Kysely<DB>, id: string, values: Updateable<CvdCasesTable>): Promise<void> {
  await db
    .updateTable('cvd_cases')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export interface ListFilter {
  scope: RawBuilder<boolean> | null;
  status?: string | undefined;
  open?: boolean | undefined;
  q?: string | undefined;
  after: { at: string; id: string } | null;
  limit: number;
}

export async function listCases(db: Kysely<DB>, f: ListFilter) {
  let q = db
    .selectFrom('cvd_cases as c')
    .select([
      'c.id',
      'c.reference',
      'c.status',
      'c.title',
      'c.target_kind',
      'c.target',
      'c.vendor',
      'c.product',
      'c.model',
      'c.received_at',
      'c.first_response_due',
      'c.first_response_at',
      'c.disclosure_due',
      'c.closed_at',
      sql<number>`(SELECT count(*)::int FROM cvd_parties p WHERE p.case_id = c.id AND p.kind <> 'finder')`.as('party_count'),
    ])
    .orderBy('c.received_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(f.limit);
  if (f.scope) q = q.where(f.scope);
  if (f.status) q = q.where('c.status', '=', f.status as CvdCaseRow['status']);
  if (f.open !== undefined) q = q.where('c.closed_at', f.open ? 'is' : 'is not', null);
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    q = q.where((eb) => eb.or([eb('c.title', 'ilike', pattern), eb('c.reference', 'ilike', pattern), eb('c.target', 'ilike', pattern), eb('c.product', 'ilike', pattern), eb('c.vendor', 'ilike', pattern)]));
  }
  if (f.after) {
    const { at, id } = f.after;
    q = q.where((eb) => eb.or([eb('c.received_at', '<', new Date(at)), eb.and([eb('c.received_at', '=', new Date(at)), eb('c.id', '<', id)])]));
  }
  return q.execute();
}

// ---------------------------------------------------------------------------------------------
// Parties

export async function partiesOf(db: Kysely<DB>, caseId: string): Promise<CvdPartyRow[]> {
  return db.selectFrom('cvd_parties').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
}

export async function insertParty(db: Kysely<DB>, values: Insertable<CvdPartiesTable>): Promise<CvdPartyRow> {
  return db.insertInto('cvd_parties').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateParty(db: Kysely<DB>, id: string, values: Updateable<CvdPartiesTable>): Promise<void> {
  await db
    .updateTable('cvd_parties')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function partyByTokenHash(db: Kysely<DB>, tokenHash: string): Promise<CvdPartyRow | undefined> {
  return db.selectFrom('cvd_parties').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Channels

export async function insertMessage(db: Kysely<DB>, values: Insertable<CvdMessagesTable>): Promise<CvdMessageRow> {
  return db.insertInto('cvd_messages').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findMessage(db: Kysely<DB>, caseId: string, id: string): Promise<CvdMessageRow | undefined> {
  return db.selectFrom('cvd_messages').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
}

/** A case's messages; with `partyId` only that party's channel (never the CERT's notes). */
export async function messagesOf(db: Kysely<DB>, caseId: string, partyId?: string) {
  let q = db
    .selectFrom('cvd_messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_user_id')
    .select(['m.id', 'm.party_id', 'm.direction', 'm.body', 'm.author_user_id', 'm.relayed_from_id', 'm.created_at', 'u.name as author_name'])
    .where('m.case_id', '=', caseId)
    .orderBy('m.created_at')
    .orderBy('m.id');
  if (partyId !== undefined) q = q.where('m.party_id', '=', partyId).where('m.direction', '<>', 'note');
  return q.execute();
}
export type MessageWithAuthor = Awaited<ReturnType<typeof messagesOf>>[number];

// ---------------------------------------------------------------------------------------------
// Attachments

export async function insertAttachment(db: Kysely<DB>, values: Insertable<CvdAttachmentsTable>): Promise<CvdAttachmentRow> {
  return db.insertInto('cvd_attachments').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function attachmentsOf(db: Kysely<DB>, caseId: string): Promise<CvdAttachmentRow[]> {
  return db.selectFrom('cvd_attachments').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
}

export async function findAttachment(db: Kysely<DB>, caseId: string, id: string): Promise<CvdAttachmentRow | undefined> {
  return db.selectFrom('cvd_attachments').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
}

export async function shareAttachment(db: Kysely<DB>, id: string, partyId: string): Promise<void> {
  await db
    .updateTable('cvd_attachments')
    .set({ shared_with: sql<string[]>`array(SELECT DISTINCT unnest(shared_with || ARRAY[${partyId}::uuid]))` })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Events, names, scope

export async function insertEvent(db: Kysely<DB>, e: { caseId: string; kind: string; text: string; reason?: string | null; actorUserId: string | null }): Promise<void> {
  await db
    .insertInto('cvd_events')
    .values({ case_id: e.caseId, kind: e.kind, text: e.text, reason: e.reason ?? null, actor_user_id: e.actorUserId })
    .execute();
}

export async function eventsOf(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('cvd_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.at', 'e.kind', 'e.text', 'e.reason', 'u.name as actor_name'])
    .where('e.case_id', '=', caseId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

export async function userName(db: Kysely<DB>, id: string): Promise<string | null> {
  const row = await db.selectFrom('users').select(['name', 'email']).where('id', '=', id).executeTakeFirst();
  return row ? row.name || row.email : null;
}

export async function certUser(db: Kysely<DB>, id: string): Promise<{ id: string; name: string } | undefined> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('u.id', '=', id)
    .where('o.kind', '=', 'cert')
    .where('u.status', '=', 'active')
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name || row.email } : undefined;
}

export async function organisationsByIds(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.selectFrom('organisations').select(['id', 'name', 'kind', 'membership_status']).where('id', 'in', [...ids]).execute();
}

export async function organisation(db: Kysely<DB>, id: string) {
  return db.selectFrom('organisations').select(['id', 'name', 'kind', 'membership_status', 'cvd_delegated']).where('id', '=', id).executeTakeFirst();
}

/**
 * Participants that declared an approved product asset of this vendor and product (and model, when
 * both name one): the parties of a medical-device case. Matched case-insensitively on the names.
 */
export async function declaredProductOwners(db: Kysely<DB>, p: { vendor: string; product: string; model: string | null }) {
  let q = db
    .selectFrom('assets as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['o.id', 'o.name', 'a.value'])
    .where('a.type', '=', 'product')
    .where('a.status', '=', 'approved')
    .where('o.kind', '=', 'participant')
    .where('o.membership_status', '=', 'active')
    .where(sql<boolean>`lower(a.product->>'vendor') = lower(${p.vendor})`)
    .where(sql<boolean>`lower(a.product->>'product') = lower(${p.product})`);
  if (p.model) q = q.where(sql<boolean>`(a.product->>'model' IS NULL OR a.product->>'model' = '' OR lower(a.product->>'model') = lower(${p.model}))`);
  return q.orderBy('o.name').execute();
}

export async function setScope(db: Kysely<DB>, id: string, scope: CvdScope): Promise<void> {
  await db.updateTable('cvd_cases').set({ scope: JSON.stringify(scope) }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Deadlines and the public side

/** Open cases whose clocks a reminder may be due for. */
export async function openCases(db: Kysely<DB>) {
  return db
    .selectFrom('cvd_cases')
    .select(['id', 'reference', 'title', 'status', 'assignee_user_id', 'received_at', 'first_response_due', 'first_response_at', 'disclosure_due', 'closed_at'])
    .where('closed_at', 'is', null)
    .where('status', 'not in', [...CVD_CLOSED_STATUSES])
    .orderBy('first_response_due')
    .execute();
}

/** Claims a reminder: true the first time for this case, clock and stage, false ever after. */
export async function claimReminder(db: Kysely<DB>, caseId: string, clock: 'first_response' | 'disclosure', stage: 'soon' | 'overdue'): Promise<boolean> {
  const r = await db.insertInto('cvd_reminders').values({ case_id: caseId, clock, stage }).onConflict((oc) => oc.doNothing()).returning('case_id').executeTakeFirst();
  return r !== undefined;
}

/** Forgets the reminders of a clock whose date moved, so the new date gets its own. */
export async function resetReminders(db: Kysely<DB>, caseId: string, clock: 'first_response' | 'disclosure'): Promise<void> {
  await db.deleteFrom('cvd_reminders').where('case_id', '=', caseId).where('clock', '=', clock).execute();
}

/** Spends a form ticket: true the first time, false for a replay. */
export async function useFormTicket(db: Kysely<DB>, nonce: string): Promise<boolean> {
  const r = await db.insertInto('cvd_form_tickets').values({ nonce }).onConflict((oc) => oc.doNothing()).returning('nonce').executeTakeFirst();
  return r !== undefined;
}

export async function sweepFormTickets(db: Kysely<DB>, before: Date): Promise<number> {
  const r = await db.deleteFrom('cvd_form_tickets').where('used_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Disclosed cases whose finder asked for credit: the public acknowledgements page. */
export async function acknowledgements(db: Kysely<DB>) {
  return db
    .selectFrom('cvd_cases as c')
    .leftJoin('products as p', 'p.id', 'c.advisory_id')
    .select(['c.reference', 'c.credit', 'c.credit_name', 'c.cve_id', 'c.disclosed_at', 'c.title', 'p.identifier as advisory_identifier', 'p.tlp as advisory_tlp', 'p.status as advisory_status'])
    .where('c.status', '=', 'disclosed')
    .where('c.credit', '<>', 'none')
    .orderBy('c.disclosed_at', 'desc')
    .execute();
}

export async function advisoryOf(db: Kysely<DB>, productId: string) {
  return db.selectFrom('products').select(['id', 'identifier', 'status', 'tlp']).where('id', '=', productId).executeTakeFirst();
}

export async function statusCounts(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('cvd_cases').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

export async function usersByIds(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.selectFrom('users').select(['id', 'email']).where('id', 'in', [...ids]).where('status', '=', 'active').execute();
}

/** The finder party of each case (for redacting what a party's list shows). */
export async function findersOf(db: Kysely<DB>, caseIds: readonly string[]) {
  if (!caseIds.length) return [];
  return db.selectFrom('cvd_parties').select(['case_id', 'name', 'email']).where('case_id', 'in', [...caseIds]).where('kind', '=', 'finder').execute();
}
