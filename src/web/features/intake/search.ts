import { optionalEnum, optionalString } from '../../lib/search-params';
import { READ_FILTERS, RELEVANCES, STATES, type StoryFilters } from './api';

export const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** At most 200 characters, as the API takes them; a longer hand-edited URL should not break the page. */
function shortText(value: unknown): string | undefined {
  const text = optionalString(value)?.trim();
  return text && text.length <= 200 ? text : undefined;
}

/** The inbox's filters, kept in the URL so a view can be shared and reloaded. */
export function validateIntakeSearch(search: Record<string, unknown>): StoryFilters {
  const cve = optionalString(search.cve)?.trim();
  const source = optionalString(search.source);
  return {
    q: shortText(search.q),
    source: source && UUID.test(source) ? source.toLowerCase() : undefined,
    // The API refuses a malformed CVE id.
    cve: cve && CVE_PATTERN.test(cve) ? cve.toUpperCase() : undefined,
    vendor: shortText(search.vendor),
    product: shortText(search.product),
    relevance: optionalEnum(search.relevance, RELEVANCES),
    read: optionalEnum(search.read, READ_FILTERS),
    state: optionalEnum(search.state, STATES),
  };
}
