import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { ChatState, RequestMessageKind } from '#db/schema-requests.ts';

/** A chat is an information request with channel 'chat'; these are the columns the chat shows. */
const chatColumns = [
  'r.id',
  'r.reference',
  'r.organisation_id',
  'o.name as organisation_name',
  'r.subject',
  'r.topic',
  'r.status',
  'r.chat_state',
  'r.channel',
  'r.asker_user_id',
  'asker.name as asker_name',
  'asker.email as asker_email',
  'asker.role as asker_role',
  'r.assignee_id',
  'assignee.name as assignee_name',
  'assignee.role as assignee_role',
  'r.created_at',
  'r.updated_at',
] as const;

function chats(db: Kysely<DB>) {
  return db
    .selectFrom('info_requests as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .leftJoin('users as asker', 'asker.id', 'r.asker_user_id')
    .leftJoin('users as assignee', 'assignee.id', 'r.assignee_id')
    .where('r.chat_state', 'is not', null);
}

export type ChatRow = NonNullable<Awaited<ReturnType<typeof findChat>>>;

export async function findChat(db: Kysely<DB>, id: string) {
  return chats(db).select(chatColumns).where('r.id', '=', id).executeTakeFirst();
}

/** Locks the request row: picking up, ending and converting must not race each other. */
export async function lockChat(db: Kysely<DB>, id: string): Promise<{ chat_state: ChatState | null } | undefined> {
  return db.selectFrom('info_requests').select('chat_state').where('id', '=', id).forUpdate().executeTakeFirst();
}

/** `organisationIds` null: every organisation (the CERT). */
export async function listChats(db: Kysely<DB>, p: { organisationIds: readonly string[] | null; state: ChatState | undefined; limit: number }) {
  let q = chats(db).select(chatColumns);
  if (p.organisationIds !== null) {
    if (p.organisationIds.length === 0) return [];
    q = q.where('r.organisation_id', 'in', p.organisationIds);
  }
  if (p.state) q = q.where('r.chat_state', '=', p.state);
  // The queue is served oldest first: whoever waited longest is helped first.
  return q
    .orderBy('r.created_at', p.state === 'waiting' ? 'asc' : 'desc')
    .orderBy('r.id')
    .limit(p.limit)
    .execute();
}

/** REQ-2026-0001: the year and the requests' sequence, which never hands out a number twice. */
export async function nextReference(db: Kysely<DB>, at: Date): Promise<string> {
  const { rows } = await sql<{ n: string }>`SELECT nextval('info_request_number_seq')::text AS n`.execute(db);
  return `REQ-${at.getUTCFullYear()}-${rows[0]!.n.padStart(4, '0')}`;
}

export async function insertChat(
  db: Kysely<DB>,
  r: {
    reference: string;
    organisationId: string;
    askerUserId: string;
    askerEmail: string;
    askerName: string;
    topic: string;
    subject: string;
    language: 'nl' | 'en';
    firstAnswerDue: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('info_requests')
    .values({
      reference: r.reference,
      organisation_id: r.organisationId,
      asker_user_id: r.askerUserId,
      asker_email: r.askerEmail,
      asker_name: r.askerName,
      topic: r.topic,
      subject: r.subject,
      channel: 'chat',
      language: r.language,
      first_answer_due: r.firstAnswerDue,
      mail_token: randomBytes(12).toString('base64url'),
      chat_state: 'waiting',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setChatState(db: Kysely<DB>, id: string, p: { state: ChatState; assigneeId?: string }): Promise<void> {
  await db
    .updateTable('info_requests')
    .set({ chat_state: p.state, updated_at: new Date(), ...(p.assigneeId !== undefined && { assignee_id: p.assigneeId }) })
    .where('id', '=', id)
    .execute();
}

/** A CERT answer in the chat is the request's first answer (the SLA is met) and marks it answered. */
export async function markAnswered(db: Kysely<DB>, id: string, at: Date): Promise<void> {
  await db
    .updateTable('info_requests')
    .set({
      first_answered_at: sql<Date>`coalesce(first_answered_at, ${at})`,
      status: sql<'answered'>`CASE WHEN status = 'new' THEN 'answered' ELSE status END`,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

export async function touch(db: Kysely<DB>, id: string, at: Date): Promise<void> {
  await db.updateTable('info_requests').set({ updated_at: at }).where('id', '=', id).execute();
}

const messageColumns = [
  'm.id',
  'm.request_id',
  'm.kind',
  'm.channel',
  'm.author_user_id',
  'u.name as author_name',
  'u.role as author_role',
  'm.body',
  'm.created_at',
] as const;

export type MessageRow = NonNullable<Awaited<ReturnType<typeof findMessage>>>;

export async function insertMessage(
  db: Kysely<DB>,
  m: { requestId: string; kind: RequestMessageKind; authorUserId: string; body: string; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('info_request_messages')
    .values({ request_id: m.requestId, kind: m.kind, channel: 'chat', author_user_id: m.authorUserId, body: m.body, created_at: m.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findMessage(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('info_request_messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_user_id')
    .select(messageColumns)
    .where('m.id', '=', id)
    .where('m.held', '=', false)
    .executeTakeFirst();
}

/** The whole thread (not only the chat part: a chat may continue a request), notes only for the CERT. */
export async function listMessages(db: Kysely<DB>, requestId: string, p: { withNotes: boolean }) {
  let q = db
    .selectFrom('info_request_messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_user_id')
    .select(messageColumns)
    .where('m.request_id', '=', requestId)
    .where('m.held', '=', false);
  if (!p.withNotes) q = q.where('m.kind', '<>', 'note');
  return q.orderBy('m.created_at').orderBy('m.id').limit(2000).execute();
}

/** Names for presence and typing indicators: realtime events carry user ids only. */
export async function people(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('id', 'in', [...ids])
    .execute();
}
