import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, type Page } from '../../lib/api-client';

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** An in-app path such as /advisories/WP-2026-0001, or null. */
  link: string | null;
  subjectType: string | null;
  subjectId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage extends Page<Notification> {
  unread: number;
}

export const notificationKeys = {
  all: ['notifications'] as const,
  list: (unreadOnly: boolean) => ['notifications', 'list', unreadOnly] as const,
  unreadCount: ['notifications', 'unread-count'] as const,
};

const PAGE_SIZE = 50;

export function notificationsQuery(unreadOnly: boolean) {
  return infiniteQueryOptions({
    queryKey: notificationKeys.list(unreadOnly),
    queryFn: ({ pageParam, signal }) =>
      api.get<NotificationPage>('/api/v1/notifications', { unread: unreadOnly ? 'true' : undefined, cursor: pageParam, limit: PAGE_SIZE }, signal),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

// The realtime event 'notifications.changed' invalidates it, so it need not poll.
export const unreadCountQuery = queryOptions({
  queryKey: notificationKeys.unreadCount,
  queryFn: ({ signal }) => api.get<{ unread: number }>('/api/v1/notifications/unread-count', undefined, signal),
  staleTime: 60_000,
});

export const notificationsApi = {
  markAllRead: () => api.post<{ changed: number }>('/api/v1/notifications/read', { all: true }),
  markOneRead: (id: string) => api.post<{ changed: number }>(`/api/v1/notifications/${encodeURIComponent(id)}/read`),
};

/** Only same-origin paths are followed from a notification (never another site). */
export function inAppPath(link: string | null): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.startsWith('/\\')) return null;
  return link;
}
