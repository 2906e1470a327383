import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { tlpVisibilitySql } from '#modules/access/policy.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';
import type { Tlp } from '#lib/tlp.ts';

export const OBJECT_TYPE = 'document';
const columns = ['d.id', 'd.owner_organisation_id', 'd.title', 'd.description', 'd.tlp', 'd.file_name', 'd.media_type', 'd.size_bytes', 'd.created_at'] as const;
const visible = (actor: Actor | null) => tlpVisibilitySql(actor, OBJECT_TYPE, { id: 'd.id', tlp: 'd.tlp', owner: 'd.owner_organisation_id' });

/** Documents the actor may see (the TLP rule in SQL), newest first. */
export async function listVisible(db: Kysely<DB>, actor: Actor | null, q: { cursor?: string | undefined; limit: number; tlp?: Tlp | undefined }) {
  let query = db.selectFrom('documents as d').select(columns).select(cursorTimestamp('d.created_at').as('cursor_at')).where(visible(actor));
  if (q.tlp) query = query.where('d.tlp', '=', q.tlp);
  const after = decodeCursor(q.cursor);
  if (after) query = query.where(sql<boolean>`(d.created_at, d.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

export async function findDocument(db: Kysely<DB>, id: string) {
  return db.selectFrom('documents as d').select(columns).where('d.id', '=', id).executeTakeFirst();
}
export type DocumentMeta = NonNullable<Awaited<ReturnType<typeof findDocument>>>;

export async function findContent(db: Kysely<DB>, id: string) {
  return db.selectFrom('documents').select('content').where('id', '=', id).executeTakeFirst();
}

export async function recipientsOf(db: Kysely<DB>, id: string) {
  return db.selectFrom('tlp_recipients').select(['organisation_id as organisationId', 'user_id as userId']).where('object_type', '=', OBJECT_TYPE).where('object_id', '=', id).execute();
}

export async function insertDocument(
  db: Kysely<DB>,
  d: { owner: string; title: string; description: string; tlp: Tlp; fileName: string; mediaType: string; content: Uint8Array; createdBy: string | null; recipients: { organisationId: string; userId?: string | null | undefined }[] },
) {
  const row = await db
    .insertInto('documents')
    .values({ owner_organisation_id: d.owner, title: d.title, description: d.description, tlp: d.tlp, file_name: d.fileName, media_type: d.mediaType, size_bytes: d.content.byteLength, content: d.content, created_by: d.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (d.recipients.length) {
    await db
      .insertInto('tlp_recipients')
      .values(d.recipients.map((r) => ({ object_type: OBJECT_TYPE, object_id: row.id, organisation_id: r.organisationId, user_id: r.userId ?? null })))
      .execute();
  }
  return row.id;
}
