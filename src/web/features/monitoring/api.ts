import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, request, type Page } from '../../lib/api-client';
// The server's own types (type-only: nothing of the server is bundled), so the pages and the API
// cannot drift apart.
import type {
  DayCountOut,
  FailedRowOut,
  FINDING_STATUSES,
  FindingDetailOut,
  FindingOut,
  IngestOut,
  ReportDetailOut,
  ReportOut,
  SEVERITIES,
  SourceInput,
  SourceOut,
  SourceRunOut,
  StatsOut,
} from '#modules/monitoring/monitoring.schema.ts';
import type { FEED_FORMATS } from '#modules/monitoring/blocklist.ts';
import type { CHECK_KINDS } from '#modules/monitoring/checks.ts';

export type Finding = z.infer<typeof FindingOut>;
export type FindingDetail = z.infer<typeof FindingDetailOut>;
export type FindingEvent = FindingDetail['history'][number];
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Report = z.infer<typeof ReportOut>;
export type IngestResult = z.infer<typeof IngestOut>;
export type Source = z.infer<typeof SourceOut>;
export type ReportFormat = 'shadowserver' | 'nmap' | 'csv';
/** The body of POST /api/v1/monitoring/sources, as sent (the server fills in the defaults). */
export type NewSource = z.input<typeof SourceInput>;
export type SourceRun = z.infer<typeof SourceRunOut>;
export type FeedFormat = (typeof FEED_FORMATS)[number];
export type CheckKind = (typeof CHECK_KINDS)[number];

/** GET/PUT /api/v1/monitoring/calendar: the days off of a year (weekends implied) and the CERT's overrides. */
export interface WorkingCalendar {
  year: number;
  days: { day: string; working: boolean; reason: string; overridden: boolean }[];
}

/** One owner of GET /api/v1/monitoring/owner: a participant and its asset that matches. */
export interface Owner {
  organisationId: string;
  organisationName: string;
  assetId: string;
  asset: string;
}

/** A report with the first page of its unreadable rows (failedRowsNextCursor: where the next begins). */
export type ReportDetail = z.infer<typeof ReportDetailOut>;
export type FailedRow = z.infer<typeof FailedRowOut>;
/** One day of the chart: findings open and findings under accepted risk at its end. */
export type DayCount = z.infer<typeof DayCountOut>;

interface TypeCount {
  type: string;
  open: number;
  /** Of those open: high or critical. */
  critical: number;
}

/** GET /api/v1/monitoring/stats. */
export type MonitoringStats = z.infer<typeof StatsOut>;

/** GET /api/v1/monitoring/overview: the CERT's sector picture and per-source health. */
export interface SectorOverview {
  byStatus: Record<string, number>;
  openByType: TypeCount[];
  topOrganisations: { organisationId: string; name: string; open: number; critical: number }[];
  sources: (Omit<Source, 'config'> & { openFindings: number })[];
}

/** One blacklist zone's run of POST /api/v1/monitoring/dnsbl/run. */
export interface DnsblRun {
  zone: string;
  reportId: string;
  checked: number;
  listed: number;
  errors: number;
  queries: number;
  skippedForBudget: number;
  findingsNew: number;
  findingsReopened: number;
}

export const FINDING_STATUS_LIST = ['new', 'notified', 'acknowledged', 'resolved', 'accepted_risk'] as const satisfies readonly FindingStatus[];
export const OPEN_STATUSES: readonly FindingStatus[] = ['new', 'notified', 'acknowledged'];
export const SEVERITY_LIST = ['critical', 'high', 'medium', 'low', 'info'] as const satisfies readonly Severity[];
export const REPORT_FORMATS = ['shadowserver', 'nmap', 'csv'] as const satisfies readonly ReportFormat[];
/** The kinds of source the CERT adds itself (Shadowserver and nmap exist from the start). */
export const NEW_SOURCE_KINDS = ['dnsbl', 'csv', 'blocklist', 'check'] as const satisfies readonly NewSource['kind'][];
export type NewSourceKind = (typeof NEW_SOURCE_KINDS)[number];
export const FEED_FORMAT_LIST = ['spamhaus-drop', 'urlhaus-csv', 'threatfox-csv', 'feodo-csv', 'plain'] as const satisfies readonly FeedFormat[];
export const CHECK_KIND_LIST = ['tls', 'security-txt', 'dns'] as const satisfies readonly CheckKind[];
/** The sources that can be run on request (DNSBL zones run together; report sources receive reports). */
export const RUNNABLE_KINDS: readonly string[] = ['blocklist', 'check'];
/** The statuses a participant sets; the CERT may also set a finding back to new. */
export const RESPONSES = ['acknowledged', 'resolved', 'accepted_risk'] as const satisfies readonly FindingStatus[];

