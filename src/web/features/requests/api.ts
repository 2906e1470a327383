import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../lib/api-client';
// The server's own types (type-only: nothing of the server is bundled).
import type {
  ArticleDraftOut,
  ArticleInput,
  ArticleOut,
  AskInput,
  CannedOut,
  HeldOut,
  RequestOut,
  RequestSummaryOut,
  TopicOut,
} from '#modules/requests/request.schema.ts';

export type InfoRequest = RequestOut;
export type RequestSummary = RequestSummaryOut;
export type RequestMessage = RequestOut['messages'][number];
export type Topic = z.infer<typeof TopicOut>;
export type Canned = z.infer<typeof CannedOut>;
export type Held = z.infer<typeof HeldOut>;
export type Article = ArticleOut;
export type ArticleDraft = z.infer<typeof ArticleDraftOut>;
export type NewQuestion = z.input<typeof AskInput>;
export type NewArticle = z.input<typeof ArticleInput>;

export const REQUEST_STATUSES = ['new', 'answered', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface RequestFilters {
  status?: RequestStatus;
  overdue?: boolean;
  mine?: boolean;
  held?: boolean;
  q?: string;
}

export const requestKeys = {
  all: ['requests'] as const,
  lists: ['requests', 'list'] as const,
  list: (f: RequestFilters) => ['requests', 'list', f] as const,
  one: (id: string) => ['requests', 'one', id] as const,
  topics: ['requests', 'topics'] as const,
  canned: ['requests', 'canned'] as const,
  held: ['requests', 'held'] as const,
  draft: (id: string) => ['requests', 'draft', id] as const,
  articles: (q: string) => ['knowledge', 'list', q] as const,
  article: (id: string) => ['knowledge', 'one', id] as const,
};

export const requestPath = (id: string) => `/api/v1/requests/${encodeURIComponent(id)}`;

export const requestsQuery = (f: RequestFilters) =>
  queryOptions({
    queryKey: requestKeys.list(f),
    queryFn: ({ signal }) =>
      api.get<RequestSummary[]>(
        '/api/v1/requests',
        {
          status: f.status,
          overdue: f.overdue ? 'true' : undefined,
          assignee: f.mine ? 'me' : undefined,
          held: f.held ? 'true' : undefined,
          q: f.q || undefined,
        },
        signal,
      ),
  });
export const requestQuery = (id: string) =>
  queryOptions({ queryKey: requestKeys.one(id), queryFn: ({ signal }) => api.get<InfoRequest>(requestPath(id), undefined, signal) });
export const topicsQuery = () =>
  queryOptions({ queryKey: requestKeys.topics, queryFn: ({ signal }) => api.get<Topic[]>('/api/v1/requests/topics', undefined, signal) });
export const cannedQuery = () =>
  queryOptions({ queryKey: requestKeys.canned, queryFn: ({ signal }) => api.get<Canned[]>('/api/v1/requests/canned-answers', undefined, signal) });
export const heldQuery = () => queryOptions({ queryKey: requestKeys.held, queryFn: ({ signal }) => api.get<Held>('/api/v1/requests/held', undefined, signal) });
export const articlesQuery = (q: string) =>
  queryOptions({ queryKey: requestKeys.articles(q), queryFn: ({ signal }) => api.get<Article[]>('/api/v1/knowledge', { q: q || undefined }, signal) });
export const articleQuery = (id: string) =>
  queryOptions({
    queryKey: requestKeys.article(id),
    queryFn: ({ signal }) => api.get<Article>(`/api/v1/knowledge/${encodeURIComponent(id)}`, undefined, signal),
  });
export const fetchDraft = (id: string) => api.get<ArticleDraft>(`${requestPath(id)}/article-draft`);
