import { sql, type Kysely } from 'kysely';
import type { AlertResponseStatus, DB } from '#db/schema.ts';
import type { Tlp } from '#lib/tlp.ts';

export async function insertResponse(
  db: Kysely<DB>,
  r: { productId: string; organisationId: string; status: AlertResponseStatus; comment: string | null; via: 'link' | 'portal'; contactId: string | null; userId: string | null },
) {
  return db
    .insertInto('alert_responses')
    .values({ product_id: r.productId, organisation_id: r.organisationId, status: r.status, comment: r.comment, via: r.via, contact_id: r.contactId, user_id: r.userId })
    .returning(['id', 'responded_at'])
    .executeTakeFirstOrThrow();
}

/** Records a one-time link as used; false when it was used before. */
export async function useLink(db: Kysely<DB>, tokenHash: string): Promise<boolean> {
  const row = await db.insertInto('used_links').values({ token_hash: tokenHash }).onConflict((oc) => oc.column('token_hash').doNothing()).returning('token_hash').executeTakeFirst();
  return !!row;
}

/** The organisations an alert's first delivery went to, with when it was sent out. */
export async function alertAudience(db: Kysely<DB>, productId: string) {
  return db
    .selectFrom('outbox as x')
    .innerJoin('deliveries as d', 'd.id', 'x.delivery_id')
    .innerJoin('organisations as o', 'o.id', 'x.organisation_id')
    .select(['o.id as organisation_id', 'o.name as organisation_name', sql<Date>`min(d.created_at)`.as('delivered_at')])
    .where('d.subject_type', '=', 'product')
    .where('d.subject_id', '=', productId)
    .where('x.kind', '=', 'dispatch')
    .groupBy(['o.id', 'o.name'])
    .orderBy('o.name')
    .execute();
}

export async function responsesOf(db: Kysely<DB>, productId: string) {
  return db
    .selectFrom('alert_responses as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('contacts as c', 'c.id', 'r.contact_id')
    .select(['r.id', 'r.organisation_id', 'o.name as organisation_name', 'r.status', 'r.comment', 'r.via', 'r.responded_at', 'u.name as user_name', 'c.name as contact_name', 'c.email as contact_email'])
    .where('r.product_id', '=', productId)
    .orderBy('r.responded_at')
    .execute();
}

export async function responsesOfOrganisation(db: Kysely<DB>, productId: string, organisationId: string) {
  return db
    .selectFrom('alert_responses')
    .select(['id', 'status', 'comment', 'via', 'responded_at'])
    .where('product_id', '=', productId)
    .where('organisation_id', '=', organisationId)
    .orderBy('responded_at')
    .execute();
}

/**
 * Published, not withdrawn alerts whose first delivery is older than `minutes` (and whose answer
 * links still work: younger than `withinDays`), with each recipient organisation that has not
 * answered: the reminder job's work list.
 */
export async function unansweredAfter(db: Kysely<DB>, minutes: number, withinDays: number) {
  const result = await sql<{ product_id: string; identifier: string; title: string; tlp: Tlp; organisation_id: string }>`
    SELECT DISTINCT p.id AS product_id, p.identifier, p.title, p.tlp, x.organisation_id
    FROM products p
    JOIN deliveries d ON d.subject_type = 'product' AND d.subject_id = p.id AND d.revision = 1
    JOIN outbox x ON x.delivery_id = d.id AND x.kind = 'dispatch'
    WHERE p.kind = 'alert' AND p.status = 'published'
      AND d.created_at < now() - make_interval(mins => ${minutes})
      AND d.created_at > now() - make_interval(days => ${withinDays})
      AND NOT EXISTS (SELECT 1 FROM alert_responses r WHERE r.product_id = p.id AND r.organisation_id = x.organisation_id)
    ORDER BY p.id`.execute(db);
  return result.rows;
}

export async function onCallContacts(db: Kysely<DB>, organisationId: string) {
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'languages', 'pgp_public_key', 'pgp_fingerprint'])
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`'on_call' = ANY(roles)`)
    .execute();
  if (rows.length) return rows;
  // No on-call contact named: the alert's subscribers of that organisation are the next best.
  return db
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'languages', 'pgp_public_key', 'pgp_fingerprint'])
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`'operational_alerts' = ANY(subscriptions)`)
    .execute();
}