/**
 * The finding types the server labels (src/modules/monitoring/finding-types.ts); each has its label
 * under monitoring.types in both languages. Other types (a source's own) read as themselves.
 */
export const FINDING_TYPES = [
  'blacklisted',
  'blocklisted',
  'device-identified',
  'open-rdp',
  'open-smb',
  'open-vnc',
  'open-telnet',
  'open-ftp',
  'accessible-http',
  'vulnerable-http',
  'vulnerable-exchange',
  'exposed-ics',
  'accessible-ssl',
  'exposed-database',
  'open-snmp',
  'open-ntp',
  'open-resolver',
  'infected-system',
  'brute-force-source',
  'compromised-website',
  'malware-url',
  'ransomware-victim',
  'open-port',
  'exposed-dicom',
  'exposed-hl7',
  'tls-certificate-expiring',
  'security-txt-missing',
  'security-txt-invalid',
  'spf-missing',
  'spf-invalid',
  'dmarc-missing',
  'dnssec-missing',
  'dnssec-invalid',
] as const;
export type KnownFindingType = (typeof FINDING_TYPES)[number];

export function isKnownType(type: string): type is KnownFindingType {
  return (FINDING_TYPES as readonly string[]).includes(type);
}

/** The server's largest report (50 MiB), checked before the browser reads the file. */
export const REPORT_MAX_BYTES = 50 * 1024 * 1024;

export interface FindingFilters {
  organisationId?: string;
  status?: FindingStatus;
  open?: boolean;
  severity?: Severity;
  type?: string;
  q?: string;
}

export const monitoringKeys = {
  all: ['monitoring'] as const,
  findings: ['monitoring', 'findings'] as const,
  findingList: (filters: FindingFilters) => ['monitoring', 'findings', 'list', filters] as const,
  finding: (id: string) => ['monitoring', 'findings', 'detail', id] as const,
  stats: (organisationId: string | undefined) => ['monitoring', 'stats', organisationId ?? 'default'] as const,
  overview: ['monitoring', 'overview'] as const,
  reports: ['monitoring', 'reports'] as const,
  reportList: ['monitoring', 'reports', 'list'] as const,
  report: (id: string) => ['monitoring', 'reports', 'detail', id] as const,
  failedRows: (id: string, from: string) => ['monitoring', 'reports', 'detail', id, 'failed-rows', from] as const,
  sources: ['monitoring', 'sources'] as const,
  calendar: (year: number) => ['monitoring', 'calendar', year] as const,
  owner: (value: string) => ['monitoring', 'owner', value] as const,
};

const PAGE_SIZE = 50;
const findingPath = (id: string) => `/api/v1/monitoring/findings/${encodeURIComponent(id)}`;

