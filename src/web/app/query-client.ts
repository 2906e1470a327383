import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import { isApiError } from '../lib/api-client';

type Handler = () => void;
let onUnauthenticated: Handler = () => {};

/** Registered by the router so an expired session anywhere sends the user back to /login. */
export function setUnauthenticatedHandler(handler: Handler): void {
  onUnauthenticated = handler;
}

function handleError(error: unknown): void {
  // On /login a 401 means "wrong password/code" and is shown inline by the form itself.
  if (isApiError(error) && error.status === 401 && window.location.pathname !== '/login') {
    onUnauthenticated();
  }
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: handleError }),
  mutationCache: new MutationCache({ onError: handleError }),
  defaultOptions: {
    queries: {
      // Client errors (401/403/404/422) will not fix themselves on retry.
      retry: (failureCount, error) =>
        failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
  },
});
