import type { Permission, Role } from './permissions.ts';

export type OrganisationKind = 'cert' | 'participant' | 'vendor' | 'partner';

/** Who is asking: a logged-in user, or a user acting through an API token. */
export interface Actor {
  userId: string;
  email: string;
  role: Role;
  organisationId: string;
  organisationKind: OrganisationKind;
  /** For partners: the participant organisations they act for. */
  clientOrganisationIds: readonly string[];
  /** For participants: the partners (MSSPs) that act for them; TLP:AMBER to a partner reaches its clients. */
  partnerOrganisationIds: readonly string[];
  sessionId: string | null;
  tokenId: string | null;
  /** Permissions an API token is limited to; null for a browser session (the role decides). */
  tokenPermissions: ReadonlySet<Permission> | null;
}
