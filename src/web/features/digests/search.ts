import { optionalEnum } from '../../lib/search-params';
import { KINDS, type DigestFilters } from './api';

/** The archive's filter, kept in the URL so a view can be shared and reloaded. */
export function validateDigestsSearch(search: Record<string, unknown>): DigestFilters {
  return { kind: optionalEnum(search.kind, KINDS) };
}

/** The digest page's chosen preview recipient, in the URL as well. */
export function validateDigestSearch(search: Record<string, unknown>): { preview?: string } {
  const preview = typeof search.preview === 'string' && /^[0-9a-f-]{36}$/i.test(search.preview) ? search.preview : undefined;
  return { preview };
}
