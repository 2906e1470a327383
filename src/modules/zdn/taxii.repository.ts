import type { Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

export async function insertStatus(db: Kysely<DB>, organisationId: string, result: unknown): Promise<string> {
  const row = await db.insertInto('zdn_taxii_status').values({ organisation_id: organisationId, result: JSON.stringify(result) }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findStatus(db: Kysely<DB>, id: string) {
  return db.selectFrom('zdn_taxii_status').selectAll().where('id', '=', id).executeTakeFirst();
}
