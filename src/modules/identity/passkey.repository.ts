import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

const CHALLENGE_SECONDS = 300;

export async function listCredentials(db: Kysely<DB>, userId: string) {
  return db.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function findCredential(db: Kysely<DB>, id: string) {
  return db.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCredential(
  db: Kysely<DB>,
  c: { id: string; userId: string; name: string; publicKey: Uint8Array; counter: number; transports: string[]; backedUp: boolean },
): Promise<void> {
  await db
    .insertInto('webauthn_credentials')
    .values({ id: c.id, user_id: c.userId, name: c.name, public_key: c.publicKey, counter: c.counter, transports: c.transports, backed_up: c.backedUp })
    .execute();
}

export async function markUsed(db: Kysely<DB>, id: string, counter: number): Promise<void> {
  await db.updateTable('webauthn_credentials').set({ counter, last_used_at: new Date() }).where('id', '=', id).execute();
}

export async function deleteCredential(db: Kysely<DB>, id: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('webauthn_credentials').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function insertChallenge(db: Kysely<DB>, c: { challenge: string; purpose: 'register' | 'authenticate'; userId: string | null; sessionId: string | null }) {
  // Expired challenges are cleared on the way in, so the table never grows.
  await sql`DELETE FROM webauthn_challenges WHERE created_at < now() - make_interval(secs => ${CHALLENGE_SECONDS})`.execute(db);
  return db
    .insertInto('webauthn_challenges')
    .values({ challenge: c.challenge, purpose: c.purpose, user_id: c.userId, session_id: c.sessionId })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Takes a challenge out (single use); undefined when unknown, used or older than five minutes. */
export async function takeChallenge(db: Kysely<DB>, id: string, purpose: 'register' | 'authenticate') {
  return db
    .deleteFrom('webauthn_challenges')
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where(sql<boolean>`created_at >= now() - make_interval(secs => ${CHALLENGE_SECONDS})`)
    .returning(['challenge', 'user_id', 'session_id'])
    .executeTakeFirst();
}
