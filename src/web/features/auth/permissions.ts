// The server's own permission catalogue, so the interface hides exactly what the API would
// refuse (the API still enforces it). The module is plain data with no Node dependencies.
import { ROLE_GRANTS, type Permission } from '#modules/access/permissions.ts';
import type { CurrentUser, Role } from './api';

export type { Permission };

export function can(role: Role, permission: Permission): boolean {
  return ROLE_GRANTS[role][permission] !== undefined;
}

/**
 * Whether the user holds the permission for one organisation: a grant with reach 'any' covers
 * every organisation, 'own' only the user's own (e.g. a participant's administrator and the
 * webhooks of that participant).
 */
export function canFor(user: Pick<CurrentUser, 'role' | 'organisationId'>, permission: Permission, organisationId: string): boolean {
  const reach = ROLE_GRANTS[user.role][permission];
  return reach === 'any' || (reach === 'own' && user.organisationId === organisationId);
}
