import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import type { AlertResponseStatus } from '#db/schema.ts';
import { advisoryKeys } from '../advisories/api';

export type { AlertResponseStatus };

/** The answers an organisation gives to an operational alert, in the order of the buttons. */
export const RESPONSE_STATUSES = ['received', 'not_affected', 'mitigating', 'patched'] as const satisfies readonly AlertResponseStatus[];

export interface ResponseCounts extends Record<AlertResponseStatus, number> {
  /** Organisations without any answer yet. */
  none: number;
}

export interface OrganisationResponse {
  organisationId: string;
  organisationName: string;
  /** The alert was mailed to it (others answered because the portal showed them the alert). */
  recipient: boolean;
  status: AlertResponseStatus | null;
  comment: string | null;
  respondedAt: string | null;
  firstResponseAt: string | null;
  secondsToFirstResponse: number | null;
  responses: number;
}

export interface ResponseHistoryEntry {
  organisationName: string;
  status: AlertResponseStatus;
  comment: string | null;
  via: 'link' | 'portal';
  respondedAt: string;
  by: string | null;
}

export interface ResponseDashboard {
  productId: string;
  identifier: string;
  title: string;
  publishedAt: string | null;
  counts: ResponseCounts;
  medianSecondsToFirstResponse: number | null;
  organisations: OrganisationResponse[];
  history: ResponseHistoryEntry[];
}

export interface MyResponse {
  id: string;
  status: AlertResponseStatus;
  comment: string | null;
  via: 'link' | 'portal';
  respondedAt: string;
}

export interface MyResponses {
  /** Whether the alert was mailed to my organisation. */
  recipient: boolean;
  responses: MyResponse[];
}

// Under the advisories' keys so a withdrawal or new revision refreshes them too; the realtime
// event 'alert.response' invalidates the 'responses' prefix.
export const alertResponseKeys = {
  all: [...advisoryKeys.all, 'responses'] as const,
  dashboard: (id: string) => [...advisoryKeys.all, 'responses', 'dashboard', id] as const,
  mine: (id: string) => [...advisoryKeys.all, 'responses', 'mine', id] as const,
};

const base = (id: string) => `/api/v1/advisories/${encodeURIComponent(id)}/responses`;

export function responseDashboardQuery(id: string) {
  return queryOptions({
    queryKey: alertResponseKeys.dashboard(id),
    queryFn: ({ signal }) => api.get<ResponseDashboard>(base(id), undefined, signal),
  });
}

export function myResponsesQuery(id: string) {
  return queryOptions({
    queryKey: alertResponseKeys.mine(id),
    queryFn: ({ signal }) => api.get<MyResponses>(`${base(id)}/mine`, undefined, signal),
  });
}

export function responsesCsvUrl(id: string): string {
  return `${base(id)}.csv`;
}

export const alertResponsesApi = {
  respond: (id: string, input: { status: AlertResponseStatus; comment?: string }) =>
    api.post<{ id: string; status: AlertResponseStatus; respondedAt: string }>(base(id), input),
};
