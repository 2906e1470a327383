import type { AlertResponseStatus, OrganisationResponse } from './api';

export const ROW_FILTERS = ['all', 'unanswered', 'received', 'not_affected', 'mitigating', 'patched'] as const;
export type RowFilter = (typeof ROW_FILTERS)[number];
export const SORT_KEYS = ['organisation', 'status', 'respondedAt', 'firstResponse'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  key: SortKey;
  descending: boolean;
}

// By what still needs the CERT's attention: silence first, "patched" last.
const STATUS_RANK: Record<AlertResponseStatus | 'none', number> = { none: 0, received: 1, mitigating: 2, not_affected: 3, patched: 4 };

function compare(a: OrganisationResponse, b: OrganisationResponse, key: SortKey): number {
  switch (key) {
    case 'organisation':
      return a.organisationName.localeCompare(b.organisationName);
    case 'status':
      return STATUS_RANK[a.status ?? 'none'] - STATUS_RANK[b.status ?? 'none'];
    case 'respondedAt':
      return (a.respondedAt ?? '').localeCompare(b.respondedAt ?? '');
    case 'firstResponse':
      // Not answered yet is slower than any answer.
      return (a.secondsToFirstResponse ?? Number.POSITIVE_INFINITY) - (b.secondsToFirstResponse ?? Number.POSITIVE_INFINITY);
  }
}

/** The dashboard's rows for one filter, name search and sort; ties keep the name order. */
export function visibleRows(rows: readonly OrganisationResponse[], filter: RowFilter, query: string, sort: Sort): OrganisationResponse[] {
  const needle = query.trim().toLowerCase();
  return rows
    .filter((row) => (filter === 'all' ? true : filter === 'unanswered' ? row.status === null : row.status === filter))
    .filter((row) => !needle || row.organisationName.toLowerCase().includes(needle))
    .sort((a, b) => {
      const order = compare(a, b, sort.key);
      return (sort.descending ? -order : order) || a.organisationName.localeCompare(b.organisationName);
    });
}
