import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { InfoRequestMessagesTable, InfoRequestsTable, RequestStatus } from '#db/schema-requests.ts';

/** SQL of information requests: tickets, their messages, held mail, topics and canned answers. */

export type RequestRow = Selectable<InfoRequestsTable> & { organisation_name: string; assignee_name: string | null; held_count: number };
export type MessageRow = Selectable<InfoRequestMessagesTable> & { author_name: string | null };

export async function nextReference(db: Kysely<DB>, at: Date): Promise<string> {
  const r = await sql<{ n: string | number }>`SELECT nextval('info_request_number_seq') AS n`.execute(db);
  return `REQ-${at.getUTCFullYear()}-${String(Number(r.rows[0]?.n)).padStart(4, '0')}`;
}

export async function insertRequest(db: Kysely<DB>, values: Insertable<InfoRequestsTable>): Promise<string> {
  return (await db.insertInto('info_requests').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertMessage(db: Kysely<DB>, values: Insertable<InfoRequestMessagesTable>): Promise<string> {
  return (await db.insertInto('info_request_messages').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

function requestQuery(db: Kysely<DB>) {
  return db
    .selectFrom('info_requests as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .leftJoin('users as a', 'a.id', 'r.assignee_id')
    .selectAll('r')
    .select(['o.name as organisation_name', 'a.name as assignee_name'])
    .select(sql<number>`(SELECT count(*)::int FROM info_request_messages m WHERE m.request_id = r.id AND m.held)`.as('held_count'));
}

export async function findRequest(db: Kysely<DB>, id: string): Promise<RequestRow | undefined> {
  return requestQuery(db).where('r.id', '=', id).executeTakeFirst();
}

export interface ListFilter {
  /** null: every organisation (the CERT). */
  organisationIds: readonly string[] | null;
  status?: RequestStatus;
  overdue?: boolean;
  assigneeId?: string;
  held?: boolean;
  q?: string;
  limit: number;
}

export async function listRequests(db: Kysely<DB>, f: ListFilter): Promise<RequestRow[]> {
  let q = requestQuery(db);
  if (f.organisationIds !== null) {
    if (f.organisationIds.length === 0) return [];
    q = q.where('r.organisation_id', 'in', f.organisationIds);
  }
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.overdue) q = q.where('r.first_answered_at', 'is', null).where('r.closed_at', 'is', null).where('r.first_answer_due', '<', new Date());
  if (f.assigneeId) q = q.where('r.assignee_id', '=', f.assigneeId);
  if (f.held) q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM info_request_messages m WHERE m.request_id = r.id AND m.held)`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('r.subject', 'ilike', like), eb('r.reference', 'ilike', like), eb('r.topic', 'ilike', like)]));
  }
  return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(f.limit).execute();
}

export async function updateRequest(db: Kysely<DB>, id: string, values: Updateable<InfoRequestsTable>): Promise<void> {
  await db
    .updateTable('info_requests')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function listMessages(db: Kysely<DB>, requestId: string, opts: { notes: boolean; held: boolean }): Promise<MessageRow[]> {
  let q = db
    .selectFrom('info_request_messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_user_id')
    .selectAll('m')
    .select('u.name as author_name')
    .where('m.request_id', '=', requestId);
  if (!opts.notes) q = q.where('m.kind', '!=', 'note');
  if (!opts.held) q = q.where('m.held', '=', false);
  return q.orderBy('m.created_at').orderBy('m.id').execute();
}

export async function findMessage(db: Kysely<DB>, id: string) {
  return db.selectFrom('info_request_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteMessage(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('info_request_messages').where('id', '=', id).execute();
}

export async function releaseMessage(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('info_request_messages').set({ held: false }).where('id', '=', id).execute();
}

/** Whether a mail with this Message-ID was taken already (as a message or as held mail). */
export async function messageIdKnown(db: Kysely<DB>, messageId: string): Promise<boolean> {
  const m = await db.selectFrom('info_request_messages').select('id').where('message_id', '=', messageId).executeTakeFirst();
  if (m) return true;
  return !!(await db.selectFrom('info_request_held_mail').select('id').where('message_id', '=', messageId).executeTakeFirst());
}

/** The request a mail replies to: one of the Message-IDs it names is a message of that request. */
export async function requestByMessageIds(db: Kysely<DB>, ids: readonly string[]): Promise<string | undefined> {
  if (ids.length === 0) return undefined;
  const row = await db.selectFrom('info_request_messages').select('request_id').where('message_id', 'in', ids).orderBy('created_at', 'desc').executeTakeFirst();
  return row?.request_id;
}

export async function requestByToken(db: Kysely<DB>, reference: string, token: string): Promise<string | undefined> {
  const row = await db.selectFrom('info_requests').select('id').where('reference', '=', reference).where('mail_token', '=', token).executeTakeFirst();
  return row?.id;
}

/** The question that opened the request (its Message-ID is what answers reply to). */
export async function firstQuestion(db: Kysely<DB>, requestId: string) {
  return db
    .selectFrom('info_request_messages')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('kind', '=', 'question')
    .where('held', '=', false)
    .orderBy('created_at')
    .executeTakeFirst();
}

/** The Message-IDs of the thread, oldest first: what an answer's References carry. */
export async function threadMessageIds(db: Kysely<DB>, requestId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('info_request_messages')
    .select('message_id')
    .where('request_id', '=', requestId)
    .where('message_id', 'is not', null)
    .where('kind', '!=', 'note')
    .where('held', '=', false)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.message_id!);
}

export interface KnownSender {
  organisationId: string;
  userId: string | null;
  name: string | null;
  pgpKey: string | null;
  pgpFingerprint: string | null;
}

/**
 * Who an address belongs to among the participants: a contact or an active user of a participant
 * organisation. Several matches (one address as contact of two organisations) are all returned.
 */
export async function knownSenders(db: Kysely<DB>, address: string): Promise<KnownSender[]> {
  const a = address.trim().toLowerCase();
  const contacts = await db
    .selectFrom('contacts as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select(['c.organisation_id', 'c.user_id', 'c.name', 'c.pgp_public_key', 'c.pgp_fingerprint'])
    .where(sql<string>`lower(c.email)`, '=', a)
    .where('o.kind', '=', 'participant')
    .execute();
  const users = await db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.organisation_id', 'u.name'])
    .where(sql<string>`lower(u.email)`, '=', a)
    .where('u.status', '=', 'active')
    .where('o.kind', '=', 'participant')
    .execute();
  const out: KnownSender[] = contacts.map((c) => ({
    organisationId: c.organisation_id,
    userId: c.user_id,
    name: c.name,
    pgpKey: c.pgp_public_key,
    pgpFingerprint: c.pgp_fingerprint,
  }));
  for (const u of users) {
    const same = out.find((o) => o.organisationId === u.organisation_id);
    if (same) same.userId ??= u.id;
    else out.push({ organisationId: u.organisation_id, userId: u.id, name: u.name, pgpKey: null, pgpFingerprint: null });
  }
  return out;
}

/** The OpenPGP key of the organisation's contact with this address, for encrypting an answer. */
export async function contactKey(db: Kysely<DB>, organisationId: string, address: string) {
  return db
    .selectFrom('contacts')
    .select(['pgp_public_key', 'pgp_fingerprint', 'name'])
    .where('organisation_id', '=', organisationId)
    .where(sql<string>`lower(email)`, '=', address.trim().toLowerCase())
    .executeTakeFirst();
}

export async function userById(db: Kysely<DB>, id: string) {
  return db.selectFrom('users').select(['id', 'name', 'email', 'organisation_id', 'locale', 'role']).where('id', '=', id).executeTakeFirst();
}

// ---- held mail without a thread

export async function insertHeldMail(
  db: Kysely<DB>,
  v: { messageId: string; from: string; subject: string; body: string; pgp: string | null; reason: string },
): Promise<void> {
  await db
    .insertInto('info_request_held_mail')
    .values({ message_id: v.messageId, from_address: v.from, subject: v.subject, body: v.body, pgp: v.pgp, reason: v.reason })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

export async function listHeldMail(db: Kysely<DB>) {
  return db.selectFrom('info_request_held_mail').selectAll().orderBy('received_at', 'desc').limit(200).execute();
}

export async function findHeldMail(db: Kysely<DB>, id: string) {
  return db.selectFrom('info_request_held_mail').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteHeldMail(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('info_request_held_mail').where('id', '=', id).execute();
}

/** Held replies inside requests (from an address that is not a known contact of the organisation). */
export async function listHeldMessages(db: Kysely<DB>) {
  return db
    .selectFrom('info_request_messages as m')
    .innerJoin('info_requests as r', 'r.id', 'm.request_id')
    .select(['m.id', 'm.request_id', 'r.reference', 'm.from_address', 'm.body', 'm.pgp', 'm.created_at'])
    .where('m.held', '=', true)
    .orderBy('m.created_at', 'desc')
    .limit(200)
    .execute();
}

// ---- topics and canned answers

export async function listTopics(db: Kysely<DB>, includeInactive: boolean) {
  let q = db.selectFrom('info_request_topics').selectAll();
  if (!includeInactive) q = q.where('active', '=', true);
  return q.orderBy('name_nl').execute();
}

export async function insertTopic(db: Kysely<DB>, v: { nameNl: string; nameEn: string }) {
  return db.insertInto('info_request_topics').values({ name_nl: v.nameNl, name_en: v.nameEn }).returningAll().executeTakeFirstOrThrow();
}

export async function updateTopic(db: Kysely<DB>, id: string, v: { name_nl?: string | undefined; name_en?: string | undefined; active?: boolean | undefined }) {
  const set = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== undefined));
  // An empty patch changes nothing (and an UPDATE without SET is no SQL): the topic as it is.
  if (Object.keys(set).length === 0) return db.selectFrom('info_request_topics').selectAll().where('id', '=', id).executeTakeFirst();
  return db.updateTable('info_request_topics').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function listCanned(db: Kysely<DB>) {
  return db.selectFrom('info_request_canned_answers').selectAll().orderBy('title').execute();
}

export async function insertCanned(db: Kysely<DB>, v: { title: string; body: string; language: 'nl' | 'en'; createdBy: string }) {
  return db
    .insertInto('info_request_canned_answers')
    .values({ title: v.title, body: v.body, language: v.language, created_by: v.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateCanned(db: Kysely<DB>, id: string, v: { title?: string; body?: string; language?: 'nl' | 'en' }) {
  return db
    .updateTable('info_request_canned_answers')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCanned(db: Kysely<DB>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('info_request_canned_answers').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
