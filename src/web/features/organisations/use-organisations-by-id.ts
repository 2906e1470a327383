import { useQueries } from '@tanstack/react-query';
import { organisationQuery, type Organisation } from './api';

interface OrganisationsById {
  /** The organisations that loaded, in the order of the ids. */
  organisations: Organisation[];
  pending: boolean;
  error: unknown;
}

/**
 * Loads a handful of organisations by id (a partner's clients), one cached request each; the
 * detail queries are shared with the organisation pages.
 */
export function useOrganisationsById(ids: readonly string[]): OrganisationsById {
  return useQueries({
    queries: ids.map((id) => organisationQuery(id)),
    combine: (results) => ({
      organisations: results.flatMap((result) => (result.data ? [result.data] : [])),
      pending: results.some((result) => result.isPending),
      error: results.find((result) => result.error)?.error ?? null,
    }),
  });
}
