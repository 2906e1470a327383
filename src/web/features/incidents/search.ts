import { optionalEnum, optionalString } from '../../lib/search-params';
import { SEVERITY_LIST, STATUS_FILTERS, type CaseFilters } from './api';

/** The filters of the case list, kept in the URL so a view can be shared and reloaded. */
export type IncidentSearch = CaseFilters;

export function validateIncidentSearch(search: Record<string, unknown>): IncidentSearch {
  const q = optionalString(search.q);
  return {
    status: optionalEnum(search.status, STATUS_FILTERS),
    severity: optionalEnum(search.severity, SEVERITY_LIST),
    // The API takes at most 200 characters; a longer hand-edited URL should not break the page.
    q: q && q.length <= 200 ? q : undefined,
  };
}

/** The CERT's tabs of a case page. */
export const CASE_TABS = ['tasks', 'timeline', 'observables', 'evidence', 'messages', 'parties', 'reports'] as const;
export type CaseTab = (typeof CASE_TABS)[number];

export function validateCaseSearch(search: Record<string, unknown>): { tab?: CaseTab } {
  return { tab: optionalEnum(search.tab, CASE_TABS) };
}
