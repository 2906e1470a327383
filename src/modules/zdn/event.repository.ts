import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { tlpVisibilitySql } from '#modules/access/policy.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';
import type { Tlp } from '#lib/tlp.ts';
import { EVENT_OBJECT_TYPE, visibleIndicator } from './indicator.repository.ts';

const visibleEvent = (actor: Actor | null) => tlpVisibilitySql(actor, EVENT_OBJECT_TYPE, { id: 'e.id', tlp: 'e.tlp', owner: 'e.owner_organisation_id' });

const columns = [
  'e.id',
  'e.owner_organisation_id',
  'e.source_anonymous',
  'e.title',
  'e.description',
  'e.tlp',
  'e.threat_level',
  'e.analysis',
  'e.event_date',
  'e.tags',
  'e.origin',
  'e.created_at',
  'e.updated_at',
] as const;

export async function insertEvent(
  db: Kysely<DB>,
  e: {
    id?: string | undefined;
    owner: string;
    title: string;
    description: string;
    tlp: Tlp;
    threatLevel: number;
    analysis: number;
    date?: string | undefined;
    tags: string[];
    sourceAnonymous: boolean;
    origin: 'api' | 'misp' | 'stix' | 'csv' | 'text' | 'demo';
    createdBy: string | null;
    recipients: readonly { organisationId: string; userId?: string | null | undefined }[];
  },
): Promise<string> {
  const row = await db
    .insertInto('zdn_events')
    .values({
      ...(e.id ? { id: e.id } : {}),
      owner_organisation_id: e.owner,
      title: e.title,
      description: e.description,
      tlp: e.tlp,
      threat_level: e.threatLevel,
      analysis: e.analysis,
      ...(e.date ? { event_date: e.date } : {}),
      tags: e.tags,
      source_anonymous: e.sourceAnonymous,
      origin: e.origin,
      created_by: e.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (e.recipients.length) {
    await db
      .insertInto('tlp_recipients')
      .values(e.recipients.map((r) => ({ object_type: EVENT_OBJECT_TYPE, object_id: row.id, organisation_id: r.organisationId, user_id: r.userId ?? null })))
      .execute();
  }
  return row.id;
}

/** How many of the event's shared indicators this reader may see: a count must not tell of the others. */
const visibleIndicatorCount = (reader: Actor | null) =>
  sql<number>`(SELECT count(*)::int FROM zdn_indicators i WHERE i.event_id = e.id AND i.status = 'active' AND ${visibleIndicator(reader)})`;

/** An event with the number of its indicators that `reader` may see. */
export async function findEvent(db: Kysely<DB>, id: string, reader: Actor | null) {
  return db
    .selectFrom('zdn_events as e')
    .select(columns)
    .select(sql<string>`to_char(e.event_date, 'YYYY-MM-DD')`.as('date_text'))
    .select(visibleIndicatorCount(reader).as('indicator_count'))
    .where('e.id', '=', id)
    .executeTakeFirst();
}
export type EventRow = NonNullable<Awaited<ReturnType<typeof findEvent>>>;

/** The event's own columns, without counting its indicators: for writers, who need only the marking. */
export async function findEventCore(db: Kysely<DB>, id: string) {
  return db.selectFrom('zdn_events as e').select(columns).where('e.id', '=', id).executeTakeFirst();
}

export async function eventRecipients(db: Kysely<DB>, id: string) {
  return db.selectFrom('tlp_recipients').select(['organisation_id as organisationId', 'user_id as userId']).where('object_type', '=', EVENT_OBJECT_TYPE).where('object_id', '=', id).execute();
}

export async function listVisibleEvents(db: Kysely<DB>, actor: Actor | null, q: { cursor?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('zdn_events as e')
    .select(columns)
    .select(sql<string>`to_char(e.event_date, 'YYYY-MM-DD')`.as('date_text'))
    .select(visibleIndicatorCount(actor).as('indicator_count'))
    .select(cursorTimestamp('e.created_at').as('cursor_at'))
    .where(visibleEvent(actor));
  const after = decodeCursor(q.cursor);
  if (after) query = query.where(sql<boolean>`(e.created_at, e.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

export async function touchEvent(db: Kysely<DB>, id: string) {
  await db.updateTable('zdn_events').set({ updated_at: sql`now()` }).where('id', '=', id).execute();
}
