import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

const publicColumns = ['id', 'fingerprint', 'user_id', 'algorithm', 'public_key', 'status', 'expires_at', 'created_at', 'retired_at'] as const;

/**
 * Serialises every change of the key set (generate, import, rotate, protect) across processes for
 * the rest of the transaction, so two of them never both see "no active key" or both retire one.
 */
export async function lockKeys(db: Kysely<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('wachtpost.signing_keys'))`.execute(db);
}

/** The active key with its (possibly encrypted) private part. */
export async function findActive(db: Kysely<DB>) {
  return db.selectFrom('signing_keys').selectAll().where('status', '=', 'active').executeTakeFirst();
}

/** Only what signing needs, kept small because every signature reads it. */
export async function findActiveForSigning(db: Kysely<DB>) {
  return db.selectFrom('signing_keys').select(['fingerprint', 'private_key', 'expires_at']).where('status', '=', 'active').executeTakeFirst();
}

export async function findByFingerprint(db: Kysely<DB>, fingerprint: string) {
  return db.selectFrom('signing_keys').select(publicColumns).where('fingerprint', '=', fingerprint).executeTakeFirst();
}

/** Every key without its private part: the active one first, then the retired ones, most recently retired first. */
export async function listKeys(db: Kysely<DB>) {
  return db
    .selectFrom('signing_keys')
    .select(publicColumns)
    .orderBy(sql`CASE WHEN status = 'active' THEN 0 ELSE 1 END`)
    .orderBy('retired_at', (o) => o.desc().nullsLast())
    .orderBy('created_at', 'desc')
    .orderBy('fingerprint')
    .execute();
}

/** Every key with what `keys show` reports; the private part only to tell whether it is protected. */
export async function listKeysWithPrivate(db: Kysely<DB>) {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .orderBy(sql`CASE WHEN status = 'active' THEN 0 ELSE 1 END`)
    .orderBy('retired_at', (o) => o.desc().nullsLast())
    .orderBy('created_at', 'desc')
    .orderBy('fingerprint')
    .execute();
}

export async function insertActive(
  db: Kysely<DB>,
  k: { fingerprint: string; userId: string; algorithm: string; publicKey: string; privateKey: string; expiresAt: Date | null },
) {
  return db
    .insertInto('signing_keys')
    .values({
      fingerprint: k.fingerprint,
      user_id: k.userId,
      algorithm: k.algorithm,
      public_key: k.publicKey,
      private_key: k.privateKey,
      status: 'active',
      expires_at: k.expiresAt,
    })
    .returning(publicColumns)
    .executeTakeFirstOrThrow();
}

/** Retires the active key, if there is one; returns its fingerprint. */
export async function retireActive(db: Kysely<DB>): Promise<string | null> {
  const row = await db
    .updateTable('signing_keys')
    .set({ status: 'retired', retired_at: new Date() })
    .where('status', '=', 'active')
    .returning('fingerprint')
    .executeTakeFirst();
  return row?.fingerprint ?? null;
}

/** Makes a retired key the active one again (after the active one was retired). */
export async function reactivate(db: Kysely<DB>, fingerprint: string, privateKey: string): Promise<void> {
  await db.updateTable('signing_keys').set({ status: 'active', retired_at: null, private_key: privateKey }).where('fingerprint', '=', fingerprint).execute();
}

/** Replaces the stored private part (the same key, protected differently); only when it is still `expected`. */
export async function replacePrivateKey(db: Kysely<DB>, fingerprint: string, expected: string, privateKey: string): Promise<boolean> {
  const r = await db
    .updateTable('signing_keys')
    .set({ private_key: privateKey })
    .where('fingerprint', '=', fingerprint)
    .where('private_key', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
