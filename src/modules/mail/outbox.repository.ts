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

/**
 * Claims due rows for delivery. SKIP LOCKED lets several workers drain one outbox without taking the
 * same row; a row left 'sending' by a crashed worker becomes due again after ten minutes.
 */
export async function claimDue(db: Kysely<DB>, limit: number) {
  const result = await sql<{ id: string; payload: MailMessage; attempts: number }>`
    UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = now() + interval '10 minutes'
    WHERE id IN (
      SELECT id FROM outbox
      WHERE kind = 'mail' AND status IN ('pending', 'sending') AND next_attempt_at <= now()
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, payload, attempts`.execute(db);
  return result.rows;
}

/**
 * Marks a mail sent and removes one-time link tokens from the stored copy: once the mail has left,
 * the database need not hold a working invitation or reset link.
 */
export async function markSent(db: Kysely<DB>, id: string): Promise<void> {
  await sql`UPDATE outbox SET status = 'sent', sent_at = now(), last_error = NULL,
      payload = regexp_replace(payload::text, 'token=[A-Za-z0-9_-]+', 'token=[removed]', 'g')::jsonb
    WHERE id = ${id}`.execute(db);
}

export async function markFailed(db: Kysely<DB>, id: string, error: string, giveUp: boolean, retryInSeconds: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: giveUp ? 'failed' : 'pending',
      last_error: error.slice(0, 2000),
      next_attempt_at: new Date(Date.now() + retryInSeconds * 1000),
    })
    .where('id', '=', id)
    .execute();
}

export async function listOutbox(db: Kysely<DB>, limit = 100) {
  return db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}
