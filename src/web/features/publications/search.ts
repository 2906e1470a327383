import { optionalEnum, optionalString } from '../../lib/search-params';
import { KINDS, LANGUAGES, type PublicationFilters } from './api';

/** The library's filters, kept in the URL so a view can be shared and reloaded. */
export function validatePublicationsSearch(search: Record<string, unknown>): PublicationFilters {
  const q = optionalString(search.q);
  const tag = optionalString(search.tag);
  return {
    q: q && q.length <= 200 ? q : undefined,
    kind: optionalEnum(search.kind, KINDS),
    tag: tag && tag.length <= 40 ? tag : undefined,
    language: optionalEnum(search.language, LANGUAGES),
  };
}
