import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, type Page } from '../../lib/api-client';
import type { User } from '../users/api';
// The server's own types (type-only: nothing of the server is bundled), so the pages and the API
// cannot drift apart.
import type {
  CASE_PAP,
  CASE_PRIORITIES,
  CASE_SEVERITIES,
  CASE_STATUSES,
  CaseCreateInput,
  CaseOut,
  CasePatch,
  CaseReportInput,
  CaseSummaryOut,
  ClockInput,
  ClockOut,
  CustodyOut,
  CustomFieldInput,
  CustomFieldOut,
  EvidenceOut,
  EvidenceRequestOut,
  MessageOut,
  ObservableOut,
  PATIENT_CARE_IMPACT,
  ShareObservablesInput,
  TaskInput,
  TaskOut,
  TaskPatch,
  TemplateInput,
  TemplateOut,
  TimelineInput,
  TimelineOut,
} from '#modules/incidents/incident.schema.ts';

export type CaseStatus = (typeof CASE_STATUSES)[number];
export type CaseSeverity = (typeof CASE_SEVERITIES)[number];
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export type CasePap = (typeof CASE_PAP)[number];
export type PatientCareImpact = (typeof PATIENT_CARE_IMPACT)[number];
export type CaseSummary = CaseSummaryOut;
export type IncidentCase = CaseOut;
export type Clock = ClockOut;
export type ClockName = ClockOut['clock'];
export type ClockState = ClockOut['state'];
export type Task = TaskOut;
export type TimelineEntry = TimelineOut;
export type Observable = ObservableOut;
export type Message = MessageOut;
export type Evidence = EvidenceOut;
export type CustodyEntry = CustodyOut;
export type EvidenceRequest = z.infer<typeof EvidenceRequestOut>;
export type Template = z.infer<typeof TemplateOut>;
export type TemplateTask = Template['tasks'][number];
export type CustomField = z.infer<typeof CustomFieldOut>;
export type CustomFieldKind = CustomField['kind'];
export type CustomFieldValue = string | number | boolean;
export type RelatedCase = CaseOut['related'][number];
/** POST …/evidence/:childId/verify (declared in the routes file, so mirrored here). */
export interface VerifyResult {
  sha256: string | null;
  matches: boolean;
}
export type { User };
/** The request bodies as sent (the server fills in the defaults). */
export type NewReport = z.input<typeof CaseReportInput>;
export type NewCase = z.input<typeof CaseCreateInput>;
export type CaseChange = z.input<typeof CasePatch>;
export type ClockTimes = z.input<typeof ClockInput>;
export type NewTask = z.input<typeof TaskInput>;
export type TaskChange = z.input<typeof TaskPatch>;
export type NewTemplate = z.input<typeof TemplateInput>;
export type NewCustomField = z.input<typeof CustomFieldInput>;
export type NewTimelineEntry = z.input<typeof TimelineInput>;
export type ShareInput = z.input<typeof ShareObservablesInput>;
export type Taxonomy = Record<string, string[]>;

export const STATUS_LIST = ['reported', 'triage', 'in_progress', 'contained', 'recovered', 'closed'] as const satisfies readonly CaseStatus[];
export const SEVERITY_LIST = ['low', 'medium', 'high', 'critical'] as const satisfies readonly CaseSeverity[];
export const PRIORITY_LIST = ['p1', 'p2', 'p3', 'p4'] as const satisfies readonly CasePriority[];
export const PAP_LIST = ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const satisfies readonly CasePap[];
export const IMPACT_LIST = ['none', 'limited', 'severe', 'unknown'] as const satisfies readonly PatientCareImpact[];
export const PERSONAL_DATA_LIST = ['yes', 'no', 'unknown'] as const;
export const CUSTOM_FIELD_KINDS = ['text', 'number', 'boolean', 'select'] as const satisfies readonly CustomFieldKind[];
export const TASK_SIDES = ['participant', 'cert'] as const satisfies readonly Task['side'][];
export const CLOCK_LIST = ['nis2_early_warning', 'nis2_notification', 'nis2_final_report', 'gdpr_breach'] as const satisfies readonly ClockName[];
/** The list filter also takes 'open' (every status but closed). */
export const STATUS_FILTERS = ['open', ...STATUS_LIST] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** GET /api/v1/incidents/deadlines and the dashboard's list (declared in the routes file, so mirrored here). */
export interface Deadline {
  caseId: string;
  reference: string;
  title: string;
  organisations: string[];
  clock: ClockName;
  dueAt: string;
  state: 'open' | 'due_soon' | 'overdue';
}

export interface IncidentDashboard {
  openByStatus: Record<string, number>;
  openBySeverity: Record<string, number>;
  medianFirstResponseHours: number | null;
  medianContainHours: number | null;
  byCategoryMonth: { month: string; categoryClass: string; count: number }[];
  workload: { userId: string; name: string; openCases: number; openTasks: number }[];
  deadlines: Deadline[];
}

export interface ShareResult {
  eventId: string;
  shared: number;
  added: number;
  held: number;
}

export interface CaseFilters {
  status?: StatusFilter;
  severity?: CaseSeverity;
  q?: string;
}

