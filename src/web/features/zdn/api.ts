import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../lib/api-client';
import type { Tlp } from '#lib/tlp.ts';
// The server's own types (type-only: nothing of the server is bundled), so the pages and the API
// cannot drift apart.
import type { IndicatorType } from '#modules/zdn/indicator-types.ts';
import type { EventInput, EventOut, IndicatorInput, IndicatorOut, IngestResultOut } from '#modules/zdn/zdn.schema.ts';

export type { IndicatorType, Tlp };
export type ZdnEvent = EventOut;
export type Indicator = IndicatorOut;
export type IngestResult = IngestResultOut;
export type IndicatorStatus = IndicatorOut['status'];
export type SightingKind = NonNullable<IndicatorOut['sightings']>['named'][number]['kind'];
export type SightingSummary = NonNullable<IndicatorOut['sightings']>;
export type NewIndicator = Pick<IndicatorInput, 'type' | 'value' | 'tlp' | 'confidence' | 'comment' | 'tags' | 'validUntil'>;

/** What the "New event" form sends; the server fills in the defaults of the other fields. */
export type NewEvent = Pick<EventInput, 'title' | 'tlp'> & Partial<Pick<EventInput, 'description' | 'tags' | 'sourceAnonymous'>> & { recipients?: { organisationId: string }[] };

export const INDICATOR_TYPES = [
  'ipv4',
  'ipv6',
  'cidr',
  'domain',
  'hostname',
  'url',
  'email',
  'email-subject',
  'filename',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'ja3',
  'ja4',
  'user-agent',
  'yara',
  'sigma',
  'cve',
  'asn',
] as const satisfies readonly IndicatorType[];
export const INDICATOR_STATUSES = ['active', 'pending', 'held', 'rejected'] as const satisfies readonly IndicatorStatus[];
export const SIGHTING_KINDS = ['seen', 'blocked', 'false-positive'] as const satisfies readonly SightingKind[];

export interface Candidate {
  type: IndicatorType;
  value: string;
}

export interface SightingInput {
  kind: SightingKind;
  count?: number;
  shareIdentity?: boolean;
}

export interface IndicatorFilters {
  q?: string;
  type?: IndicatorType;
  eventId?: string;
  status?: IndicatorStatus;
}

export const zdnKeys = {
  all: ['zdn'] as const,
  indicators: ['zdn', 'indicators'] as const,
  indicatorList: (filters: IndicatorFilters) => ['zdn', 'indicators', 'list', filters] as const,
  indicator: (id: string) => ['zdn', 'indicators', 'detail', id] as const,
  events: ['zdn', 'events'] as const,
  eventList: ['zdn', 'events', 'list'] as const,
  event: (id: string) => ['zdn', 'events', 'detail', id] as const,
};

const PAGE_SIZE = 50;
const eventPath = (id: string) => `/api/v1/zdn/events/${encodeURIComponent(id)}`;
const indicatorPath = (id: string) => `/api/v1/zdn/indicators/${encodeURIComponent(id)}`;

/** The event as a STIX 2.1 bundle (a download; the session cookie authorises it). */
export const stixUrl = (eventId: string) => `${eventPath(eventId)}/stix`;

export function indicatorsQuery(filters: IndicatorFilters) {
  return infiniteQueryOptions({
    queryKey: zdnKeys.indicatorList(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Indicator>>(
        '/api/v1/zdn/indicators',
        { limit: PAGE_SIZE, cursor: pageParam, q: filters.q?.trim(), type: filters.type, eventId: filters.eventId, status: filters.status },
        signal,
      ),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function indicatorQuery(id: string) {
  return queryOptions({
    queryKey: zdnKeys.indicator(id),
    queryFn: ({ signal }) => api.get<Indicator>(indicatorPath(id), undefined, signal),
  });
}

export const eventsQuery = infiniteQueryOptions({
  queryKey: zdnKeys.eventList,
  queryFn: ({ pageParam, signal }) => api.get<Page<ZdnEvent>>('/api/v1/zdn/events', { limit: PAGE_SIZE, cursor: pageParam }, signal),
  initialPageParam: '',
  getNextPageParam: (last) => last.nextCursor ?? undefined,
});

export function eventQuery(id: string) {
  return queryOptions({
    queryKey: zdnKeys.event(id),
    queryFn: ({ signal }) => api.get<ZdnEvent>(eventPath(id), undefined, signal),
  });
}

export const zdnApi = {
  createEvent: (input: NewEvent) => api.post<ZdnEvent>('/api/v1/zdn/events', input),
  addIndicators: (eventId: string, indicators: NewIndicator[]) => api.post<IngestResult>(`${eventPath(eventId)}/indicators`, { indicators }),
  extract: (text: string) => api.post<{ candidates: Candidate[] }>('/api/v1/zdn/extract', { text }),
  review: (id: string, decision: 'approve' | 'reject', reason?: string) => api.post<Indicator>(`${indicatorPath(id)}/review`, { decision, ...(reason ? { reason } : {}) }),
  reportSighting: (id: string, input: SightingInput) =>
    api.post<{ id: string; indicatorId: string; kind: SightingKind; count: number; seenAt: string }>(`${indicatorPath(id)}/sightings`, input),
};

/** The refusals of a 400 `indicator_invalid`: which values the server would not take, and why. */
export interface SkippedIndicator {
  index: number;
  type: string;
  value: string;
  reason: string;
}

export function skippedOf(details: unknown): SkippedIndicator[] {
  if (typeof details !== 'object' || details === null || !('skipped' in details) || !Array.isArray(details.skipped)) return [];
  const items: unknown[] = details.skipped;
  return items.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const { index, type, value, reason } = item as Record<string, unknown>;
    return typeof index === 'number' && typeof type === 'string' && typeof value === 'string' && typeof reason === 'string' ? [{ index, type, value, reason }] : [];
  });
}

// Mutation hooks: each refreshes what the change affects (lists, counts, the detail).

export function useCreateEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: zdnApi.createEvent,
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: zdnKeys.events }),
  });
}

export function useExtract() {
  return useMutation({ mutationFn: zdnApi.extract });
}

export function useAddIndicators(eventId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (indicators: NewIndicator[]) => zdnApi.addIndicators(eventId, indicators),
    // Correlations ("also in N events") of other indicators can change too: refresh them all.
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: zdnKeys.all }),
  });
}

export function useReportSighting(indicatorId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SightingInput) => zdnApi.reportSighting(indicatorId, input),
    // A false positive lowers the confidence of every indicator with the value: refresh them all.
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: zdnKeys.indicators }),
  });
}

export function useReview(indicatorId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ decision, reason }: { decision: 'approve' | 'reject'; reason?: string }) => zdnApi.review(indicatorId, decision, reason),
    onSuccess: async (indicator) => {
      queryClient.setQueryData(zdnKeys.indicator(indicatorId), indicator);
      await queryClient.invalidateQueries({ queryKey: zdnKeys.all });
    },
  });
}
