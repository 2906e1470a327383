import { sql, type RawBuilder } from 'kysely';
import type { Actor } from './actor.ts';
import { isCertRole, type Permission, type Role } from './permissions.ts';
import { reachOf } from './policy.ts';

/**
 * Community spaces: who may see a space. The CERT sees every space. Anyone else sees a space when
 * their role is one the space admits AND their organisation is named in the space, or is of a kind
 * the space admits and (when the space names segments, for participants) of one of those segments. A space the actor
 * may not see does not exist for them: it is left out of lists, search, notifications and mail, and
 * naming it is 404. `spaceAccess` decides one space in code, `spaceScopeSql` is the same rule for
 * lists, `spaceAudienceSql` the same rule for the users a post is sent to. Keep the three in step.
 */
export interface SpaceRule {
  roles: readonly string[];
  organisationKinds: readonly string[];
  segments: readonly string[];
  memberOrganisationIds: readonly string[];
}

/** What the rule needs to know about the actor's organisation beyond the Actor (its segment). */
export interface ActorOrganisation {
  segment: string | null;
}

function admitsOrganisation(rule: SpaceRule, organisationId: string, kind: string, segment: string | null): boolean {
  if (rule.memberOrganisationIds.includes(organisationId)) return true;
  if (!rule.organisationKinds.includes(kind)) return false;
  // Segments are the participants' (hospital, umc, …): they narrow participants, not partners or vendors.
  return rule.segments.length === 0 || kind !== 'participant' || (segment !== null && rule.segments.includes(segment));
}

/** 'cert' (every space, hidden posts too), 'member', or null (the space does not exist for the actor). */
export function spaceAccess(actor: Actor | null, permission: Permission, rule: SpaceRule, org: ActorOrganisation): 'cert' | 'member' | null {
  if (!actor) return null;
  const reach = reachOf(actor, permission);
  if (reach === null) return null;
  if (reach === 'any' && isCertRole(actor.role)) return 'cert';
  if (!rule.roles.includes(actor.role)) return null;
  return admitsOrganisation(rule, actor.organisationId, actor.organisationKind, org.segment) ? 'member' : null;
}

/** Whether the actor is CERT staff for the community (moderation view: hidden posts, versions). */
export function isCommunityCert(actor: Actor | null, permission: Permission = 'community:read'): boolean {
  return !!actor && reachOf(actor, permission) === 'any' && isCertRole(actor.role);
}

/** The same rule as `spaceAccess` for a space id column: null means every space (the CERT). */
export function spaceScopeSql(actor: Actor, permission: Permission, spaceIdColumn: string): RawBuilder<boolean> | null {
  const reach = reachOf(actor, permission);
  if (reach === null) return sql<boolean>`false`;
  if (reach === 'any' && isCertRole(actor.role)) return null;
  return spaceAudienceSql(spaceIdColumn, {
    role: sql`${actor.role}::text`,
    organisationId: sql`${actor.organisationId}::uuid`,
    organisationKind: sql`${actor.organisationKind}::text`,
  });
}

/**
 * The rule for an audience: a condition over rows that carry a user's role and organisation (and the
 * organisation's kind), true when that user may see the space. CERT staff always may.
 */
export function spaceAudienceSql(
  spaceIdColumn: string,
  refs: { role: RawBuilder<unknown>; organisationId: RawBuilder<unknown>; organisationKind: RawBuilder<unknown> },
): RawBuilder<boolean> {
  const space = sql.ref(spaceIdColumn);
  const certRoles: Role[] = ['cert-admin', 'cert-analyst'];
  return sql<boolean>`(${refs.role} IN (${sql.join(certRoles.map((r) => sql`${r}`))})
    OR EXISTS (SELECT 1 FROM community_spaces cs WHERE cs.id = ${space} AND ${refs.role} = ANY(cs.roles)
      AND (EXISTS (SELECT 1 FROM community_space_organisations cso WHERE cso.space_id = cs.id AND cso.organisation_id = ${refs.organisationId})
        OR (${refs.organisationKind} = ANY(cs.organisation_kinds)
          AND (cardinality(cs.segments) = 0 OR ${refs.organisationKind} <> 'participant' OR EXISTS (SELECT 1 FROM organisations so WHERE so.id = ${refs.organisationId} AND so.segment = ANY(cs.segments)))))))`;
}
