import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { MaterialKind, MeetingStatus, MeetingTlp, RsvpStatus } from '#db/schema-meetings.ts';
import type { Actor } from '#modules/access/actor.ts';
import { audienceSql, tlpVisibilitySql, type MarkedObject } from '#modules/access/policy.ts';

/** SQL of the meetings module: meetings and their recipients, RSVPs, materials, feed tokens. */

export const MEETING_OBJECT = 'meeting';
export const MATERIAL_OBJECT = 'meeting_material';

const columns = [
  'm.id',
  'm.owner_organisation_id',
  'm.title',
  'm.description',
  'm.agenda',
  'm.starts_at',
  'm.ends_at',
  'm.place',
  'm.online_url',
  'm.capacity',
  'm.rsvp_deadline',
  'm.language',
  'm.tlp',
  'm.status',
  'm.sequence',
  'm.updated_at',
] as const;

/** The TLP rule of the policy, for the meetings table aliased `m`. */
export const meetingVisible = (actor: Actor | null) => tlpVisibilitySql(actor, MEETING_OBJECT, { id: 'm.id', tlp: 'm.tlp', owner: 'm.owner_organisation_id' });
const materialVisible = (actor: Actor | null) => tlpVisibilitySql(actor, MATERIAL_OBJECT, { id: 'mm.id', tlp: 'mm.tlp', owner: 'mm.owner_organisation_id' });

export async function findMeeting(db: Kysely<DB>, id: string) {
  return db.selectFrom('meetings as m').select(columns).where('m.id', '=', id).executeTakeFirst();
}
export type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;

/** Takes the meeting's row lock: RSVPs and capacity changes of one meeting go one at a time. */
export async function lockMeeting(db: Kysely<DB>, id: string) {
  return db.selectFrom('meetings as m').select(columns).where('m.id', '=', id).forUpdate().executeTakeFirst();
}

/** Meetings the actor may see, upcoming (soonest first) or past (latest first), optionally matching a text. */
export async function listVisible(
  db: Kysely<DB>,
  actor: Actor | null,
  q: { when: 'upcoming' | 'past' | 'feed'; q?: string | undefined; limit: number; now: Date },
) {
  let query = db.selectFrom('meetings as m').select(columns).where(meetingVisible(actor));
  if (q.when === 'upcoming') query = query.where('m.ends_at', '>=', q.now).orderBy('m.starts_at', 'asc');
  else if (q.when === 'past') query = query.where('m.ends_at', '<', q.now).orderBy('m.starts_at', 'desc');
  // The feed: what is coming and the last half year, so a calendar keeps recent history.
  else query = query.where('m.ends_at', '>=', new Date(q.now.getTime() - 183 * 86_400_000)).orderBy('m.starts_at', 'asc');
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('m.title', 'ilike', like), eb('m.description', 'ilike', like), eb('m.agenda', 'ilike', like)]));
  }
  return query.orderBy('m.id').limit(q.limit).execute();
}

