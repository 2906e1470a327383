import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { MailMessage } from './mail.types.ts';

/** Writes an outgoing mail; a second write with the same key is ignored (sent once). */
export async function insertMail(db: Kysely<DB>, dedupeKey: string, message: MailMessage): Promise<void> {
  await db
    .insertInto('outbox')
    .values({ kind: 'mail', dedupe_key: dedupeKey, payload: JSON.stringify(message) })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export type OutboxKind = 'mail' | 'dispatch' | 'webhook' | 'digest';

export interface ClaimedRow {
  id: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  attempts: number;
  delivery_id: string | null;
  contact_id: string | null;
  organisation_id: string | null;
  recipient: string | null;
}

/**
 * Claims due rows. SKIP LOCKED lets several workers drain one outbox without taking the same row.
 * A claim is a lease: the worker renews it while a send is in flight (`renewLease`), so a row left
 * 'sending' by a worker that died becomes due again when its lease runs out, and not before.
 */
export async function claimDue(db: Kysely<DB>, limit: number, kinds: readonly OutboxKind[] = ['mail'], leaseSeconds = 600): Promise<ClaimedRow[]> {
  const result = await sql<ClaimedRow>`
    UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT id FROM outbox
      WHERE kind IN (${sql.join(kinds)}) AND status IN ('pending', 'sending') AND next_attempt_at <= now()
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, payload, attempts, delivery_id, contact_id, organisation_id, recipient`.execute(db);
  return result.rows;
}

/** Extends the lease of rows still being sent by this worker. */
export async function renewLease(db: Kysely<DB>, ids: readonly string[], leaseSeconds: number): Promise<void> {
  if (!ids.length) return;
  await sql`UPDATE outbox SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    WHERE status = 'sending' AND id IN (${sql.join(ids.map((id) => sql`${id}::uuid`))})`.execute(db);
}

/**
 * Marks a mail sent and removes one-time link tokens from the stored copy: once the mail has left,
 * the database need not hold a working invitation or reset link.
 */
export async function markSent(db: Kysely<DB>, ids: string | readonly string[]): Promise<void> {
  const list = typeof ids === 'string' ? [ids] : ids;
  if (!list.length) return;
  // Only pre-rendered mail carries links in its payload; per-recipient rows carry references.
  await sql`UPDATE outbox SET status = 'sent', sent_at = now(), last_error = NULL,
      payload = CASE WHEN kind = 'mail' THEN regexp_replace(payload::text, 'token=[A-Za-z0-9_-]+', 'token=[removed]', 'g')::jsonb ELSE payload END
    WHERE id IN (${sql.join(list.map((id) => sql`${id}::uuid`))})`.execute(db);
}

export async function markFailed(db: Kysely<DB>, id: string, error: string, giveUp: boolean, retryInSeconds: number, permanent = false): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: giveUp ? 'failed' : 'pending',
      permanent_failure: permanent,
      last_error: error.slice(0, 2000),
      next_attempt_at: new Date(Date.now() + retryInSeconds * 1000),
    })
    .where('id', '=', id)
    .execute();
}

export async function listOutbox(db: Kysely<DB>, limit = 100) {
  return db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}
