import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import type { TotpSetup } from '../auth/api';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '../../lib/webauthn';

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Synced by a password manager or platform account rather than bound to one device. */
  backedUp: boolean;
}

export interface PasskeyRegistrationOptions {
  challengeId: string;
  options: PublicKeyCredentialCreationOptionsJSON;
}

export const profileKeys = {
  sessions: ['me', 'sessions'] as const,
  passkeys: ['me', 'passkeys'] as const,
};

export const sessionsQuery = queryOptions({
  queryKey: profileKeys.sessions,
  queryFn: ({ signal }) => api.get<{ items: Session[] }>('/api/v1/me/sessions', undefined, signal),
});

export const passkeysQuery = queryOptions({
  queryKey: profileKeys.passkeys,
  queryFn: ({ signal }) => api.get<{ items: Passkey[] }>('/api/v1/me/passkeys', undefined, signal),
});

export const profileApi = {
  passkeyOptions: () => api.post<PasskeyRegistrationOptions>('/api/v1/me/passkeys/options'),
  addPasskey: (challengeId: string, name: string, credential: RegistrationResponseJSON) =>
    api.post<Passkey>('/api/v1/me/passkeys', { challengeId, name, credential }),
  removePasskey: (id: string) => api.delete<unknown>(`/api/v1/me/passkeys/${encodeURIComponent(id)}`),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<unknown>('/api/v1/me/password', { currentPassword, newPassword }),
  setupTotp: () => api.post<TotpSetup>('/api/v1/me/totp/setup'),
  enableTotp: (code: string) => api.post<{ recoveryCodes: string[] }>('/api/v1/me/totp/enable', { code }),
  regenerateRecoveryCodes: () => api.post<{ recoveryCodes: string[] }>('/api/v1/me/recovery-codes'),
  endSession: (id: string) => api.delete<unknown>(`/api/v1/me/sessions/${encodeURIComponent(id)}`),
  /** Assumed endpoint (not in the original brief): stores the account's preferred language. */
  setLocale: (locale: string) => api.patch<unknown>('/api/v1/me', { locale }),
};
