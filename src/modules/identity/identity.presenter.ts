import type { z } from 'zod';
import type { ApiToken, Me, User } from './identity.schema.ts';
import type { UserWithOrg } from './identity.repository.ts';
import type { UserListRow } from './users.repository.ts';
import type { ApiTokensTable } from '#db/schema.ts';
import type { Selectable } from 'kysely';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function presentMe(user: UserWithOrg, csrfToken: string): z.infer<typeof Me> {
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organisationId: user.organisation_id,
      organisationName: user.organisation_name,
      organisationKind: user.organisation_kind,
      locale: user.locale,
      totpEnabled: user.totp_enabled_at !== null,
    },
    csrfToken,
  };
}

export function presentUser(row: UserListRow): z.infer<typeof User> {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    status: row.status,
    totpEnabled: row.totp_enabled_at !== null,
    lastLoginAt: iso(row.last_login_at),
    createdAt: row.created_at.toISOString(),
  };
}

/** Never includes the token or its hash: the secret is shown once, at creation. */
export function presentToken(row: Selectable<ApiTokensTable>): z.infer<typeof ApiToken> {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    createdAt: row.created_at.toISOString(),
  };
}
