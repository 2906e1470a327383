import { optionalEnum, optionalString } from '../../lib/search-params';
import { ORGANISATION_KINDS, type OrganisationFilters } from './api';

export function validateOrganisationsSearch(search: Record<string, unknown>): OrganisationFilters {
  return {
    q: optionalString(search.q),
    kind: optionalEnum(search.kind, ORGANISATION_KINDS),
  };
}

export const ORGANISATION_TABS = ['contacts', 'assets', 'webhooks'] as const;
export type OrganisationTab = (typeof ORGANISATION_TABS)[number];

export function validateOrganisationTab(search: Record<string, unknown>): { tab?: OrganisationTab } {
  return { tab: optionalEnum(search.tab, ORGANISATION_TABS) };
}
