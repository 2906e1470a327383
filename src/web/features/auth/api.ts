import { queryOptions } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../lib/api-client';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '../../lib/webauthn';

export const ROLES = [
  'cert-admin',
  'cert-analyst',
  'participant-admin',
  'participant-member',
  'partner',
] as const;
export type Role = (typeof ROLES)[number];

export type OrganisationKind = 'cert' | 'participant' | 'vendor' | 'partner';

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  locale: string;
  totpEnabled: boolean;
}

interface MeResponse {
  user: CurrentUser;
  csrfToken: string;
}

export type LoginResult =
  { status: 'ok'; user: CurrentUser } | { status: 'totp_required' } | { status: 'totp_setup_required' };

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

export interface TotpEnableResult {
  status: 'ok';
  user: CurrentUser;
  recoveryCodes: string[];
}

export interface PasskeyLoginOptions {
  challengeId: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

export const meQueryKey = ['auth', 'me'] as const;

export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: async ({ signal }) => {
    const me = await api.get<MeResponse>('/api/v1/auth/me', undefined, signal);
    setCsrfToken(me.csrfToken);
    return me.user;
  },
  staleTime: 5 * 60_000,
});

export const authApi = {
  login: (email: string, password: string) =>
    api.post<LoginResult>('/api/v1/auth/login', { email, password }),
  submitTotp: (code: string) => api.post<LoginResult>('/api/v1/auth/totp', { code }),
  setupTotp: () => api.post<TotpSetup>('/api/v1/auth/totp/setup'),
  enableTotp: (code: string) => api.post<TotpEnableResult>('/api/v1/auth/totp/enable', { code }),
  /** With a session waiting for its second factor: that user's passkeys; otherwise passwordless. */
  passkeyOptions: (mode: 'passwordless' | 'second_factor') =>
    api.post<PasskeyLoginOptions>('/api/v1/auth/passkey/options', { mode }),
  passkeyLogin: (challengeId: string, credential: AuthenticationResponseJSON) =>
    api.post<{ status: 'ok'; csrfToken: string }>('/api/v1/auth/passkey', { challengeId, credential }),
  logout: () => api.post<unknown>('/api/v1/auth/logout'),
  requestPasswordReset: (email: string) => api.post<unknown>('/api/v1/auth/password-reset', { email }),
  completePasswordLink: (token: string, newPassword: string) =>
    api.post<unknown>('/api/v1/auth/password-link', { token, newPassword }),
};

export function isCertRole(role: Role): boolean {
  return role === 'cert-admin' || role === 'cert-analyst';
}
