import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, type Page } from '../../lib/api-client';
import type { Role } from '../auth/api';

export type UserStatus = 'invited' | 'active' | 'disabled';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  status: UserStatus;
  totpEnabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface Invitation {
  email: string;
  name: string;
  role: Role;
  organisationId: string;
}

export const userKeys = {
  all: ['users'] as const,
  list: ['users', 'list'] as const,
};

export const usersQuery = infiniteQueryOptions({
  queryKey: userKeys.list,
  queryFn: ({ pageParam, signal }) =>
    api.get<Page<User>>('/api/v1/users', { limit: 50, cursor: pageParam }, signal),
  // An empty cursor is dropped from the query string, i.e. "first page".
  initialPageParam: '',
  getNextPageParam: (last) => last.nextCursor ?? undefined,
});

export const usersApi = {
  invite: (invitation: Invitation) => api.post<User>('/api/v1/users', invitation),
  disable: (id: string) => api.post<User>(`/api/v1/users/${encodeURIComponent(id)}/disable`),
  enable: (id: string) => api.post<User>(`/api/v1/users/${encodeURIComponent(id)}/enable`),
};
