// The server's own permission catalogue, so the interface hides exactly what the API would
// refuse (the API still enforces it). The module is plain data with no Node dependencies.
import { ROLE_GRANTS, type Permission } from '#modules/access/permissions.ts';
import type { Role } from './api';

export type { Permission };

export function can(role: Role, permission: Permission): boolean {
  return ROLE_GRANTS[role][permission] !== undefined;
}