export async function insertMeeting(
  db: Kysely<DB>,
  m: {
    owner: string;
    title: string;
    description: string;
    agenda: string;
    startsAt: Date;
    endsAt: Date;
    place: string | null;
    onlineUrl: string | null;
    capacity: number | null;
    rsvpDeadline: Date | null;
    language: 'nl' | 'en';
    tlp: MeetingTlp;
    createdBy: string | null;
  },
) {
  const row = await db
    .insertInto('meetings')
    .values({
      owner_organisation_id: m.owner,
      title: m.title,
      description: m.description,
      agenda: m.agenda,
      starts_at: m.startsAt,
      ends_at: m.endsAt,
      place: m.place,
      online_url: m.onlineUrl,
      capacity: m.capacity,
      rsvp_deadline: m.rsvpDeadline,
      language: m.language,
      tlp: m.tlp,
      created_by: m.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateMeeting(
  db: Kysely<DB>,
  id: string,
  set: Partial<{
    title: string;
    description: string;
    agenda: string;
    starts_at: Date;
    ends_at: Date;
    place: string | null;
    online_url: string | null;
    capacity: number | null;
    rsvp_deadline: Date | null;
    language: 'nl' | 'en';
    tlp: MeetingTlp;
    status: MeetingStatus;
  }>,
) {
  await db
    .updateTable('meetings')
    .set({ ...set, sequence: sql<number>`sequence + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function recipientsOf(db: Kysely<DB>, objectType: string, id: string) {
  return db
    .selectFrom('tlp_recipients')
    .select(['organisation_id as organisationId', 'user_id as userId'])
    .where('object_type', '=', objectType)
    .where('object_id', '=', id)
    .execute();
}

export async function setRecipients(db: Kysely<DB>, objectType: string, id: string, organisationIds: readonly string[]) {
  await db.deleteFrom('tlp_recipients').where('object_type', '=', objectType).where('object_id', '=', id).execute();
  if (organisationIds.length)
    await db
      .insertInto('tlp_recipients')
      .values(organisationIds.map((o) => ({ object_type: objectType, object_id: id, organisation_id: o, user_id: null })))
      .execute();
}

// ---- RSVPs

export async function rsvpCounts(db: Kysely<DB>, meetingIds: readonly string[]) {
  if (!meetingIds.length) return new Map<string, { going: number; waiting: number }>();
  const rows = await db
    .selectFrom('meeting_rsvps')
    .select([
      'meeting_id',
      sql<number>`count(*) FILTER (WHERE status = 'going')::int`.as('going'),
      sql<number>`count(*) FILTER (WHERE status = 'waiting')::int`.as('waiting'),
    ])
    .where('meeting_id', 'in', meetingIds)
    .groupBy('meeting_id')
    .execute();
  return new Map(rows.map((r) => [r.meeting_id, { going: r.going, waiting: r.waiting }]));
}

/** Everyone who wants a seat, in the order they asked: the seats go to the first ones. */
export async function wantingInOrder(db: Kysely<DB>, meetingId: string) {
  // A disabled user holds no seat: the next one on the waiting list gets it.
  return db
    .selectFrom('meeting_rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.user_id', 'r.status'])
    .where('r.meeting_id', '=', meetingId)
    .where('r.status', 'in', ['going', 'waiting'])
    .where('u.status', '=', 'active')
    .orderBy('r.queued_at')
    .orderBy('r.user_id')
    .execute();
}

export async function myRsvps(db: Kysely<DB>, userId: string, meetingIds: readonly string[]) {
  if (!meetingIds.length) return new Map<string, { status: RsvpStatus; waitingPosition: number | null }>();
  const rows = await db
    .selectFrom('meeting_rsvps as r')
    .select([
      'r.meeting_id',
      'r.status',
      sql<
        number | null
      >`CASE WHEN r.status = 'waiting' THEN (SELECT count(*)::int FROM meeting_rsvps w WHERE w.meeting_id = r.meeting_id AND w.status = 'waiting' AND (w.queued_at, w.user_id) <= (r.queued_at, r.user_id)) END`.as(
        'position',
      ),
    ])
    .where('r.user_id', '=', userId)
    .where('r.meeting_id', 'in', meetingIds)
    .execute();
  return new Map(rows.map((r) => [r.meeting_id, { status: r.status, waitingPosition: r.position }]));
}

export async function findRsvp(db: Kysely<DB>, meetingId: string, userId: string) {
  return db.selectFrom('meeting_rsvps').selectAll().where('meeting_id', '=', meetingId).where('user_id', '=', userId).executeTakeFirst();
}

/** Records an answer; wanting a seat (again) puts one at the back of the queue. */
export async function upsertRsvp(db: Kysely<DB>, r: { meetingId: string; userId: string; organisationId: string; wants: boolean }) {
  const status: RsvpStatus = r.wants ? 'waiting' : 'not_going';
  await db
    .insertInto('meeting_rsvps')
    .values({
      meeting_id: r.meetingId,
      user_id: r.userId,
      organisation_id: r.organisationId,
      status,
      queued_at: sql<Date>`clock_timestamp()`,
      responded_at: new Date(),
    })
    .onConflict((oc) =>
      oc
        .columns(['meeting_id', 'user_id'])
        .doUpdateSet({ status, queued_at: sql<Date>`clock_timestamp()`, responded_at: new Date(), reminded_at: null, organisation_id: r.organisationId }),
    )
    .execute();
}

export async function setRsvpStatus(db: Kysely<DB>, meetingId: string, userIds: readonly string[], status: RsvpStatus) {
  if (userIds.length) await db.updateTable('meeting_rsvps').set({ status }).where('meeting_id', '=', meetingId).where('user_id', 'in', userIds).execute();
}

/** The people of a meeting with their answer, seat holders first, then the waiting list in order. */
export async function attendees(db: Kysely<DB>, meetingId: string, statuses: readonly RsvpStatus[] = ['going', 'waiting', 'not_going']) {
  return db
    .selectFrom('meeting_rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select([
      'r.user_id',
      'r.status',
      'r.organisation_id',
      'r.responded_at',
      'u.name',
      'u.email',
      'u.locale',
      'u.status as user_status',
      'o.name as organisation_name',
    ])
    .where('r.meeting_id', '=', meetingId)
    .where('r.status', 'in', statuses)
    .orderBy(sql`CASE r.status WHEN 'going' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END`)
    .orderBy('r.queued_at')
    .orderBy('r.user_id')
    .execute();
}
export type AttendeeRow = Awaited<ReturnType<typeof attendees>>[number];

/** Seat holders of planned meetings starting within the window who were not reminded yet. */
export async function dueReminders(db: Kysely<DB>, from: Date, until: Date) {
  return db
    .selectFrom('meeting_rsvps as r')
    .innerJoin('meetings as m', 'm.id', 'r.meeting_id')
    .select(['r.meeting_id', 'r.user_id'])
    .where('m.status', '=', 'planned')
    .where('m.starts_at', '>', from)
    .where('m.starts_at', '<=', until)
    .where('r.status', '=', 'going')
    .where('r.reminded_at', 'is', null)
    .execute();
}

/** Claims one reminder: true only for the first caller, so a rerun or a second worker sends none. */
export async function claimReminder(db: Kysely<DB>, meetingId: string, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('meeting_rsvps')
    .set({ reminded_at: new Date() })
    .where('meeting_id', '=', meetingId)
    .where('user_id', '=', userId)
    .where('status', '=', 'going')
    .where('reminded_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- materials

const materialColumns = [
  'mm.id',
  'mm.meeting_id',
  'mm.owner_organisation_id',
  'mm.kind',
  'mm.title',
  'mm.tlp',
  'mm.file_name',
  'mm.media_type',
  'mm.size_bytes',
  'mm.sha256',
  'mm.created_at',
] as const;

/** The materials of a meeting the actor may see (the material's own marking, in SQL). */
export async function visibleMaterials(db: Kysely<DB>, actor: Actor | null, meetingId: string) {
  return db
    .selectFrom('meeting_materials as mm')
    .select(materialColumns)
    .where('mm.meeting_id', '=', meetingId)
    .where(materialVisible(actor))
    .orderBy('mm.created_at')
    // Materials added at the same moment (one transaction) in a fixed order.
    .orderBy('mm.title')
    .orderBy('mm.id')
    .execute();
}

export async function findMaterial(db: Kysely<DB>, meetingId: string, id: string) {
  return db.selectFrom('meeting_materials as mm').select(materialColumns).where('mm.meeting_id', '=', meetingId).where('mm.id', '=', id).executeTakeFirst();
}
export type MaterialRow = NonNullable<Awaited<ReturnType<typeof findMaterial>>>;

export async function materialContent(db: Kysely<DB>, id: string) {
  return db.selectFrom('meeting_materials').select('content').where('id', '=', id).executeTakeFirst();
}

export async function insertMaterial(
  db: Kysely<DB>,
  m: {
    meetingId: string;
    owner: string;
    kind: MaterialKind;
    title: string;
    tlp: MeetingTlp;
    fileName: string;
    mediaType: string;
    content: Buffer;
    sha256: string;
    uploadedBy: string | null;
  },
) {
  const row = await db
    .insertInto('meeting_materials')
    .values({
      meeting_id: m.meetingId,
      owner_organisation_id: m.owner,
      kind: m.kind,
      title: m.title,
      tlp: m.tlp,
      file_name: m.fileName,
      media_type: m.mediaType,
      size_bytes: m.content.byteLength,
      sha256: m.sha256,
      content: m.content,
      uploaded_by: m.uploadedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// ---- feed tokens

export async function replaceFeedToken(db: Kysely<DB>, userId: string, tokenHash: string) {
  return db
    .insertInto('meeting_feed_tokens')
    .values({ user_id: userId, token_hash: tokenHash })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: tokenHash, created_at: sql<Date>`now()` }))
    .returning('created_at')
    .executeTakeFirstOrThrow();
}

export async function feedTokenOf(db: Kysely<DB>, userId: string) {
  return db.selectFrom('meeting_feed_tokens').select('created_at').where('user_id', '=', userId).executeTakeFirst();
}

export async function userOfFeedToken(db: Kysely<DB>, tokenHash: string) {
  return db.selectFrom('meeting_feed_tokens').select('user_id').where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function usersByIds(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.selectFrom('users').select(['id', 'email', 'name', 'locale', 'status']).where('id', 'in', ids).execute();
}

/**
 * The active users among `ids` whom a marked object reaches (the policy's audienceSql): mail about a
 * meeting goes only to people who could open it in the portal today.
 */
export async function usersInAudience(db: Kysely<DB>, obj: MarkedObject, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.email', 'u.name', 'u.locale'])
    .where('u.id', 'in', ids)
    .where('u.status', '=', 'active')
    .where(audienceSql(obj, { organisationId: 'u.organisation_id', organisationKind: 'o.kind', userId: 'u.id' }))
    .execute();
}
