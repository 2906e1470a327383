/**
 * The vocabulary of the policy table (policy-table.ts and its per-module parts): actors, outcomes and
 * the shorthand for one row. A module of its own so that the parts can import it without a cycle.
 */
import type { Permission } from '../../src/modules/access/permissions.ts';

export const ACTOR_ROLES = ['anonymous', 'cert-admin', 'cert-analyst', 'participant-admin', 'participant-member', 'partner'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];
export type Outcome = 'allow' | 'deny' | 'own';
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
/** `METHOD /url/:param`, exactly as the route is registered. */
export type RouteKey = `${HttpMethod} /${string}`;

export interface ExpectedAccess {
  auth: 'public' | 'pending' | 'user';
  permission: Permission | 'self' | 'none';
  sessionOnly?: true;
}

export interface PolicyRow {
  access: ExpectedAccess;
  outcomes: Record<ActorRole, Outcome>;
}

// Shorthands for the access column (written out per route below).
export const PUBLIC: ExpectedAccess = { auth: 'public', permission: 'none' };
export const PENDING: ExpectedAccess = { auth: 'pending', permission: 'self', sessionOnly: true };
export const SELF: ExpectedAccess = { auth: 'user', permission: 'self', sessionOnly: true };
export const user = (permission: Permission | 'self'): ExpectedAccess => ({ auth: 'user', permission });

/** One row, columns in the order of ACTOR_ROLES. */
export function row(
  access: ExpectedAccess,
  anonymous: Outcome,
  certAdmin: Outcome,
  certAnalyst: Outcome,
  participantAdmin: Outcome,
  participantMember: Outcome,
  partner: Outcome,
): PolicyRow {
  return {
    access,
    outcomes: {
      anonymous,
      'cert-admin': certAdmin,
      'cert-analyst': certAnalyst,
      'participant-admin': participantAdmin,
      'participant-member': participantMember,
      partner,
    },
  };
}
