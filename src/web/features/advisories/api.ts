import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, buildUrl, request, type Page } from '../../lib/api-client';
import type { RevisionDiff } from '#lib/text-diff.ts';
import type { Tlp } from '#lib/tlp.ts';
// The content model is the server's own type (type-only: nothing of the server is bundled), so the
// editor, the detail page and the API cannot drift apart.
import type { AdvisoryContent, AdvisoryContentInput, Level, ProductKind, ProductStatus, RemediationCategory } from '#modules/advisories/advisory.content.ts';
import type { AdvisoryFilters } from './search';

export type { AdvisoryContent, AdvisoryContentInput, Level, ProductKind, ProductStatus, RemediationCategory, RevisionDiff, Tlp };

export const PRODUCT_KINDS = ['advisory', 'info', 'alert'] as const satisfies readonly ProductKind[];
export const WORKFLOW_STATUSES = ['draft', 'in_review', 'approved', 'published', 'withdrawn'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];
export const LEVELS = ['high', 'medium', 'low'] as const satisfies readonly Level[];
export const URGENCIES = ['urgent', 'normal'] as const satisfies readonly AdvisoryContent['urgency'][];
export type Urgency = (typeof URGENCIES)[number];
export const PRODUCT_STATUSES = ['affected', 'fixed', 'not_affected', 'under_investigation'] as const satisfies readonly ProductStatus[];
export const REMEDIATION_CATEGORIES = [
  'vendor_fix',
  'workaround',
  'mitigation',
  'none_available',
  'no_fix_planned',
] as const satisfies readonly RemediationCategory[];

/** One row of the list: the published fields, or the draft's title and marking before publication. */
export interface ProductSummary {
  id: string;
  kind: ProductKind;
  identifier: string | null;
  status: WorkflowStatus;
  tlp: Tlp | null;
  title: string;
  summary: string | null;
  urgency: Urgency | null;
  cves: string[];
  vendors: string[];
  revision: number | null;
  publishedAt: string | null;
  updatedAt: string;
  relevant: boolean;
  withdrawn: boolean;
}

/** HTML rendered and sanitised by the server from the Markdown of one language. */
export interface RenderedText {
  body: string;
  advice: string;
}
export interface RenderedHtml {
  nl: RenderedText;
  en: RenderedText | null;
}

export interface Approval {
  userId: string;
  name: string | null;
  at: string;
}

export interface PublishedRevision {
  revision: number;
  tlp: Tlp;
  publishedAt: string;
  changeSummary: string;
  content: AdvisoryContent;
  html: RenderedHtml;
}

export interface Draft {
  version: number;
  tlp: Tlp;
  recipients: string[];
  content: AdvisoryContent;
  changeSummary: string | null;
  submittedAt: string | null;
  approvals: Approval[];
  approvalsRequired: number;
  authorId: string | null;
}

export interface Product {
  id: string;
  kind: ProductKind;
  identifier: string | null;
  status: WorkflowStatus;
  relevant: boolean;
  firstPublishedAt: string | null;
  withdrawn: { at: string; reason: string | null } | null;
  importSource: unknown;
  published: PublishedRevision | null;
  /** Only for editors. */
  draft: Draft | null;
}

export interface RevisionSummary {
  revision: number;
  tlp: Tlp;
  changeSummary: string;
  publishedAt: string;
  publishedBy: string | null;
}

export interface Revision {
  revision: number;
  tlp: Tlp;
  changeSummary: string;
  publishedAt: string;
  content: AdvisoryContent;
  html: RenderedHtml;
}

export interface CsafFailure {
  test: string;
  message: string;
  path: string;
}

export type CvssScore = { ok: true; version: string; vector: string; baseScore: number; baseSeverity: string } | { ok: false; message: string };

export interface PreviewResult {
  valid: boolean;
  issues: { field: string; message: string }[];
  html: RenderedHtml | null;
  scores: { index: number; cve: string | null; cvssV3: CvssScore | null; cvssV4: CvssScore | null }[];
  csaf: { valid: boolean; failures: CsafFailure[]; document: unknown } | null;
}

/** What the editor sends: the marking and the content, for a new product or a draft version. */
export interface DraftInput {
  tlp: Tlp;
  recipients: string[];
  content: AdvisoryContentInput;
}

export interface DraftConflict {
  currentVersion: number;
  savedBy: string | null;
  savedAt: string | null;
}

export interface ImportInput {
  document?: unknown;
  url?: string;
  tlp?: Tlp;
}

