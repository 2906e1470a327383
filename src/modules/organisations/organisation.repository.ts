import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';

export async function findOrganisation(db: Kysely<DB>, id: string) {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrganisationByName(db: Kysely<DB>, name: string) {
  return db.selectFrom('organisations').selectAll().where(sql`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}

export async function findCert(db: Kysely<DB>) {
  return db.selectFrom('organisations').selectAll().where('kind', '=', 'cert').executeTakeFirst();
}

/** Which of these ids are organisations (for checking named recipients). */
export async function findOrganisationIds(db: Kysely<DB>, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('organisations').select('id').where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

export async function clientIdsOf(db: Kysely<DB>, partnerIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!partnerIds.length) return map;
  const rows = await db.selectFrom('partner_clients').select(['partner_id', 'client_id']).where('partner_id', 'in', partnerIds).execute();
  for (const r of rows) map.set(r.partner_id, [...(map.get(r.partner_id) ?? []), r.client_id]);
  return map;
}

export async function setClients(db: Kysely<DB>, partnerId: string, clientIds: readonly string[]): Promise<void> {
  await db.deleteFrom('partner_clients').where('partner_id', '=', partnerId).execute();
  // Each client once: a list naming one twice would break the primary key.
  const unique = [...new Set(clientIds)];
  if (unique.length) await db.insertInto('partner_clients').values(unique.map((c) => ({ partner_id: partnerId, client_id: c }))).execute();
}

export async function countParticipants(db: Kysely<DB>, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  const r = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', ids).where('kind', '=', 'participant').executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertOrganisation(
  db: Kysely<DB>,
  o: { kind: 'cert' | 'participant' | 'vendor' | 'partner'; name: string; shortName: string | null; segment: string | null; membershipStatus: 'prospect' | 'active' | 'suspended' | 'ended'; memberSince: string | null; memberUntil: string | null },
) {
  return db
    .insertInto('organisations')
    .values({
      kind: o.kind,
      name: o.name,
      short_name: o.shortName,
      segment: o.segment,
      membership_status: o.membershipStatus,
      member_since: o.memberSince,
      member_until: o.memberUntil,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateOrganisation(
  db: Kysely<DB>,
  id: string,
  patch: Partial<{ name: string; short_name: string | null; segment: string; membership_status: 'prospect' | 'active' | 'suspended' | 'ended'; member_since: string | null; member_until: string | null }>,
) {
  return db.updateTable('organisations').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Organisations in scope (null = all), by name, keyset-paginated on (name, id). */
export async function listOrganisations(
  db: Kysely<DB>,
  q: { scope: readonly string[] | null; kind?: string | undefined; q?: string | undefined; cursor?: string | undefined; limit: number },
) {
  let query = db.selectFrom('organisations').selectAll().select(cursorTimestamp('created_at').as('cursor_at'));
  if (q.scope) query = q.scope.length ? query.where('id', 'in', q.scope) : query.where(sql<boolean>`false`);
  if (q.kind) query = query.where('kind', '=', q.kind as 'cert');
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, '\\$&')}%`;
    query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('short_name', 'ilike', like)]));
  }
  const after = decodeCursor(q.cursor);
  if (after) query = query.where(sql<boolean>`(created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
