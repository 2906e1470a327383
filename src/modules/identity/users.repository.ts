import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Role } from '#modules/access/permissions.ts';
import { cursorTimestamp, decodeCursor, encodeCursor } from '#server/pagination.ts';

export async function insertUser(
  db: Kysely<DB>,
  u: { email: string; name: string; role: Role; organisationId: string; passwordHash: string | null; status: 'invited' | 'active' },
) {
  return db
    .insertInto('users')
    .values({ email: u.email, name: u.name, role: u.role, organisation_id: u.organisationId, password_hash: u.passwordHash, status: u.status })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
}

const userColumns = [
  'u.id',
  'u.email',
  'u.name',
  'u.role',
  'u.status',
  'u.organisation_id',
  'o.name as organisation_name',
  'u.totp_enabled_at',
  'u.last_login_at',
  'u.created_at',
] as const;

/** Users visible in `scope` (null = all), newest first, keyset-paginated on (created_at, id). */
export async function listUsers(
  db: Kysely<DB>,
  q: { scope: readonly string[] | null; organisationId?: string | undefined; id?: string | undefined; cursor?: string | undefined; limit: number },
) {
  let query = db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(userColumns)
    .select(cursorTimestamp('u.created_at').as('cursor_at'));
  if (q.scope) query = q.scope.length ? query.where('u.organisation_id', 'in', q.scope) : query.where(sql<boolean>`false`);
  if (q.organisationId) query = query.where('u.organisation_id', '=', q.organisationId);
  if (q.id) query = query.where('u.id', '=', q.id);
  const after = decodeCursor(q.cursor);
  if (after) query = query.where(sql<boolean>`(u.created_at, u.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
export type UserListRow = Awaited<ReturnType<typeof listUsers>>['rows'][number];

/** An organisation's active users with their address and language: who a notice by mail reaches. */
export async function activeUsersOf(db: Kysely<DB>, organisationIds: readonly string[]) {
  if (!organisationIds.length) return [];
  return db
    .selectFrom('users')
    .select(['id', 'email', 'locale'])
    .where('organisation_id', 'in', organisationIds)
    .where('status', '=', 'active')
    .orderBy('email')
    .execute();
}

/** The ids of an organisation's active users: who a notice to "the organisation" reaches in the portal. */
export async function activeUserIdsOf(db: Kysely<DB>, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('organisation_id', '=', organisationId).where('status', '=', 'active').execute();
  return rows.map((r) => r.id);
}
