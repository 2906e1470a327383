import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import { cursorTimestamp } from '#server/pagination.ts';

export interface NotificationInput {
  kind: string;
  title: string;
  body?: string;
  link: string | null;
  subjectType: string | null;
  subjectId: string | null;
  dedupeKey: string;
}

/** One row per user; a second notification with the same key for a user is ignored. */
export async function insertForUsers(db: Kysely<DB>, userIds: readonly string[], n: NotificationInput): Promise<string[]> {
  const inserted: string[] = [];
  for (let i = 0; i < userIds.length; i += 1000) {
    const rows = await db
      .insertInto('notifications')
      .values(
        userIds.slice(i, i + 1000).map((user_id) => ({
          user_id,
          kind: n.kind,
          title: n.title.slice(0, 500),
          body: (n.body ?? '').slice(0, 4000),
          link: n.link,
          subject_type: n.subjectType,
          subject_id: n.subjectId,
          dedupe_key: n.dedupeKey,
        })),
      )
      .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
      .returning('user_id')
      .execute();
    inserted.push(...rows.map((r) => r.user_id));
  }
  return inserted;
}

export async function listForUser(db: Kysely<DB>, userId: string, opts: { unreadOnly: boolean; before: { at: string; id: string } | null; limit: number }) {
  let q = db.selectFrom('notifications').selectAll().select(cursorTimestamp('created_at').as('cursor_at')).where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  if (opts.before) q = q.where(sql<boolean>`(created_at, id) < (${opts.before.at}::timestamptz, ${opts.before.id}::uuid)`);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit + 1).execute();
}

export async function unreadCount(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return row.n;
}

export async function markRead(db: Kysely<DB>, userId: string, ids: readonly string[] | 'all'): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (!ids.length) return 0;
    q = q.where('id', 'in', ids);
  }
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function certStaffIds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('role', 'in', ['cert-admin', 'cert-analyst']).where('status', '=', 'active').execute();
  return rows.map((r) => r.id);
}

export async function belongsTo(db: Kysely<DB>, id: string, userId: string): Promise<boolean> {
  return !!(await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst());
}
