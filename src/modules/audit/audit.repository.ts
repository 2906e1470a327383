import { sql, type Kysely } from 'kysely';
import type { AuditRow, DB, NewAuditRow } from '#db/schema.ts';
import { escapeLike } from '#db/like.ts';

export interface AuditQuery {
  action?: string | undefined;
  actor?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset: entries older than this sequence number. */
  beforeSeq?: number | undefined;
  limit: number;
}

// A fixed key for the transaction-scoped lock that serialises appends to the chain.
const CHAIN_LOCK = 0x61756469; // 'audi'

export async function lockChain(db: Kysely<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(db);
}

export async function readHead(db: Kysely<DB>): Promise<{ seq: number; hash: string } | undefined> {
  return db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
}

export async function append(db: Kysely<DB>, row: NewAuditRow): Promise<number> {
  const inserted = await db.insertInto('audit_log').values(row).returning('seq').executeTakeFirstOrThrow();
  await db
    .insertInto('audit_head')
    .values({ seq: inserted.seq, hash: row.hash })
    .onConflict((oc) => oc.column('singleton').doUpdateSet({ seq: inserted.seq, hash: row.hash }))
    .execute();
  return inserted.seq;
}

export async function search(db: Kysely<DB>, q: AuditQuery): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.action) query = query.where('action', 'like', `${escapeLike(q.action)}%`);
  if (q.actor) query = query.where('actor_email', 'ilike', `%${escapeLike(q.actor)}%`);
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  return query.orderBy('seq', 'desc').limit(q.limit).execute();
}

/** Walks the chain in order, a page at a time, so verification runs in constant memory. */
export async function* walk(db: Kysely<DB>, pageSize = 1000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const row of page) yield row;
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) return;
    after = last.seq;
  }
}
