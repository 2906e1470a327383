import { optionalEnum, optionalString } from '../../lib/search-params';
import { FINDING_STATUS_LIST, SEVERITY_LIST, type FindingFilters } from './api';

/** The filters of the findings list, kept in the URL so a view can be shared and reloaded. */
export type FindingSearch = FindingFilters;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE = /^[a-z0-9-]{1,60}$/;

export function validateFindingSearch(search: Record<string, unknown>): FindingSearch {
  const q = optionalString(search.q);
  const type = optionalString(search.type);
  const organisationId = optionalString(search.organisationId);
  return {
    // The API takes at most 253 characters (a DNS name); a longer hand-edited URL should not break the page.
    q: q && q.length <= 253 ? q : undefined,
    status: optionalEnum(search.status, FINDING_STATUS_LIST),
    // The router may have parsed `open=true` into a boolean.
    open: search.open === true || search.open === 'true' ? true : undefined,
    severity: optionalEnum(search.severity, SEVERITY_LIST),
    type: type && TYPE.test(type) ? type : undefined,
    organisationId: organisationId && UUID.test(organisationId) ? organisationId : undefined,
  };
}
