import { optionalString } from '../../lib/search-params';

export interface AuditFilters {
  action?: string;
  actor?: string;
  targetId?: string;
  /** ISO 8601 instants, as sent to the API. */
  from?: string;
  to?: string;
}

export function validateAuditSearch(search: Record<string, unknown>): AuditFilters {
  return {
    action: optionalString(search.action),
    actor: optionalString(search.actor),
    targetId: optionalString(search.targetId),
    from: optionalString(search.from),
    to: optionalString(search.to),
  };
}
