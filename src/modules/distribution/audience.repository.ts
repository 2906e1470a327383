import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import { TLP_LEVELS, tlpRank } from '#lib/tlp.ts';
import { audienceSql, type MarkedObject } from '#modules/access/policy.ts';

/**
 * Who may receive a marked object: contacts (mail), users (portal inbox) and webhooks, each
 * resolved with the policy's audience rule. Only organisations whose membership is active receive.
 */

export interface AudienceContact {
  contact_id: string;
  organisation_id: string;
  organisation_name: string;
  name: string;
  email: string;
  languages: string[];
  pgp_fingerprint: string | null;
  pgp_public_key: string | null;
  pgp_expires_at: Date | null;
  email_failing_since: Date | null;
}

export async function contactsFor(
  db: Kysely<DB>,
  obj: MarkedObject,
  subscription: string,
  relevantOrganisationIds: readonly string[],
): Promise<AudienceContact[]> {
  // "Only what concerns my organisation's assets": the organisations whose declared products match.
  const onlyRelevant = relevantOrganisationIds.length
    ? sql<boolean>`(NOT c.only_relevant OR c.organisation_id IN (${sql.join(relevantOrganisationIds.map((id) => sql`${id}::uuid`))}))`
    : sql<boolean>`NOT c.only_relevant`;
  const result = await sql<AudienceContact>`
    SELECT c.id AS contact_id, c.organisation_id, o.name AS organisation_name, c.name, c.email, c.languages,
           c.pgp_fingerprint, c.pgp_public_key, c.pgp_expires_at, c.email_failing_since
    FROM contacts c JOIN organisations o ON o.id = c.organisation_id
    WHERE o.membership_status = 'active'
      AND ${subscription} = ANY(c.subscriptions)
      AND ${audienceSql(obj, { organisationId: 'c.organisation_id', organisationKind: 'o.kind', userId: 'c.user_id' })}
      AND ${onlyRelevant}
    ORDER BY o.name, lower(c.email)`.execute(db);
  return result.rows;
}

/** Active users who may read the object: their portal inbox gets a notification. */
export async function usersFor(db: Kysely<DB>, obj: MarkedObject): Promise<{ id: string; organisation_id: string }[]> {
  const result = await sql<{ id: string; organisation_id: string }>`
    SELECT u.id, u.organisation_id FROM users u JOIN organisations o ON o.id = u.organisation_id
    WHERE u.status = 'active' AND o.membership_status = 'active'
      AND ${audienceSql(obj, { organisationId: 'u.organisation_id', organisationKind: 'o.kind', userId: 'u.id' })}`.execute(db);
  return result.rows;
}

/** Enabled webhooks of organisations in the audience whose ceiling admits this TLP and kind. */
export async function webhooksFor(db: Kysely<DB>, obj: MarkedObject, kind: string) {
  const admitted = TLP_LEVELS.slice(tlpRank(obj.tlp));
  const result = await sql<{ id: string; organisation_id: string; url: string; format: string }>`
    SELECT w.id, w.organisation_id, w.url, w.format FROM webhooks w JOIN organisations o ON o.id = w.organisation_id
    WHERE w.enabled AND o.membership_status = 'active' AND ${kind} = ANY(w.kinds)
      AND w.max_tlp IN (${sql.join(admitted)})
      AND ${audienceSql(obj, { organisationId: 'w.organisation_id', organisationKind: 'o.kind', userId: null })}`.execute(db);
  return result.rows;
}
