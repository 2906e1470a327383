import type { Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import { TOKEN_SCOPES, type Permission, type TokenScope } from '#modules/access/permissions.ts';
import { partnerRelations, type UserWithOrg } from './identity.repository.ts';

/** Builds the actor the policy reasons about, from a user and (for API tokens) its scopes. */
export async function buildActor(
  db: Kysely<DB>,
  user: UserWithOrg,
  via: { sessionId: string } | { tokenId: string; scopes: readonly string[] },
): Promise<Actor> {
  const relations = await partnerRelations(db, user.organisation_id);
  let tokenPermissions: Set<Permission> | null = null;
  if ('tokenId' in via) {
    tokenPermissions = new Set<Permission>();
    for (const scope of via.scopes) {
      for (const p of TOKEN_SCOPES[scope as TokenScope] ?? []) tokenPermissions.add(p);
    }
  }
  return {
    userId: user.id,
    email: user.email,
    role: user.role,
    organisationId: user.organisation_id,
    organisationKind: user.organisation_kind,
    clientOrganisationIds: relations.clientIds,
    partnerOrganisationIds: relations.partnerIds,
    sessionId: 'sessionId' in via ? via.sessionId : null,
    tokenId: 'tokenId' in via ? via.tokenId : null,
    tokenPermissions,
  };
}
