import { optionalEnum, optionalString } from '../../lib/search-params';
import { STATUS_FILTERS, type CvdFilters } from './api';

/** The filters of the case list, kept in the URL so a view can be shared and reloaded. */
export type CvdSearch = CvdFilters;

export function validateCvdSearch(search: Record<string, unknown>): CvdSearch {
  const q = optionalString(search.q);
  return {
    status: optionalEnum(search.status, STATUS_FILTERS),
    // The API takes at most 200 characters; a longer hand-edited URL should not break the page.
    q: q && q.length <= 200 ? q : undefined,
  };
}

/** The CERT's case page remembers which channel is open (a party's id, or the internal notes). */
export function validateCvdCaseSearch(search: Record<string, unknown>): { channel?: string } {
  const channel = optionalString(search.channel);
  return { channel: channel && (channel === 'notes' || /^[0-9a-f-]{36}$/.test(channel)) ? channel : undefined };
}
