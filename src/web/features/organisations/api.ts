import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, type Page } from '../../lib/api-client';
import type { OrganisationKind } from '../auth/api';

export const ORGANISATION_KINDS = [
  'cert',
  'participant',
  'vendor',
  'partner',
] as const satisfies readonly OrganisationKind[];
export const CREATABLE_KINDS = [
  'participant',
  'vendor',
  'partner',
] as const satisfies readonly OrganisationKind[];
export const SEGMENTS = [
  'hospital',
  'umc',
  'mental_health',
  'elderly_care',
  'disability_care',
  'primary_care',
  'lab',
  'pharmacy',
  'other',
] as const;
export type Segment = (typeof SEGMENTS)[number];
export const MEMBERSHIP_STATUSES = ['prospect', 'active', 'suspended', 'ended'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  shortName: string | null;
  segment: Segment | null;
  membershipStatus: MembershipStatus;
  memberSince: string | null;
  memberUntil: string | null;
  /** For partners: the participant organisations they act for (empty for other kinds). */
  clientOrganisationIds: string[];
  /** A participant that left its vulnerability disclosure to the CERT. */
  cvdDelegated: boolean;
  createdAt: string;
}

export interface OrganisationFilters {
  q?: string;
  kind?: OrganisationKind;
}

export interface NewOrganisation {
  name: string;
  shortName: string | null;
  /** The CERT's own organisation exists from installation; it is never created here. */
  kind: Exclude<OrganisationKind, 'cert'>;
  segment: Segment | null;
  membershipStatus: MembershipStatus;
  memberSince: string | null;
}

/** PATCH body: only the fields sent change; `segment` is for participants, clients for partners. */
export interface OrganisationPatch {
  name?: string;
  shortName?: string | null;
  segment?: Segment;
  membershipStatus?: MembershipStatus;
  memberSince?: string | null;
  memberUntil?: string | null;
  clientOrganisationIds?: string[];
}

export const organisationKeys = {
  all: ['organisations'] as const,
  list: (filters: OrganisationFilters) => ['organisations', 'list', filters] as const,
  search: (q: string) => ['organisations', 'search', q] as const,
  detail: (id: string) => ['organisations', 'detail', id] as const,
  contacts: (id: string) => ['organisations', 'contacts', id] as const,
};

const PAGE_SIZE = 50;

export function organisationsQuery(filters: OrganisationFilters) {
  return infiniteQueryOptions({
    queryKey: organisationKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Organisation>>(
        '/api/v1/organisations',
        { limit: PAGE_SIZE, cursor: pageParam, kind: filters.kind, q: filters.q },
        signal,
      ),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Small result set for pickers and the command palette, optionally of one kind only. */
export function organisationSearchQuery(q: string, limit = 10, kind?: OrganisationKind) {
  return queryOptions({
    queryKey: [...organisationKeys.search(q), limit, kind ?? 'any'],
    queryFn: ({ signal }) =>
      api.get<Page<Organisation>>('/api/v1/organisations', { limit, q: q.trim() || undefined, kind }, signal),
    staleTime: 30_000,
  });
}

export function organisationQuery(id: string) {
  return queryOptions({
    queryKey: organisationKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<Organisation>(`/api/v1/organisations/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export function createOrganisation(input: NewOrganisation): Promise<Organisation> {
  return api.post<Organisation>('/api/v1/organisations', input);
}

export function updateOrganisation(id: string, patch: OrganisationPatch): Promise<Organisation> {
  return api.patch<Organisation>(`/api/v1/organisations/${encodeURIComponent(id)}`, patch);
}
