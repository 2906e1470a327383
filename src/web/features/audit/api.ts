import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, buildUrl, type Page } from '../../lib/api-client';
import type { AuditFilters } from './search';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEntry {
  seq: number;
  id: string;
  at: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorOrganisationId: string | null;
  onBehalfOf: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: string | null;
}

export const auditKeys = {
  all: ['audit'] as const,
  list: (filters: AuditFilters) => ['audit', 'list', filters] as const,
};

function filterParams(filters: AuditFilters) {
  return {
    action: filters.action,
    actor: filters.actor,
    targetId: filters.targetId,
    from: filters.from,
    to: filters.to,
  };
}

export function auditQuery(filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: auditKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEntry>>(
        '/api/v1/audit',
        { limit: 50, cursor: pageParam, ...filterParams(filters) },
        signal,
      ),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function auditExportUrl(format: 'csv' | 'json', filters: AuditFilters): string {
  return buildUrl('/api/v1/audit/export', { format, ...filterParams(filters) });
}

export function verifyChain(): Promise<ChainVerification> {
  return api.get<ChainVerification>('/api/v1/audit/verify');
}
