import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, ApiError, getCsrfToken, type Page } from '../../lib/api-client';
// The server's own types and constants (type-only or plain constants: no server code is bundled).
import { PUBLICATION_AUDIENCES, PUBLICATION_KINDS, PUBLICATION_LANGUAGES, PUBLICATION_STATUSES } from '#db/schema-publications.ts';
import type { PublicationDetailOut, PublicationInput, PublicationOut, PublicationPatch } from '#modules/publications/publication.schema.ts';

export type Publication = PublicationOut;
export type PublicationDetail = PublicationDetailOut;
export type PublicationVersion = PublicationDetailOut['versions'][number];
export type NewPublication = z.input<typeof PublicationInput>;
export type PublicationChange = z.input<typeof PublicationPatch>;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];
export type PublicationLanguage = (typeof PUBLICATION_LANGUAGES)[number];
export type PublicationAudienceKind = (typeof PUBLICATION_AUDIENCES)[number];

export const KINDS = PUBLICATION_KINDS;
export const LANGUAGES = PUBLICATION_LANGUAGES;
export const AUDIENCES = PUBLICATION_AUDIENCES;
export const STATUSES = PUBLICATION_STATUSES;
/** Kept in step with the server's lists (organisation.schema.ts); the server refuses others. */
export const SEGMENTS = ['hospital', 'umc', 'mental_health', 'elderly_care', 'disability_care', 'primary_care', 'lab', 'pharmacy', 'other'] as const;
export const CONTACT_ROLES = ['ciso', 'it_operations', 'medical_technology', 'privacy_officer', 'on_call'] as const;
export const MAX_PDF_BYTES = 20 * 1024 * 1024;

export interface PublicationFilters {
  q?: string;
  kind?: PublicationKind;
  tag?: string;
  language?: PublicationLanguage;
}

export const publicationKeys = {
  all: ['publications'] as const,
  lists: ['publications', 'list'] as const,
  list: (filters: PublicationFilters) => ['publications', 'list', filters] as const,
  detail: (id: string) => ['publications', 'detail', id] as const,
  reviewDue: ['publications', 'review-due'] as const,
};

const PAGE_SIZE = 50;
export const publicationPath = (id: string) => `/api/v1/publications/${encodeURIComponent(id)}`;

/** The library: what the reader's marking and audience allow; a search answers one page, best match first. */
export function publicationsQuery(filters: PublicationFilters) {
  return infiniteQueryOptions({
    queryKey: publicationKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Publication>>(
        '/api/v1/publications',
        { limit: PAGE_SIZE, cursor: pageParam, q: filters.q?.trim(), kind: filters.kind, tag: filters.tag, language: filters.language },
        signal,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function publicationQuery(id: string) {
  return queryOptions({ queryKey: publicationKeys.detail(id), queryFn: ({ signal }) => api.get<PublicationDetail>(publicationPath(id), undefined, signal) });
}

export const reviewDueQuery = queryOptions({
  queryKey: publicationKeys.reviewDue,
  queryFn: ({ signal }) => api.get<Publication[]>('/api/v1/publications/review-due', undefined, signal),
});

/** Links the browser follows itself (a GET with the session cookie): the PDF comes as an attachment. */
export const downloads = {
  current: (id: string) => `${publicationPath(id)}/download`,
  version: (id: string, version: number) => `${publicationPath(id)}/versions/${version}/download`,
};

/** An uploaded PDF goes as multipart/form-data (not JSON), with the session's CSRF token. */
export async function uploadPdf(id: string, file: File, changeNote: string): Promise<{ version: number }> {
  const form = new FormData();
  form.append('changeNote', changeNote);
  form.append('file', file, file.name);
  const csrf = getCsrfToken();
  const response = await fetch(`${publicationPath(id)}/versions/upload`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    body: form,
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'upload_failed', error?.message ?? `HTTP ${response.status}`, error?.details);
  }
  return body as { version: number };
}
