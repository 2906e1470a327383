import { sql, type RawBuilder } from 'kysely';
import { AppError, forbidden } from '#server/errors.ts';
import type { Tlp } from '#lib/tlp.ts';
import type { Actor } from './actor.ts';
import { ROLE_GRANTS, isCertRole, type Permission, type Reach } from './permissions.ts';

/**
 * The access policy: the only place that decides whether an actor may do something. Services call
 * `authorize`; repositories take `organisationScope` or `tlpVisibilitySql` so that lists, exports and
 * streams apply the very same rule in SQL as the detail view applies in code.
 */

/** For self-service (own profile, own tokens): any logged-in actor, nothing more. */
export function requireActor(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw new AppError('unauthenticated', 'unauthenticated', 'Log in first.');
}

/** How far a permission reaches for this actor, or null when the actor does not hold it. */
export function reachOf(actor: Actor, permission: Permission): Reach | null {
  const reach = ROLE_GRANTS[actor.role][permission] ?? null;
  if (reach === null) return null;
  if (actor.tokenPermissions && !actor.tokenPermissions.has(permission)) return null;
  return reach;
}

export function can(actor: Actor | null, permission: Permission, target?: { organisationId: string }): boolean {
  if (!actor) return false;
  const reach = reachOf(actor, permission);
  if (reach === null) return false;
  if (reach === 'any' || !target) return true;
  return target.organisationId === actor.organisationId;
}

/**
 * Throws unless the actor holds the permission (for the target's organisation, when given).
 * An object in another tenant is reported as not found, so its existence does not leak.
 */
export function authorize(
  actor: Actor | null,
  permission: Permission,
  target?: { organisationId: string; notFoundAs?: string },
): asserts actor is Actor {
  if (!actor) throw new AppError('unauthenticated', 'unauthenticated', 'Log in first.');
  const reach = reachOf(actor, permission);
  if (reach === null) {
    const byRole = ROLE_GRANTS[actor.role][permission] !== undefined;
    throw forbidden(byRole ? `This API token's scopes do not include ${permission}.` : `Your role (${actor.role}) does not allow ${permission}.`);
  }
  if (target && reach === 'own' && target.organisationId !== actor.organisationId) {
    throw new AppError(
      'not_found',
      `${target.notFoundAs ?? 'object'}_not_found`,
      `That ${(target.notFoundAs ?? 'object').replace(/_/g, ' ')} does not exist or you may not see it.`,
    );
  }
}

/** For lists: null means every organisation; otherwise the ids the actor may read. */
export function organisationScope(actor: Actor, permission: Permission): readonly string[] | null {
  const reach = reachOf(actor, permission);
  if (reach === null) return [];
  return reach === 'any' ? null : [actor.organisationId];
}

/** Who takes part in an incident case: the affected organisations and the invited ones (suppliers, MSSPs). */
export interface CaseParties {
  affectedOrganisationIds: readonly string[];
  guestOrganisationIds: readonly string[];
}

/**
 * How an actor sees an incident case: 'cert' (everything), 'room' (what the CERT shares with the
 * affected organisation and its invited supplier), or null (the case does not exist for them).
 */
export function caseAccess(actor: Actor | null, permission: Permission, parties: CaseParties): 'cert' | 'room' | null {
  if (!actor) return null;
  const reach = reachOf(actor, permission);
  if (reach === null) return null;
  if (reach === 'any' && isCertRole(actor.role)) return 'cert';
  const party = parties.affectedOrganisationIds.includes(actor.organisationId) || parties.guestOrganisationIds.includes(actor.organisationId);
  return party ? 'room' : null;
}

