import type { Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';

/** Stores `value` under `name` unless one is there already, and returns whichever is stored. */
export async function getOrCreateSecret(db: Kysely<DB>, name: string, value: string): Promise<string> {
  await db.insertInto('installation_secrets').values({ name, value }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.selectFrom('installation_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
