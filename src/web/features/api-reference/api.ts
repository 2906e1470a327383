import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';

export const OPENAPI_URL = '/api/openapi.json';

export const openApiQuery = queryOptions({
  queryKey: ['openapi'] as const,
  queryFn: ({ signal }) => api.get<unknown>(OPENAPI_URL, undefined, signal),
  staleTime: 10 * 60_000,
});
