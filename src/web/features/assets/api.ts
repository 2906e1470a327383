import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, type Page } from '../../lib/api-client';

export const ASSET_TYPES = ['ip_range', 'asn', 'domain', 'product'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];
export type AssetStatus = 'proposed' | 'approved' | 'rejected';

export interface ProductInfo {
  vendor: string;
  product: string;
  version: string | null;
  cpe: string | null;
  purl: string | null;
  medicalDevice: boolean;
  model: string | null;
}

export interface AssetOverlap {
  organisationId: string;
  organisationName: string;
  assetId: string;
  value: string;
}

export interface Asset {
  id: string;
  organisationId: string;
  type: AssetType;
  value: string;
  includeSubdomains: boolean;
  product: ProductInfo | null;
  status: AssetStatus;
  overlaps: AssetOverlap[];
  rejectReason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export type QueuedAsset = Asset & { organisationName: string };

export interface AssetProposal {
  type: AssetType;
  value?: string;
  includeSubdomains?: boolean;
  product?: ProductInfo;
}

export interface ImportReport {
  dryRun: boolean;
  accepted: number;
  rejected: { line: number; value: string; reason: string }[];
}

export const assetKeys = {
  all: ['assets'] as const,
  forOrganisation: (organisationId: string) => ['assets', 'organisation', organisationId] as const,
  queue: ['assets', 'queue'] as const,
};

export function organisationAssetsQuery(organisationId: string) {
  return queryOptions({
    queryKey: assetKeys.forOrganisation(organisationId),
    queryFn: ({ signal }) =>
      api.get<{ items: Asset[] }>(
        `/api/v1/organisations/${encodeURIComponent(organisationId)}/assets`,
        undefined,
        signal,
      ),
  });
}

export const approvalQueueQuery = infiniteQueryOptions({
  queryKey: assetKeys.queue,
  queryFn: ({ pageParam, signal }) =>
    api.get<Page<QueuedAsset>>(
      '/api/v1/assets',
      { status: 'proposed', limit: 50, cursor: pageParam },
      signal,
    ),
  // An empty cursor is dropped from the query string, i.e. "first page".
  initialPageParam: '',
  getNextPageParam: (last) => last.nextCursor ?? undefined,
});

export const assetsApi = {
  propose: (organisationId: string, proposal: AssetProposal) =>
    api.post<Asset>(`/api/v1/organisations/${encodeURIComponent(organisationId)}/assets`, proposal),
  importCsv: (organisationId: string, csv: string, dryRun: boolean) =>
    api.post<ImportReport>(
      `/api/v1/organisations/${encodeURIComponent(organisationId)}/assets/import`,
      { csv },
      { dryRun },
    ),
  approve: (id: string) => api.post<Asset>(`/api/v1/assets/${encodeURIComponent(id)}/approve`),
  reject: (id: string, reason: string) =>
    api.post<Asset>(`/api/v1/assets/${encodeURIComponent(id)}/reject`, { reason }),
};
