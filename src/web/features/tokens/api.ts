import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';

export const TOKEN_SCOPES = [
  'organisations:read',
  'organisations:write',
  'users:read',
  'users:write',
  'documents:read',
  'documents:write',
  'audit:read',
] as const;

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface NewToken {
  name: string;
  scopes: string[];
  expiresAt?: string;
}

export const tokenKeys = { all: ['tokens'] as const };

export const tokensQuery = queryOptions({
  queryKey: tokenKeys.all,
  queryFn: ({ signal }) => api.get<{ items: ApiToken[] }>('/api/v1/tokens', undefined, signal),
});

export const tokensApi = {
  create: (input: NewToken) => api.post<{ token: string; item: ApiToken }>('/api/v1/tokens', input),
  revoke: (id: string) => api.delete<unknown>(`/api/v1/tokens/${encodeURIComponent(id)}`),
};

export type TokenState = 'active' | 'revoked' | 'expired';

export function tokenState(token: ApiToken, now = Date.now()): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}
