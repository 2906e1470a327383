import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, type Page } from '../../lib/api-client';
// The server's own types (type-only: nothing of the server is bundled), so the pages and the API
// cannot drift apart.
import type { CVD_CREDITS, CVD_PARTY_KINDS, CVD_TARGET_KINDS } from '#db/schema-cvd.ts';
// The rules themselves are plain constants the server reads too (no server code comes with them).
import { CVD_CLOSED_STATUSES, CVD_NEXT_STATUSES, CVD_PARTY_ORGANISATION_KINDS, CVD_PARTY_STATUSES, CVD_STATUSES, cvdMoveNeedsReason } from '#db/schema-cvd.ts';
import type { CvdCaseOut, CvdPatch, CvdSummaryOut, MessageInput, PartyInput, PartyPatch, PartyViewOut } from '#modules/cvd/cvd.schema.ts';

export type CvdStatus = (typeof CVD_STATUSES)[number];
export type CvdTargetKind = (typeof CVD_TARGET_KINDS)[number];
export type CvdCredit = (typeof CVD_CREDITS)[number];
export type PartyKind = (typeof CVD_PARTY_KINDS)[number];
export type PartyStatus = (typeof CVD_PARTY_STATUSES)[number];
export type CvdCase = CvdCaseOut;
export type CvdSummary = CvdSummaryOut;
export type PartyView = PartyViewOut;
export type CvdParty = CvdCaseOut['parties'][number];
export type CvdMessage = CvdCaseOut['messages'][number];
export type CvdAttachment = CvdCaseOut['attachments'][number];
export type CvdEvent = CvdCaseOut['events'][number];
export type ScopeOrganisation = CvdCaseOut['scope']['organisations'][number];
export type FirstResponseClock = CvdSummaryOut['firstResponse'];
export type DisclosureClock = CvdCaseOut['disclosure'];
/** The request bodies as sent (the server fills in the defaults). */
export type CvdChange = z.input<typeof CvdPatch>;
export type NewParty = z.input<typeof PartyInput>;
export type PartyChange = z.input<typeof PartyPatch>;
export type NewMessage = z.input<typeof MessageInput>;

export const STATUS_LIST = CVD_STATUSES;
export const CLOSED_STATUSES = CVD_CLOSED_STATUSES;
export const PARTY_STATUS_LIST = CVD_PARTY_STATUSES;
/** What a party records itself ('notified' is where every party starts). */
export const OWN_STATUS_LIST = ['acknowledged', 'fix_planned', 'fixed', 'not_affected'] as const satisfies readonly PartyStatus[];
/** The kinds of party the CERT brings in (the finder comes with the report). */
export const ADDABLE_KINDS = ['participant', 'manufacturer', 'cert', 'other'] as const satisfies readonly PartyKind[];
export type AddableKind = (typeof ADDABLE_KINDS)[number];
/** Which organisations fit a party kind, and the moves a case may make: the server's own tables. */
export const ORGANISATION_KINDS_FOR = CVD_PARTY_ORGANISATION_KINDS;
export const NEXT_STATUSES = CVD_NEXT_STATUSES;
export const needsReason = cvdMoveNeedsReason;

/** The list filter: a status, or every open or every closed case. */
export const STATUS_FILTERS = ['open', 'closed', ...STATUS_LIST] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface CvdFilters {
  status?: StatusFilter;
  q?: string;
}

/** GET /api/v1/cvd/dashboard: the clocks that need the CERT's attention. */
export interface CvdDashboard {
  firstResponse: { overdue: CvdSummary[]; soon: CvdSummary[] };
  disclosure: { overdue: CvdSummary[]; soon: CvdSummary[] };
  counts: Partial<Record<CvdStatus, number>>;
}

export const cvdKeys = {
  all: ['cvd'] as const,
  lists: ['cvd', 'list'] as const,
  list: (filters: CvdFilters) => ['cvd', 'list', filters] as const,
  case: (id: string) => ['cvd', 'case', id] as const,
  partyCase: (id: string) => ['cvd', 'party-case', id] as const,
  dashboard: ['cvd', 'dashboard'] as const,
};

const PAGE_SIZE = 50;
export const casePath = (id: string) => `/api/v1/cvd/cases/${encodeURIComponent(id)}`;
export const partyCasePath = (id: string) => `/api/v1/cvd/party-cases/${encodeURIComponent(id)}`;

function listQuery(filters: CvdFilters): { status?: CvdStatus; open?: 'true' | 'false' } {
  if (filters.status === 'open') return { open: 'true' };
  if (filters.status === 'closed') return { open: 'false' };
  return { status: filters.status };
}

/** The CERT: every case; a party: the cases it is a party to. */
export function casesQuery(filters: CvdFilters) {
  return infiniteQueryOptions({
    queryKey: cvdKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<CvdSummary>>('/api/v1/cvd/cases', { limit: PAGE_SIZE, cursor: pageParam, ...listQuery(filters), q: filters.q?.trim() }, signal),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function caseQuery(id: string) {
  return queryOptions({
    queryKey: cvdKeys.case(id),
    queryFn: ({ signal }) => api.get<CvdCase>(casePath(id), undefined, signal),
  });
}

export function partyCaseQuery(id: string) {
  return queryOptions({
    queryKey: cvdKeys.partyCase(id),
    queryFn: ({ signal }) => api.get<PartyView>(partyCasePath(id), undefined, signal),
  });
}

export const dashboardQuery = queryOptions({
  queryKey: cvdKeys.dashboard,
  queryFn: ({ signal }) => api.get<CvdDashboard>('/api/v1/cvd/dashboard', undefined, signal),
});

/** Links the browser follows itself (a GET with the session cookie): files come as attachments. */
export const downloads = {
  attachment: (caseId: string, attachmentId: string) => `${casePath(caseId)}/attachments/${encodeURIComponent(attachmentId)}`,
  partyAttachment: (caseId: string, attachmentId: string) => `${partyCasePath(caseId)}/attachments/${encodeURIComponent(attachmentId)}`,
};
