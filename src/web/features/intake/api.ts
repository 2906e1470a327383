import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../lib/api-client';
// The server's own types and constants (type-only or plain constants: no server code is bundled),
// so the pages and the API cannot drift apart.
import { INTAKE_SOURCE_KINDS } from '#db/schema-intake.ts';
import type {
  DraftOut,
  MediaOut,
  RunOutcomeOut,
  RunOut,
  SourceDetailOut,
  SourceInput,
  SourceOut,
  SourcePatch,
  StoryDetailOut,
  StoryOut,
  StoryPageOut,
  UpdatedOut,
} from '#modules/intake/intake.schema.ts';

export type Story = z.infer<typeof StoryOut>;
export type StoryPage = z.infer<typeof StoryPageOut>;
export type StoryDetail = z.infer<typeof StoryDetailOut>;
export type StoryItem = StoryDetail['items'][number];
export type KevEntry = StoryDetail['kevEntries'][number];
export type EpssScore = StoryDetail['epssScores'][number];
export type Source = z.infer<typeof SourceOut>;
export type SourceDetail = z.infer<typeof SourceDetailOut>;
export type SourceRun = z.infer<typeof RunOut>;
export type RunOutcome = z.infer<typeof RunOutcomeOut>;
export type HealthState = Source['health']['state'];
/** The body of POST /api/v1/intake/sources, as sent (the server fills in the defaults). */
export type NewSource = z.input<typeof SourceInput>;
export type SourceChange = z.input<typeof SourcePatch>;
export type SourceKind = (typeof INTAKE_SOURCE_KINDS)[number];
export type Draft = z.infer<typeof DraftOut>;
export type Media = z.infer<typeof MediaOut>;
export type Updated = z.infer<typeof UpdatedOut>;

export const SOURCE_KINDS = INTAKE_SOURCE_KINDS;
/** Every kind but a mailbox is fetched from a URL; a mailbox receives mail on the intake address. */
export const URL_KINDS: readonly SourceKind[] = ['csaf', 'rss', 'kev', 'epss'];
export const HEALTH_STATES = ['ok', 'failing', 'never', 'disabled'] as const satisfies readonly HealthState[];
export const RELEVANCES = ['concerned', 'kev', 'epss'] as const;
export type Relevance = (typeof RELEVANCES)[number];
export const STATES = ['open', 'advisory', 'no_action', 'media'] as const;
export type StoryState = (typeof STATES)[number];
export const READ_FILTERS = ['unread', 'read'] as const;
export type ReadFilter = (typeof READ_FILTERS)[number];
/** The server's limits on a source's interval (intake.schema.ts). */
export const MIN_INTERVAL = 5;
export const MAX_INTERVAL = 10_080;

/** The inbox's filters, as kept in the URL. */
export interface StoryFilters {
  q?: string;
  source?: string;
  cve?: string;
  vendor?: string;
  product?: string;
  relevance?: Relevance;
  read?: ReadFilter;
  state?: StoryState;
}

export const intakeKeys = {
  all: ['intake'] as const,
  stories: ['intake', 'stories'] as const,
  list: (filters: StoryFilters) => ['intake', 'stories', 'list', filters] as const,
  story: (id: string) => ['intake', 'stories', 'detail', id] as const,
  sources: ['intake', 'sources'] as const,
  source: (id: string) => ['intake', 'sources', 'detail', id] as const,
};

const PAGE_SIZE = 50;
const storyPath = (id: string) => `/api/v1/intake/stories/${encodeURIComponent(id)}`;
const sourcePath = (id: string) => `/api/v1/intake/sources/${encodeURIComponent(id)}`;

/** The triage inbox: newest activity first, a page at a time. */
export function storiesQuery(filters: StoryFilters) {
  return infiniteQueryOptions({
    queryKey: intakeKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<StoryPage>(
        '/api/v1/intake/stories',
        {
          limit: PAGE_SIZE,
          cursor: pageParam,
          q: filters.q?.trim(),
          source: filters.source,
          cve: filters.cve,
          vendor: filters.vendor,
          product: filters.product,
          relevance: filters.relevance,
          read: filters.read === undefined ? undefined : filters.read === 'read',
          state: filters.state,
        },
        signal,
      ),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function storyQuery(id: string) {
  return queryOptions({ queryKey: intakeKeys.story(id), queryFn: ({ signal }) => api.get<StoryDetail>(storyPath(id), undefined, signal) });
}

export const sourcesQuery = queryOptions({
  queryKey: intakeKeys.sources,
  queryFn: ({ signal }) => api.get<Source[]>('/api/v1/intake/sources', undefined, signal),
});

export function sourceQuery(id: string) {
  return queryOptions({ queryKey: intakeKeys.source(id), queryFn: ({ signal }) => api.get<SourceDetail>(sourcePath(id), undefined, signal) });
}

export const intakeApi = {
  markRead: (ids: string[], read: boolean) => api.post<Updated>('/api/v1/intake/stories/read', { ids, read }),
  noAction: (ids: string[], reason: string) => api.post<Updated>('/api/v1/intake/stories/no-action', { ids, reason }),
  reopen: (ids: string[]) => api.post<Updated>('/api/v1/intake/stories/reopen', { ids }),
  draftAdvisory: (id: string) => api.post<Draft>(`${storyPath(id)}/advisory`),
  addToMedia: (id: string) => api.post<Media>(`${storyPath(id)}/media`, {}),
  createSource: (input: NewSource) => api.post<Source>('/api/v1/intake/sources', input),
  updateSource: (id: string, change: SourceChange) => api.patch<Source>(sourcePath(id), change),
  deleteSource: (id: string) => api.delete<{ ok: true }>(sourcePath(id)),
  runSource: (id: string) => api.post<RunOutcome>(`${sourcePath(id)}/run`),
};

/** "2026-W48" → { year: 2026, week: 48 } (null for anything else). */
export function parseWeek(value: string | null): { year: number; week: number } | null {
  const match = value ? /^(\d{4})-W(\d{2})$/.exec(value) : null;
  return match ? { year: Number(match[1]), week: Number(match[2]) } : null;
}
