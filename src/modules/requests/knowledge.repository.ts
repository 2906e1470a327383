import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { KbArticlesTable, KbTlp } from '#db/schema-requests.ts';

export type ArticleRow = Selectable<KbArticlesTable> & { source_reference: string | null };

function articleQuery(db: Kysely<DB>) {
  return db
    .selectFrom('kb_articles as a')
    .leftJoin('info_requests as r', 'r.id', 'a.source_request_id')
    .selectAll('a')
    .select('r.reference as source_reference');
}

export async function findArticle(db: Kysely<DB>, id: string): Promise<ArticleRow | undefined> {
  return articleQuery(db).where('a.id', '=', id).executeTakeFirst();
}

/** Articles of the TLPs the reader may see, newest first; `q` matches title, body and tags. */
export async function listArticles(db: Kysely<DB>, f: { tlps: readonly KbTlp[]; q?: string; tag?: string; limit: number }): Promise<ArticleRow[]> {
  if (f.tlps.length === 0) return [];
  let q = articleQuery(db).where('a.tlp', 'in', f.tlps);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('a.title', 'ilike', like), eb('a.body', 'ilike', like), eb(sql<string>`array_to_string(a.tags, ' ')`, 'ilike', like)]));
  }
  if (f.tag) q = q.where(sql<boolean>`${f.tag} = ANY(a.tags)`);
  return q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(f.limit).execute();
}

export async function insertArticle(db: Kysely<DB>, v: Insertable<KbArticlesTable>): Promise<string> {
  return (await db.insertInto('kb_articles').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateArticle(db: Kysely<DB>, id: string, v: Updateable<KbArticlesTable>): Promise<void> {
  await db
    .updateTable('kb_articles')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteArticle(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('kb_articles').where('id', '=', id).execute();
}

export async function articlesOfRequest(db: Kysely<DB>, requestId: string): Promise<{ id: string; title: string }[]> {
  return db.selectFrom('kb_articles').select(['id', 'title']).where('source_request_id', '=', requestId).orderBy('created_at').execute();
}

/** Every name and address tied to the request's organisation, to strip from an article draft. */
export async function identifyingStrings(db: Kysely<DB>, organisationId: string): Promise<string[]> {
  const org = await db.selectFrom('organisations').select(['name', 'short_name']).where('id', '=', organisationId).executeTakeFirst();
  const users = await db.selectFrom('users').select(['name', 'email']).where('organisation_id', '=', organisationId).execute();
  const contacts = await db.selectFrom('contacts').select(['name', 'email']).where('organisation_id', '=', organisationId).execute();
  return [org?.name, org?.short_name, ...users.flatMap((u) => [u.name, u.email]), ...contacts.flatMap((c) => [c.name, c.email])].filter(
    (s): s is string => !!s && s.trim().length > 2,
  );
}