export const advisoryKeys = {
  all: ['advisories'] as const,
  list: (filters: AdvisoryFilters) => ['advisories', 'list', filters] as const,
  search: (q: string) => ['advisories', 'search', q] as const,
  detail: (id: string) => ['advisories', 'detail', id] as const,
  revisions: (id: string) => ['advisories', 'revisions', id] as const,
  revision: (id: string, revision: number) => ['advisories', 'revision', id, revision] as const,
  diff: (id: string, from: number, to: number) => ['advisories', 'diff', id, from, to] as const,
  preview: (input: unknown) => ['advisories', 'preview', input] as const,
};

const PAGE_SIZE = 50;
const base = (id: string) => `/api/v1/advisories/${encodeURIComponent(id)}`;

function filterParams(filters: AdvisoryFilters) {
  return {
    kind: filters.kind,
    status: filters.status,
    tlp: filters.tlp,
    cve: filters.cve,
    vendor: filters.vendor,
    product: filters.product,
    from: filters.from,
    to: filters.to,
    q: filters.q,
    // The API reads only "true"; "not relevant only" is no filter at all.
    relevant: filters.relevant ? true : undefined,
  };
}

export function advisoriesQuery(filters: AdvisoryFilters) {
  return infiniteQueryOptions({
    queryKey: advisoryKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ProductSummary>>('/api/v1/advisories', { limit: PAGE_SIZE, cursor: pageParam, ...filterParams(filters) }, signal),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** A few matches for the command palette. */
export function advisorySearchQuery(q: string, limit = 8) {
  return queryOptions({
    queryKey: [...advisoryKeys.search(q), limit],
    queryFn: ({ signal }) => api.get<Page<ProductSummary>>('/api/v1/advisories', { limit, q: q.trim() || undefined }, signal),
    staleTime: 30_000,
  });
}

export function advisoryQuery(idOrIdentifier: string) {
  return queryOptions({
    queryKey: advisoryKeys.detail(idOrIdentifier),
    queryFn: ({ signal }) => api.get<Product>(base(idOrIdentifier), undefined, signal),
  });
}

export function revisionsQuery(idOrIdentifier: string) {
  return queryOptions({
    queryKey: advisoryKeys.revisions(idOrIdentifier),
    queryFn: ({ signal }) => api.get<RevisionSummary[]>(`${base(idOrIdentifier)}/revisions`, undefined, signal),
  });
}

/** Published revisions never change, so they are cached for as long as the page lives. */
export function revisionQuery(id: string, revision: number) {
  return queryOptions({
    queryKey: advisoryKeys.revision(id, revision),
    queryFn: ({ signal }) => api.get<Revision>(`${base(id)}/revisions/${revision}`, undefined, signal),
    staleTime: Infinity,
  });
}

export function diffQuery(id: string, from: number, to: number) {
  return queryOptions({
    queryKey: advisoryKeys.diff(id, from, to),
    queryFn: ({ signal }) => api.get<RevisionDiff>(`${base(id)}/diff`, { from, to }, signal),
    staleTime: Infinity,
  });
}

export interface PreviewInput {
  kind: ProductKind;
  tlp: Tlp;
  content: AdvisoryContentInput;
}

/** Renders, scores and validates unsaved content; nothing is stored. */
export function previewQuery(input: PreviewInput) {
  return queryOptions({
    queryKey: advisoryKeys.preview(input),
    queryFn: ({ signal }) => request<PreviewResult>('POST', '/api/v1/advisories/preview', { body: input, signal }),
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}

export function csafUrl(id: string, revision?: number): string {
  return buildUrl(`${base(id)}/csaf`, { revision });
}

export function pdfUrl(id: string): string {
  return `${base(id)}/pdf`;
}

export const advisoriesApi = {
  create: (input: DraftInput & { kind: ProductKind }) => api.post<{ id: string }>('/api/v1/advisories', input),
  saveDraft: (id: string, input: DraftInput & { baseVersion: number }) => request<{ version: number }>('PUT', `${base(id)}/draft`, { body: input }),
  submit: (id: string, changeSummary: string | undefined) => api.post<{ ok: true }>(`${base(id)}/submit`, changeSummary ? { changeSummary } : {}),
  approve: (id: string) => api.post<{ approvals: number; required: number; status: WorkflowStatus }>(`${base(id)}/approve`),
  reject: (id: string, reason: string) => api.post<{ ok: true }>(`${base(id)}/reject`, { reason }),
  publish: (id: string) => api.post<{ identifier: string; revision: number }>(`${base(id)}/publish`),
  withdraw: (id: string, reason: string) => api.post<{ identifier: string; revision: number }>(`${base(id)}/withdraw`, { reason }),
  importCsaf: (input: ImportInput) => api.post<{ id: string; validation: { valid: boolean; failures: CsafFailure[] } }>('/api/v1/advisories/import', input),
};
