/**
 * The one catalogue of permissions and of what each role holds. Every route names one of these;
 * the matrix test (test/medium/access-matrix.test.ts) checks each route against this table.
 */
export const ROLES = ['cert-admin', 'cert-analyst', 'participant-admin', 'participant-member', 'partner'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'organisations:read',
  'organisations:create',
  'organisations:update',
  'contacts:read',
  'contacts:write',
  'assets:read',
  'assets:propose',
  'assets:decide',
  'users:read',
  'users:write',
  'audit:read',
  'documents:read',
  'documents:write',
  'advisories:read',
  'advisories:write',
  'advisories:approve',
  'distribution:read',
  'webhooks:manage',
  'alerts:respond',
  'zdn:read',
  'zdn:submit',
  'zdn:write',
  'monitoring:read',
  'monitoring:respond',
  'monitoring:write',
  'incidents:read',
  'incidents:report',
  'incidents:respond',
  'incidents:write',
  'cvd:read',
  'cvd:respond',
  'cvd:write',
  'community:read',
  'community:post',
  'community:moderate',
  'meetings:read',
  'meetings:rsvp',
  'meetings:write',
  'requests:read',
  'requests:ask',
  'requests:answer',
  'publications:read',
  'publications:write',
  'intake:read',
  'intake:write',
  'intake:sources',
  'digests:read',
  'digests:write',
  'digests:approve',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** 'any' reaches every organisation; 'own' only the actor's own (and, for partners, nothing more). */
export type Reach = 'any' | 'own';

const ALL_ANY = Object.fromEntries(PERMISSIONS.map((p) => [p, 'any'])) as Record<Permission, Reach>;

export const ROLE_GRANTS: Record<Role, Partial<Record<Permission, Reach>>> = {
  'cert-admin': ALL_ANY,
  'cert-analyst': {
    'organisations:read': 'any',
    'organisations:create': 'any',
    'organisations:update': 'any',
    'contacts:read': 'any',
    'contacts:write': 'any',
    'assets:read': 'any',
    'assets:propose': 'any',
    'assets:decide': 'any',
    'users:read': 'any',
    'documents:read': 'any',
    'documents:write': 'any',
    'advisories:read': 'any',
    'advisories:write': 'any',
    'advisories:approve': 'any',
    'distribution:read': 'any',
    'webhooks:manage': 'any',
    'alerts:respond': 'any',
    'zdn:read': 'any',
    'zdn:submit': 'any',
    'zdn:write': 'any',
    'monitoring:read': 'any',
    'monitoring:respond': 'any',
    'monitoring:write': 'any',
    'incidents:read': 'any',
    'incidents:report': 'any',
    'incidents:respond': 'any',
    'incidents:write': 'any',
    'cvd:read': 'any',
    'cvd:respond': 'any',
    'cvd:write': 'any',
    // Knowledge sharing: the CERT reads every space, moderates, runs meetings, answers requests, publishes.
    'community:read': 'any',
    'community:post': 'any',
    'community:moderate': 'any',
    'meetings:read': 'any',
    'meetings:rsvp': 'any',
    'meetings:write': 'any',
    'requests:read': 'any',
    'requests:answer': 'any',
    'publications:read': 'any',
    'publications:write': 'any',
    // Intake is the CERT's own work; managing sources is an administrator's.
    'intake:read': 'any',
    'intake:write': 'any',
    'digests:read': 'any',
    'digests:write': 'any',
    'digests:approve': 'any',
  },
  'participant-admin': {
    'organisations:read': 'own',
    'contacts:read': 'own',
    'contacts:write': 'own',
    'assets:read': 'own',
    'assets:propose': 'own',
    'users:read': 'own',
    'users:write': 'own',
    // Documents are filtered by TLP, not by owner: 'any' means "any the marking allows".
    'documents:read': 'any',
    'advisories:read': 'any',
    'webhooks:manage': 'own',
    'alerts:respond': 'own',
    // Indicators are filtered by TLP like documents; submissions and sightings are the organisation's own.
    'zdn:read': 'any',
    'zdn:submit': 'own',
    // Monitoring findings are about the organisation's own systems.
    'monitoring:read': 'own',
    'monitoring:respond': 'own',
    // Incident rooms: the cases of the organisation (affected or invited), see caseAccess.
    'incidents:read': 'own',
    'incidents:report': 'own',
    'incidents:respond': 'own',
    // CVD: the channel of a case the CERT made the organisation a party to, see cvdAccess.
    'cvd:read': 'own',
    'cvd:respond': 'own',
    // Community spaces and meetings are filtered by membership and TLP ('any' = any the space or
    // marking allows); RSVPs and information requests are the organisation's own.
    'community:read': 'any',
    'community:post': 'any',
    'meetings:read': 'any',
    'meetings:rsvp': 'own',
    'requests:read': 'own',
    'requests:ask': 'own',
    'publications:read': 'any',
    // The digest archive: each reader sees the version their organisation may receive.
    'digests:read': 'any',
  },
  'participant-member': {
    'organisations:read': 'own',
    'contacts:read': 'own',
    'assets:read': 'own',
    'documents:read': 'any',
    'advisories:read': 'any',
    'alerts:respond': 'own',
    'zdn:read': 'any',
    'zdn:submit': 'own',
    'monitoring:read': 'own',
    'monitoring:respond': 'own',
    'incidents:read': 'own',
    'incidents:report': 'own',
    'incidents:respond': 'own',
    'cvd:read': 'own',
    'cvd:respond': 'own',
    // Community spaces and meetings are filtered by membership and TLP ('any' = any the space or
    // marking allows); RSVPs and information requests are the organisation's own.
    'community:read': 'any',
    'community:post': 'any',
    'meetings:read': 'any',
    'meetings:rsvp': 'own',
    'requests:read': 'own',
    'requests:ask': 'own',
    'publications:read': 'any',
    // The digest archive: each reader sees the version their organisation may receive.
    'digests:read': 'any',
  },
  partner: {
    'organisations:read': 'own',
    'contacts:read': 'own',
    'documents:read': 'any',
    'advisories:read': 'any',
    'alerts:respond': 'own',
    'zdn:read': 'any',
    'zdn:submit': 'own',
    // An IT supplier or MSSP sees a case only when invited into its room.
    'incidents:read': 'own',
    'incidents:respond': 'own',
    // A manufacturer with an account answers the CVD cases it is a party to.
    'cvd:read': 'own',
    'cvd:respond': 'own',
    // Partners (IT suppliers, MSSPs, vendors) take part in the spaces and meetings they are members
    // of and read the publications their TLP allows; information requests are the participants'.
    'community:read': 'any',
    'community:post': 'any',
    'meetings:read': 'any',
    'meetings:rsvp': 'own',
    'publications:read': 'any',
    'digests:read': 'any',
  },
};

/** API token scopes and the permissions each one unlocks (always within the owner's role). */
export const TOKEN_SCOPES = {
  'organisations:read': ['organisations:read', 'contacts:read', 'assets:read'],
  'organisations:write': ['organisations:create', 'organisations:update', 'contacts:write', 'assets:propose', 'assets:decide'],
  'users:read': ['users:read'],
  'users:write': ['users:write'],
  'audit:read': ['audit:read'],
  'documents:read': ['documents:read'],
  'documents:write': ['documents:write'],
  'advisories:read': ['advisories:read'],
  'advisories:write': ['advisories:write', 'advisories:approve'],
  'distribution:read': ['distribution:read'],
  'webhooks:write': ['webhooks:manage'],
  'alerts:respond': ['alerts:respond'],
  'zdn:read': ['zdn:read'],
  'zdn:submit': ['zdn:submit'],
  'zdn:write': ['zdn:write', 'zdn:submit'],
  'monitoring:read': ['monitoring:read'],
  'monitoring:respond': ['monitoring:respond'],
  'monitoring:write': ['monitoring:write', 'monitoring:respond'],
  'incidents:read': ['incidents:read'],
  // A tool that reports incidents also answers in their rooms: one scope for both.
  'incidents:respond': ['incidents:respond', 'incidents:report'],
  'incidents:write': ['incidents:write', 'incidents:report', 'incidents:respond'],
  'cvd:read': ['cvd:read'],
  'cvd:respond': ['cvd:respond'],
  'cvd:write': ['cvd:write', 'cvd:respond'],
  'community:read': ['community:read'],
  'community:write': ['community:post', 'community:read'],
  'meetings:read': ['meetings:read'],
  'meetings:rsvp': ['meetings:rsvp', 'meetings:read'],
  'meetings:write': ['meetings:write', 'meetings:read'],
  'requests:read': ['requests:read'],
  'requests:ask': ['requests:ask', 'requests:read'],
  'requests:answer': ['requests:answer', 'requests:read'],
  'publications:read': ['publications:read'],
  'publications:write': ['publications:write', 'publications:read'],
  'intake:read': ['intake:read'],
  'intake:write': ['intake:write', 'intake:read'],
  'intake:sources': ['intake:sources', 'intake:read'],
  'digests:read': ['digests:read'],
  'digests:write': ['digests:write', 'digests:approve', 'digests:read'],
} as const satisfies Record<string, readonly Permission[]>;
export type TokenScope = keyof typeof TOKEN_SCOPES;
export const TOKEN_SCOPE_NAMES = Object.keys(TOKEN_SCOPES) as TokenScope[];

export function isCertRole(role: Role): boolean {
  return role === 'cert-admin' || role === 'cert-analyst';
}

/** Roles that may exist in an organisation of this kind. */
export function rolesForOrganisationKind(kind: 'cert' | 'participant' | 'vendor' | 'partner'): Role[] {
  switch (kind) {
    case 'cert':
      return ['cert-admin', 'cert-analyst'];
    case 'participant':
      return ['participant-admin', 'participant-member'];
    case 'vendor':
    case 'partner':
      return ['partner'];
  }
}