export const incidentKeys = {
  all: ['incidents'] as const,
  list: (filters: CaseFilters) => ['incidents', 'list', filters] as const,
  case: (id: string) => ['incidents', 'case', id] as const,
  part: (id: string, part: CasePart) => ['incidents', 'case', id, part] as const,
  taxonomy: ['incidents', 'taxonomy'] as const,
  templates: ['incidents', 'templates'] as const,
  fields: ['incidents', 'fields'] as const,
  people: (organisationIds: readonly string[]) => ['incidents', 'people', [...organisationIds].sort()] as const,
  lookup: (q: string) => ['incidents', 'lookup', q] as const,
  dashboard: ['incidents', 'dashboard'] as const,
};

/** The lists that hang off one case, each from its own endpoint. */
export type CasePart = 'tasks' | 'timeline' | 'observables' | 'messages' | 'evidence' | 'custody' | 'evidence-requests';

const PAGE_SIZE = 50;
export const casePath = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;

export function casesQuery(filters: CaseFilters) {
  return infiniteQueryOptions({
    queryKey: incidentKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<CaseSummary>>(
        '/api/v1/incidents',
        { limit: PAGE_SIZE, cursor: pageParam, status: filters.status, severity: filters.severity, q: filters.q?.trim() },
        signal,
      ),
    // An empty cursor is dropped from the query string, i.e. "first page".
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function caseQuery(id: string) {
  return queryOptions({
    queryKey: incidentKeys.case(id),
    queryFn: ({ signal }) => api.get<IncidentCase>(casePath(id), undefined, signal),
  });
}

function partQuery<T>(id: string, part: CasePart, enabled = true) {
  return queryOptions({
    queryKey: incidentKeys.part(id, part),
    queryFn: ({ signal }) => api.get<T>(`${casePath(id)}/${part}`, undefined, signal),
    enabled,
  });
}

export const tasksQuery = (id: string) => partQuery<Task[]>(id, 'tasks');
export const timelineQuery = (id: string) => partQuery<TimelineEntry[]>(id, 'timeline');
/** The CERT's only (the room gets a 403). */
export const observablesQuery = (id: string) => partQuery<Observable[]>(id, 'observables');
export const messagesQuery = (id: string) => partQuery<Message[]>(id, 'messages');
export const evidenceQuery = (id: string) => partQuery<Evidence[]>(id, 'evidence');
export const custodyQuery = (id: string) => partQuery<CustodyEntry[]>(id, 'custody');
export const evidenceRequestsQuery = (id: string) => partQuery<EvidenceRequest[]>(id, 'evidence-requests');

export const taxonomyQuery = queryOptions({
  queryKey: incidentKeys.taxonomy,
  queryFn: ({ signal }) => api.get<Taxonomy>('/api/v1/incidents/taxonomy', undefined, signal),
  staleTime: Infinity,
});

export const templatesQuery = queryOptions({
  queryKey: incidentKeys.templates,
  queryFn: ({ signal }) => api.get<Template[]>('/api/v1/incident-templates', undefined, signal),
  staleTime: 60_000,
});

/** The CERT's custom fields of cases (the CERT's only). */
export const customFieldsQuery = queryOptions({
  queryKey: incidentKeys.fields,
  queryFn: ({ signal }) => api.get<CustomField[]>('/api/v1/incident-fields', undefined, signal),
  staleTime: 60_000,
});

/**
 * The active users of some organisations (the CERT: to assign analysts, or the owner of a task),
 * through the users API filtered per organisation.
 */
export function peopleQuery(organisationIds: readonly string[]) {
  return queryOptions({
    queryKey: incidentKeys.people(organisationIds),
    queryFn: async ({ signal }) => {
      const pages = await Promise.all(organisationIds.map((organisationId) => api.get<Page<User>>('/api/v1/users', { organisationId, limit: 200 }, signal)));
      return pages.flatMap((page) => page.items).filter((u) => u.status === 'active');
    },
    enabled: organisationIds.length > 0,
    staleTime: 60_000,
  });
}

/** Cases by reference or title, to link or merge (first page only: the search narrows it). */
export function caseLookupQuery(q: string) {
  return queryOptions({
    queryKey: incidentKeys.lookup(q),
    queryFn: ({ signal }) => api.get<Page<CaseSummary>>('/api/v1/incidents', { q, limit: 20 }, signal),
    enabled: q.trim().length >= 2,
  });
}

export const dashboardQuery = queryOptions({
  queryKey: incidentKeys.dashboard,
  queryFn: ({ signal }) => api.get<IncidentDashboard>('/api/v1/incidents/dashboard', undefined, signal),
});

/** Links the browser follows itself (a GET with the session cookie): files come as attachments. */
export const downloads = {
  evidence: (id: string, evidenceId: string) => `${casePath(id)}/evidence/${encodeURIComponent(evidenceId)}/download`,
  custodyCsv: (id: string) => `${casePath(id)}/custody?format=csv`,
  timelineCsv: (id: string) => `${casePath(id)}/timeline.csv`,
  reportPdf: (id: string, lang: 'nl' | 'en') => `${casePath(id)}/report.pdf?lang=${lang}`,
};
