import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

export async function listContacts(db: Kysely<DB>, organisationId: string) {
  return db.selectFrom('contacts').selectAll().where('organisation_id', '=', organisationId).orderBy('name').execute();
}

export async function findContact(db: Kysely<DB>, id: string) {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function emailTaken(db: Kysely<DB>, organisationId: string, email: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('contacts').select('id').where('organisation_id', '=', organisationId).where(sql`lower(email)`, '=', email.toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export type ContactValues = {
  name: string;
  email: string;
  kind: 'person' | 'function';
  roles: string[];
  languages: string[];
  phone: string | null;
  subscriptions: string[];
  pgp_public_key: string | null;
  pgp_fingerprint: string | null;
  pgp_user_ids: string[] | null;
  pgp_expires_at: Date | null;
  user_id: string | null;
  only_relevant?: boolean;
  email_failing_since?: Date | null;
  email_failure?: string | null;
};

export async function insertContact(db: Kysely<DB>, organisationId: string, v: ContactValues) {
  return db.insertInto('contacts').values({ organisation_id: organisationId, ...v }).returningAll().executeTakeFirstOrThrow();
}

export async function updateContact(db: Kysely<DB>, id: string, v: Partial<ContactValues>) {
  return db.updateTable('contacts').set({ ...v, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteContact(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('contacts').where('id', '=', id).execute();
}