/** The same rule as `caseAccess` for lists: a SQL condition on the case id column, or null for every case. */
export function caseScopeSql(actor: Actor, permission: Permission, caseIdColumn: string): RawBuilder<boolean> | null {
  const reach = reachOf(actor, permission);
  if (reach === null) return sql<boolean>`false`;
  if (reach === 'any' && isCertRole(actor.role)) return null;
  const id = sql.ref(caseIdColumn);
  return sql<boolean>`(EXISTS (SELECT 1 FROM incident_case_organisations co WHERE co.case_id = ${id} AND co.organisation_id = ${actor.organisationId})
    OR EXISTS (SELECT 1 FROM incident_case_guests cg WHERE cg.case_id = ${id} AND cg.organisation_id = ${actor.organisationId} AND cg.revoked_at IS NULL))`;
}

/**
 * How an actor sees a CVD case: 'cert' (everything, both sides of every channel), 'party' (the
 * channel of its own organisation's party and what the CERT shares there), or null (the case does
 * not exist for them). A finder has no account: the private link (cvd/finder-link.ts) is their way in.
 */
export function cvdAccess(actor: Actor | null, permission: Permission, partyOrganisationIds: readonly string[]): 'cert' | 'party' | null {
  if (!actor) return null;
  const reach = reachOf(actor, permission);
  if (reach === null) return null;
  if (reach === 'any' && isCertRole(actor.role)) return 'cert';
  return partyOrganisationIds.includes(actor.organisationId) ? 'party' : null;
}

/** The same rule as `cvdAccess` for lists: a SQL condition on the case id column, or null for every case. */
export function cvdScopeSql(actor: Actor, permission: Permission, caseIdColumn: string): RawBuilder<boolean> | null {
  const reach = reachOf(actor, permission);
  if (reach === null) return sql<boolean>`false`;
  if (reach === 'any' && isCertRole(actor.role)) return null;
  const id = sql.ref(caseIdColumn);
  return sql<boolean>`EXISTS (SELECT 1 FROM cvd_parties p WHERE p.case_id = ${id} AND p.organisation_id = ${actor.organisationId})`;
}

export interface MarkedObject {
  tlp: Tlp;
  ownerOrganisationId: string;
  recipients: readonly { organisationId: string; userId: string | null }[];
}

/** The community of TLP:GREEN: the CERT, its participants and its partners (not vendors). */
function inCommunity(actor: Actor): boolean {
  return actor.organisationKind !== 'vendor';
}

/**
 * TLP 2.0 for one object. CLEAR: anyone. GREEN: the community. AMBER: named organisations and the
 * clients of a named partner, and the CERT. AMBER+STRICT: named organisations and the CERT. RED:
 * only the named organisations or people. The owner's organisation always sees its own objects.
 */
export function canSeeMarked(actor: Actor | null, obj: MarkedObject): boolean {
  if (obj.tlp === 'CLEAR') return true;
  if (!actor) return false;
  if (obj.ownerOrganisationId === actor.organisationId) return true;
  const cert = isCertRole(actor.role);
  const named = obj.recipients.some(
    (r) => r.organisationId === actor.organisationId && (r.userId === null || r.userId === actor.userId),
  );
  switch (obj.tlp) {
    case 'GREEN':
      return inCommunity(actor);
    case 'AMBER':
      return (
        cert ||
        named ||
        obj.recipients.some((r) => r.userId === null && isClientOfRecipient(actor, r.organisationId))
      );
    case 'AMBER+STRICT':
      return cert || named;
    case 'RED':
      return named;
  }
}

// AMBER extends to the clients of a recipient: the actor's organisation is a client of a named partner.
// The partner relation is stored with the client; the actor carries the partners it is a client of.
function isClientOfRecipient(actor: Actor, recipientOrganisationId: string): boolean {
  return actor.partnerOrganisationIds.includes(recipientOrganisationId);
}

/**
 * The same rule as `canSeeMarked`, as a SQL condition for the object table aliased in `refs`.
 * Keep the two in step: the property test compares them on random data.
 */