export function findingsQuery(filters: FindingFilters) {
  return infiniteQueryOptions({
    queryKey: monitoringKeys.findingList(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Finding>>(
        '/api/v1/monitoring/findings',
        {
          limit: PAGE_SIZE,
          cursor: pageParam,
          organisationId: filters.organisationId,
          status: filters.status,
          open: filters.open ? 'true' : undefined,
          severity: filters.severity,
          type: filters.type,
          q: filters.q?.trim(),
        },
        signal,
      ),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function findingQuery(id: string) {
  return queryOptions({
    queryKey: monitoringKeys.finding(id),
    queryFn: ({ signal }) => api.get<FindingDetail>(findingPath(id), undefined, signal),
  });
}

/** The signed-in participant's own picture; the CERT's is the sector's, or one organisation's. */
export function statsQuery(organisationId: string | undefined) {
  return queryOptions({
    queryKey: monitoringKeys.stats(organisationId),
    queryFn: ({ signal }) => api.get<MonitoringStats>('/api/v1/monitoring/stats', { organisationId }, signal),
  });
}

export const overviewQuery = queryOptions({
  queryKey: monitoringKeys.overview,
  queryFn: ({ signal }) => api.get<SectorOverview>('/api/v1/monitoring/overview', undefined, signal),
});

export const reportsQuery = infiniteQueryOptions({
  queryKey: monitoringKeys.reportList,
  queryFn: ({ pageParam, signal }) => api.get<Page<Report>>('/api/v1/monitoring/reports', { limit: PAGE_SIZE, cursor: pageParam }, signal),
  initialPageParam: '',
  getNextPageParam: (last) => last.nextCursor ?? undefined,
});

export function reportQuery(id: string) {
  return queryOptions({
    queryKey: monitoringKeys.report(id),
    queryFn: ({ signal }) => api.get<ReportDetail>(`/api/v1/monitoring/reports/${encodeURIComponent(id)}`, undefined, signal),
  });
}

/**
 * A report's unreadable rows after the first page (which the report's detail carries): the pages from
 * the detail's failedRowsNextCursor on.
 */
export function failedRowsQuery(id: string, from: string) {
  return infiniteQueryOptions({
    queryKey: monitoringKeys.failedRows(id, from),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<FailedRow>>(`/api/v1/monitoring/reports/${encodeURIComponent(id)}/failed-rows`, { limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: from,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const sourcesQuery = queryOptions({
  queryKey: monitoringKeys.sources,
  queryFn: ({ signal }) => api.get<Source[]>('/api/v1/monitoring/sources', undefined, signal),
});

export function calendarQuery(year: number) {
  return queryOptions({
    queryKey: monitoringKeys.calendar(year),
    queryFn: ({ signal }) => api.get<WorkingCalendar>('/api/v1/monitoring/calendar', { year }, signal),
  });
}

export function ownerQuery(value: string) {
  return queryOptions({
    queryKey: monitoringKeys.owner(value),
    queryFn: ({ signal }) => api.get<Owner[]>('/api/v1/monitoring/owner', { value }, signal),
    enabled: value.length > 0,
  });
}

export interface ReportUpload {
  format: ReportFormat;
  fileName: string;
  content: string;
  sourceId?: string;
}

export const monitoringApi = {
  changeStatus: (id: string, status: FindingStatus, note?: string) =>
    api.post<FindingDetail>(`${findingPath(id)}/status`, { status, ...(note ? { note } : {}) }),
  uploadReport: (input: ReportUpload) => api.post<IngestResult>('/api/v1/monitoring/reports', input),
  setSourceEnabled: (id: string, enabled: boolean) => api.patch<Source>(`/api/v1/monitoring/sources/${encodeURIComponent(id)}`, { enabled }),
  runDnsbl: () => api.post<DnsblRun[]>('/api/v1/monitoring/dnsbl/run', {}),
  createSource: (input: NewSource) => api.post<Source>('/api/v1/monitoring/sources', input),
  runSource: (id: string) => api.post<SourceRun>(`/api/v1/monitoring/sources/${encodeURIComponent(id)}/run`, {}),
  /** working: null removes the CERT's override of the day. */
  setCalendarDay: (input: { day: string; working: boolean | null; note?: string }) => request<WorkingCalendar>('PUT', '/api/v1/monitoring/calendar', { body: input }),
};

// Mutation hooks: each refreshes what the change affects (lists, counts, the detail).

export function useChangeStatus(findingId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ status, note }: { status: FindingStatus; note?: string }) => monitoringApi.changeStatus(findingId, status, note),
    onSuccess: async (finding) => {
      queryClient.setQueryData(monitoringKeys.finding(findingId), finding);
      // The lists, the counts and the charts all change with a status.
      await queryClient.invalidateQueries({ queryKey: monitoringKeys.all });
    },
  });
}

export function useUploadReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: monitoringApi.uploadReport,
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: monitoringKeys.all }),
  });
}

export function useSetSourceEnabled() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => monitoringApi.setSourceEnabled(id, enabled),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: monitoringKeys.sources });
      await queryClient.invalidateQueries({ queryKey: monitoringKeys.overview });
    },
  });
}

export function useRunDnsbl() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: monitoringApi.runDnsbl,
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: monitoringKeys.all }),
  });
}

export function useCreateSource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: monitoringApi.createSource,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: monitoringKeys.sources });
      await queryClient.invalidateQueries({ queryKey: monitoringKeys.overview });
    },
  });
}

export function useRunSource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: monitoringApi.runSource,
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: monitoringKeys.all }),
  });
}

export function useSetCalendarDay() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: monitoringApi.setCalendarDay,
    // The answer is the day's year, as it now stands.
    onSuccess: (calendar) => queryClient.setQueryData(monitoringKeys.calendar(calendar.year), calendar),
  });
}
