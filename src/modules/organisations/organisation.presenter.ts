import type { ContactRow, OrganisationRow } from '#db/schema.ts';
import type { z } from 'zod';
import type { Contact, Organisation } from './organisation.schema.ts';

type Out<T extends z.ZodType> = z.infer<T>;

// PGlite returns DATE columns as Date objects, pg as strings: present both as YYYY-MM-DD.
function dateOnly(value: string | Date | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

export function presentOrganisation(row: OrganisationRow, clientIds: readonly string[] = []): Out<typeof Organisation> {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    shortName: row.short_name,
    segment: row.segment as Out<typeof Organisation>['segment'],
    membershipStatus: row.membership_status,
    memberSince: dateOnly(row.member_since),
    memberUntil: dateOnly(row.member_until),
    clientOrganisationIds: [...clientIds],
    cvdDelegated: row.cvd_delegated,
    createdAt: row.created_at.toISOString(),
  };
}

export function presentContact(row: ContactRow): Out<typeof Contact> {
  const expiresAt = row.pgp_expires_at ? row.pgp_expires_at.toISOString() : null;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    email: row.email,
    kind: row.kind,
    roles: row.roles,
    languages: row.languages,
    phone: row.phone,
    subscriptions: row.subscriptions,
    pgp: row.pgp_fingerprint
      ? { fingerprint: row.pgp_fingerprint, userIds: row.pgp_user_ids ?? [], expiresAt, expired: expiresAt !== null && Date.parse(expiresAt) < Date.now() }
      : null,
    userId: row.user_id,
    onlyRelevant: row.only_relevant,
    emailFailing: row.email_failing_since ? { since: row.email_failing_since.toISOString(), reason: row.email_failure ?? '' } : null,
  };
}
