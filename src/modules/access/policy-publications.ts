import { sql, type RawBuilder } from 'kysely';
import type { Actor } from './actor.ts';
import { reachOf, tlpVisibilitySql } from './policy.ts';
import { isCertRole } from './permissions.ts';

/**
 * Who may see a publication: the TLP 2.0 rule of policy.ts, and on top of it the publication's
 * audience and status. One SQL condition, used by every way a publication leaves (list, detail,
 * search, download, the public site and its Atom feed), so none can show what another hides.
 *
 * - Editors (publications:write) see every publication, drafts and withdrawn ones too.
 * - Readers see published publications only, whose marking reaches them (tlpVisibilitySql) and whose
 *   audience includes them: 'community' (whoever the marking reaches), 'participants' (participant
 *   organisations), 'segments' (participants of the listed segments), 'contact_roles' (users who are
 *   a contact of their organisation with one of the listed roles, e.g. the CISO). The CERT's staff
 *   and the owning organisation are always in the audience.
 * - Without an account (the public site): published, TLP:CLEAR and for the whole community.
 */
export const PUBLICATION_OBJECT_TYPE = 'publication';

/** Whether the actor edits publications (and so sees drafts, withdrawn ones and every version). */
export function isPublicationEditor(actor: Actor | null): boolean {
  return actor !== null && reachOf(actor, 'publications:write') === 'any';
}

export function publicationVisibilitySql(actor: Actor | null, alias: string): RawBuilder<boolean> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  if (actor && isPublicationEditor(actor)) return sql<boolean>`true`;
  // Readers without publications:read (or with a token lacking it) see nothing.
  if (actor && reachOf(actor, 'publications:read') === null) return sql<boolean>`false`;
  const published = sql<boolean>`(${col('status')} = 'published' AND ${col('current_version')} IS NOT NULL)`;
  const tlp = tlpVisibilitySql(actor, PUBLICATION_OBJECT_TYPE, { id: `${alias}.id`, tlp: `${alias}.tlp`, owner: `${alias}.owner_organisation_id` });
  if (!actor) return sql<boolean>`(${published} AND ${col('tlp')} = 'CLEAR' AND ${col('audience')} = 'community')`;
  return sql<boolean>`(${published} AND ${tlp} AND ${audienceSql(actor, alias)})`;
}

function audienceSql(actor: Actor, alias: string): RawBuilder<boolean> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  if (isCertRole(actor.role)) return sql<boolean>`true`;
  const participant = actor.organisationKind === 'participant' ? sql<boolean>`true` : sql<boolean>`false`;
  return sql<boolean>`(${col('owner_organisation_id')} = ${actor.organisationId}
    OR ${col('audience')} = 'community'
    OR (${col('audience')} = 'participants' AND ${participant})
    OR (${col('audience')} = 'segments' AND ${participant} AND EXISTS (SELECT 1 FROM organisations ao
        WHERE ao.id = ${actor.organisationId} AND ao.segment = ANY(${col('audience_segments')})))
    OR (${col('audience')} = 'contact_roles' AND EXISTS (SELECT 1 FROM contacts ac
        WHERE ac.user_id = ${actor.userId} AND ac.organisation_id = ${actor.organisationId}
        AND ac.roles && ${col('audience_contact_roles')})))`;
}