export function tlpVisibilitySql(
  actor: Actor | null,
  objectType: string,
  refs: { id: string; tlp: string; owner: string },
): RawBuilder<boolean> {
  const id = sql.ref(refs.id);
  const tlp = sql.ref(refs.tlp);
  const owner = sql.ref(refs.owner);
  if (!actor) return sql<boolean>`${tlp} = 'CLEAR'`;
  const cert = isCertRole(actor.role);
  const named = sql<boolean>`EXISTS (SELECT 1 FROM tlp_recipients r WHERE r.object_type = ${objectType}
      AND r.object_id = ${id} AND r.organisation_id = ${actor.organisationId}
      AND (r.user_id IS NULL OR r.user_id = ${actor.userId}))`;
  const partnerIds = actor.partnerOrganisationIds;
  const viaPartner =
    partnerIds.length > 0
      ? sql<boolean>`EXISTS (SELECT 1 FROM tlp_recipients r WHERE r.object_type = ${objectType}
          AND r.object_id = ${id} AND r.user_id IS NULL
          AND r.organisation_id IN (${sql.join(partnerIds.map((p) => sql`${p}::uuid`))}))`
      : sql<boolean>`false`;
  const green = inCommunity(actor) ? sql<boolean>`true` : sql<boolean>`false`;
  const certSql = cert ? sql<boolean>`true` : sql<boolean>`false`;
  return sql<boolean>`(${tlp} = 'CLEAR'
    OR ${owner} = ${actor.organisationId}
    OR (${tlp} = 'GREEN' AND ${green})
    OR (${tlp} = 'AMBER' AND (${certSql} OR ${named} OR ${viaPartner}))
    OR (${tlp} = 'AMBER+STRICT' AND (${certSql} OR ${named}))
    OR (${tlp} = 'RED' AND ${named}))`;
}

/**
 * The same TLP rule for an audience instead of one actor: a SQL condition over rows (contacts,
 * users) that carry an organisation, its kind and optionally a user, for one marked object. Mail,
 * webhooks and the portal inbox resolve their recipients with it, so nothing is sent to someone who
 * could not read the object in the portal. Members of the CERT's organisation count as CERT staff,
 * as their roles make them in `canSeeMarked`.
 */
export function audienceSql(
  obj: MarkedObject,
  refs: { organisationId: string; organisationKind: string; userId: string | null },
): RawBuilder<boolean> {
  const org = sql.ref(refs.organisationId);
  const kind = sql.ref(refs.organisationKind);
  const user = refs.userId ? sql.ref(refs.userId) : sql`NULL::uuid`;
  const uuids = (ids: readonly string[]) => (ids.length ? sql`ARRAY[${sql.join(ids.map((id) => sql`${id}::uuid`))}]` : sql`ARRAY[]::uuid[]`);
  const wholeOrganisations = obj.recipients.filter((r) => r.userId === null).map((r) => r.organisationId);
  const people = obj.recipients.filter((r) => r.userId !== null);
  const namedPerson = people.length
    ? sql<boolean>`(${org}, ${user}) IN (${sql.join(people.map((p) => sql`(${p.organisationId}::uuid, ${p.userId}::uuid)`))})`
    : sql<boolean>`false`;
  const named = sql<boolean>`(${org} = ANY(${uuids(wholeOrganisations)}) OR ${namedPerson})`;
  const viaPartner = wholeOrganisations.length
    ? sql<boolean>`EXISTS (SELECT 1 FROM partner_clients pc WHERE pc.client_id = ${org} AND pc.partner_id = ANY(${uuids(wholeOrganisations)}))`
    : sql<boolean>`false`;
  const owner = sql<boolean>`${org} = ${obj.ownerOrganisationId}::uuid`;
  switch (obj.tlp) {
    case 'CLEAR':
      return sql<boolean>`true`;
    case 'GREEN':
      return sql<boolean>`(${owner} OR ${kind} <> 'vendor')`;
    case 'AMBER':
      return sql<boolean>`(${owner} OR ${kind} = 'cert' OR ${named} OR ${viaPartner})`;
    case 'AMBER+STRICT':
      return sql<boolean>`(${owner} OR ${kind} = 'cert' OR ${named})`;
    case 'RED':
      return sql<boolean>`(${owner} OR ${named})`;
  }
}
