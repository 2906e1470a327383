import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import type { TotpSetup } from '../auth/api';

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export const profileKeys = {
  sessions: ['me', 'sessions'] as const,
};

export const sessionsQuery = queryOptions({
  queryKey: profileKeys.sessions,
  queryFn: ({ signal }) => api.get<{ items: Session[] }>('/api/v1/me/sessions', undefined, signal),
});

export const profileApi = {
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<unknown>('/api/v1/me/password', { currentPassword, newPassword }),
  setupTotp: () => api.post<TotpSetup>('/api/v1/me/totp/setup'),
  enableTotp: (code: string) => api.post<{ recoveryCodes: string[] }>('/api/v1/me/totp/enable', { code }),
  regenerateRecoveryCodes: () => api.post<{ recoveryCodes: string[] }>('/api/v1/me/recovery-codes'),
  endSession: (id: string) => api.delete<unknown>(`/api/v1/me/sessions/${encodeURIComponent(id)}`),
  /** Assumed endpoint (not in the original brief): stores the account's preferred language. */
  setLocale: (locale: string) => api.patch<unknown>('/api/v1/me', { locale }),
};
