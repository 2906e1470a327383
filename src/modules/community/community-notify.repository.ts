import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { audienceSql, type MarkedObject } from '#modules/access/policy.ts';
import { spaceAudienceSql } from '#modules/access/policy-community.ts';
import { postVisibleSql, threadVisibleSql } from './community.repository.ts';

/* Who hears of a post (the space rule and the post's TLP, in SQL), and what a digest holds. */

/** The default when a user chose nothing for a space: one mail a day rather than one per post. */
export const DEFAULT_MODE = 'digest';

export interface AudienceUser {
  id: string;
  email: string;
  name: string;
  locale: 'nl' | 'en';
  mode: string;
}

/** Active users of active organisations who may see the space and the marked post. */
export async function postAudience(db: Kysely<DB>, spaceId: string, post: MarkedObject, thread?: MarkedObject): Promise<AudienceUser[]> {
  const space = spaceAudienceSql('s.id', { role: sql`u.role`, organisationId: sql`u.organisation_id`, organisationKind: sql`o.kind` });
  const refs = { organisationId: 'u.organisation_id', organisationKind: 'o.kind', userId: 'u.id' };
  const tlp = audienceSql(post, refs);
  // A reply reaches only those who may see its thread too (the opening post's marking), and an archived
  // space only the CERT, as the lists do.
  const threadTlp = thread ? audienceSql(thread, refs) : sql<boolean>`true`;
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .innerJoin('community_spaces as s', (j) => j.on('s.id', '=', spaceId))
    .leftJoin('community_preferences as cp', (j) => j.onRef('cp.user_id', '=', 'u.id').onRef('cp.space_id', '=', 's.id'))
    .select(['u.id', 'u.email', 'u.name', 'u.locale', sql<string>`COALESCE(cp.mode, ${DEFAULT_MODE})`.as('mode')])
    .where('u.status', '=', 'active')
    .where('o.membership_status', '=', 'active')
    .where(space)
    .where(tlp)
    .where(threadTlp)
    .where(sql<boolean>`(s.archived_at IS NULL OR u.role IN ('cert-admin', 'cert-analyst'))`)
    .execute();
  return rows;
}

/** Users who may be sent a digest: active, of an active organisation, with the permission by role. */
export async function digestCandidates(db: Kysely<DB>) {
  return db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.email', 'u.locale'])
    .where('u.status', '=', 'active')
    .where('o.membership_status', '=', 'active')
    .orderBy('u.id')
    .execute();
}

/**
 * The posts of the window a user may see (the list's rule, hidden posts left out even for the CERT)
 * in spaces whose mode for the user is the digest, not their own.
 */
export async function digestPosts(db: Kysely<DB>, actor: Actor, from: Date, to: Date) {
  return db
    .selectFrom('community_posts as p')
    .innerJoin('community_threads as t', 't.id', 'p.thread_id')
    .innerJoin('community_spaces as s', 's.id', 't.space_id')
    .innerJoin('organisations as ao', 'ao.id', 'p.author_organisation_id')
    .leftJoin('community_preferences as cp', (j) => j.onRef('cp.space_id', '=', 's.id').on('cp.user_id', '=', actor.userId))
    .select([
      'p.id',
      'p.tlp',
      'p.body_text',
      'p.created_at',
      'p.opening',
      't.id as thread_id',
      't.title',
      's.name as space_name',
      'ao.name as author_organisation',
    ])
    .where('p.created_at', '>=', from)
    .where('p.created_at', '<', to)
    .where('s.archived_at', 'is', null)
    .where(sql<boolean>`COALESCE(cp.mode, ${DEFAULT_MODE}) = 'digest'`)
    .where((eb) => eb.or([eb('p.author_user_id', 'is', null), eb('p.author_user_id', '<>', actor.userId)]))
    .where(threadVisibleSql(actor, false))
    .where(postVisibleSql(actor, false))
    .orderBy('s.name')
    .orderBy('t.id')
    .orderBy('p.created_at')
    .limit(200)
    .execute();
}

/** Users named by e-mail address in a post (mentions), among the given ids. */
export async function usersByEmail(db: Kysely<DB>, emails: readonly string[]) {
  if (!emails.length) return [];
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where(sql<boolean>`lower(email) IN (${sql.join(emails.map((e) => sql`${e.toLowerCase()}`))})`)
    .execute();
}
