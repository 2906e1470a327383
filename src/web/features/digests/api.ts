import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, type Page } from '../../lib/api-client';
// The server's own types and constants (type-only or plain constants: no server code is bundled).
import { DIGEST_KINDS, type DIGEST_STATUSES } from '#db/schema-digests.ts';
import type { DigestDetailOut, DigestOut, EntryInput, PreviewOut, RecipientsOut } from '#modules/digests/digest.schema.ts';

export type Digest = DigestOut;
export type DigestDetail = DigestDetailOut;
export type DigestEntry = DigestDetailOut['entries'][number];
export type DigestChart = DigestDetailOut['charts']['nl'][number];
export type DigestKind = (typeof DIGEST_KINDS)[number];
export type DigestStatus = (typeof DIGEST_STATUSES)[number];
export type Recipients = RecipientsOut;
export type Preview = PreviewOut;
export type NewEntry = z.input<typeof EntryInput>;

export const KINDS = DIGEST_KINDS;

export interface DigestFilters {
  kind?: DigestKind;
}

export const digestKeys = {
  all: ['digests'] as const,
  lists: ['digests', 'list'] as const,
  list: (filters: DigestFilters) => ['digests', 'list', filters] as const,
  detail: (id: string) => ['digests', 'detail', id] as const,
  recipients: (id: string) => ['digests', 'recipients', id] as const,
  preview: (id: string, contactId: string) => ['digests', 'preview', id, contactId] as const,
};

export const digestPath = (id: string) => `/api/v1/digests/${encodeURIComponent(id)}`;

/** The archive: sent digests (for the CERT also drafts, held ones and those in review), newest first. */
export function digestsQuery(filters: DigestFilters) {
  return infiniteQueryOptions({
    queryKey: digestKeys.list(filters),
    queryFn: ({ pageParam, signal }) => api.get<Page<Digest>>('/api/v1/digests', { limit: 50, cursor: pageParam, kind: filters.kind }, signal),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function digestQuery(id: string) {
  return queryOptions({ queryKey: digestKeys.detail(id), queryFn: ({ signal }) => api.get<DigestDetail>(digestPath(id), undefined, signal) });
}

export function recipientsQuery(id: string) {
  return queryOptions({ queryKey: digestKeys.recipients(id), queryFn: ({ signal }) => api.get<Recipients>(`${digestPath(id)}/recipients`, undefined, signal) });
}

export function previewQuery(id: string, contactId: string) {
  return queryOptions({
    queryKey: digestKeys.preview(id, contactId),
    queryFn: ({ signal }) => api.get<Preview>(`${digestPath(id)}/preview`, { contactId }, signal),
  });
}
