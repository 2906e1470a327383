import { useSuspenseQuery } from '@tanstack/react-query';
import { meQueryOptions, type CurrentUser } from './api';

/**
 * The signed-in user. Only for components below the authenticated layout, whose route guard
 * has already loaded /auth/me, so this never suspends in practice.
 */
export function useCurrentUser(): CurrentUser {
  return useSuspenseQuery(meQueryOptions).data;
}
