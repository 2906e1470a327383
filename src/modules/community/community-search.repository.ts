import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { postVisibleSql, threadVisibleSql } from './community.repository.ts';

/**
 * Full-text search over the posts the reader may see (the thread view's rule in SQL), with the
 * thread title counted for its opening post. The 'simple' configuration: posts mix Dutch and English.
 */
export async function search(db: Kysely<DB>, actor: Actor, cert: boolean, q: string, limit: number) {
  const query = sql`websearch_to_tsquery('simple', ${q})`;
  const doc = sql`to_tsvector('simple', CASE WHEN p.opening THEN t.title || ' ' ELSE '' END || p.body_text)`;
  return db
    .selectFrom('community_posts as p')
    .innerJoin('community_threads as t', 't.id', 'p.thread_id')
    .innerJoin('community_spaces as s', 's.id', 't.space_id')
    .select([
      'p.id',
      'p.opening',
      't.id as thread_id',
      't.title',
      sql<string>`COALESCE(p.edited_at, p.created_at)`.as('updated_at'),
      sql<string>`ts_headline('simple', p.body_text, ${query}, 'StartSel=,StopSel=,MaxWords=30,MinWords=10')`.as('snippet'),
      sql<number>`ts_rank(${doc}, ${query})`.as('rank'),
    ])
    .where(sql<boolean>`${doc} @@ ${query}`)
    .where(cert ? sql<boolean>`true` : sql<boolean>`s.archived_at IS NULL`)
    .where(threadVisibleSql(actor, cert))
    .where(postVisibleSql(actor, cert))
    .orderBy(sql`ts_rank(${doc}, ${query})`, 'desc')
    .orderBy('p.created_at', 'desc')
    .limit(limit)
    .execute();
}
