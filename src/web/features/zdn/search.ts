import { optionalEnum, optionalString } from '../../lib/search-params';
import { INDICATOR_TYPES, type IndicatorType } from './api';

/** The filters of the indicator list, kept in the URL so a search can be shared and reloaded. */
export interface IndicatorSearch {
  q?: string;
  type?: IndicatorType;
}

export function validateIndicatorSearch(search: Record<string, unknown>): IndicatorSearch {
  const q = optionalString(search.q);
  return {
    // The API takes at most 500 characters; a longer hand-edited URL should not break the page.
    q: q && q.length <= 500 ? q : undefined,
    type: optionalEnum(search.type, INDICATOR_TYPES),
  };
}
