import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, buildUrl, getCsrfToken, request } from '../../lib/api-client';
import {
  casePath,
  incidentKeys,
  type CaseChange,
  type ClockTimes,
  type CustodyEntry,
  type CustomField,
  type Evidence,
  type EvidenceRequest,
  type IncidentCase,
  type Message,
  type NewCase,
  type NewCustomField,
  type NewTemplate,
  type NewReport,
  type NewTask,
  type NewTimelineEntry,
  type Observable,
  type ShareInput,
  type ShareResult,
  type Task,
  type TaskChange,
  type Template,
  type TimelineEntry,
  type VerifyResult,
} from './api';

/** The evidence upload: the file itself as the body (streamed to disk and hashed by the server), its name in the query. */
export async function uploadEvidence(caseId: string, file: File, options: { description?: string; requestId?: string }): Promise<Evidence> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/octet-stream' };
  const csrf = getCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(buildUrl(`${casePath(caseId)}/evidence`, { fileName: file.name, description: options.description, requestId: options.requestId }), {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Network error: the server could not be reached.');
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
    const message =
      typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : response.statusText;
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : `http_${response.status}`;
    throw new ApiError(response.status, code, message || `HTTP ${response.status}`);
  }
  return body as Evidence;
}

interface CaseMutationOptions<TInput, TOutput> {
  /** The change answers with the case itself: show it at once. */
  seed?: (output: TOutput) => IncidentCase;
  /** Shows the change before the server answers, so a checkbox or select follows the click; a failure refetches. */
  optimistic?: (queryClient: QueryClient, input: TInput) => void;
}

/** A mutation on one case: afterwards the case, its lists and the case lists are refetched where shown. */
function useCaseMutation<TInput, TOutput>(caseId: string, fn: (input: TInput) => Promise<TOutput>, options: CaseMutationOptions<TInput, TOutput> = {}) {
  const queryClient = useQueryClient();
  const { seed, optimistic } = options;
  return useMutation({
    mutationFn: fn,
    onMutate: async (input) => {
      if (!optimistic) return;
      await queryClient.cancelQueries({ queryKey: incidentKeys.case(caseId) });
      optimistic(queryClient, input);
    },
    onSuccess: (output) => {
      if (seed) queryClient.setQueryData(incidentKeys.case(caseId), seed(output));
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: incidentKeys.case(caseId) });
      await queryClient.invalidateQueries({ queryKey: ['incidents', 'list'] });
      await queryClient.invalidateQueries({ queryKey: incidentKeys.dashboard });
    },
  });
}

/** A change answered with the case itself. */
const useCaseUpdate = <TInput>(caseId: string, fn: (input: TInput) => Promise<IncidentCase>, optimistic?: (queryClient: QueryClient, input: TInput) => void) =>
  useCaseMutation(caseId, fn, { seed: (updated) => updated, optimistic });

/** The case's own fields as the patch sets them (the clocks and the rest follow from the server). */
function patched(old: IncidentCase, patch: CaseChange): IncidentCase {
  const next = { ...old };
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.severity !== undefined) next.severity = patch.severity;
  if (patch.priority !== undefined) next.priority = patch.priority;
  if (patch.tlp !== undefined) next.tlp = patch.tlp;
  if (patch.pap !== undefined) next.pap = patch.pap;
  if (patch.categoryClass !== undefined) next.categoryClass = patch.categoryClass;
  if (patch.categoryType !== undefined) next.categoryType = patch.categoryType;
  if (patch.nis2Applies !== undefined) next.nis2Applies = patch.nis2Applies;
  if (patch.personalData !== undefined) next.personalData = patch.personalData;
  if (patch.advice !== undefined) next.advice = patch.advice;
  return next;
}

const path = (caseId: string, rest = '') => `${casePath(caseId)}${rest}`;
const child = (id: string) => encodeURIComponent(id);

export function useReportIncident() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewReport) => api.post<IncidentCase>('/api/v1/incidents/report', input),
    onSuccess: async (created) => {
      queryClient.setQueryData(incidentKeys.case(created.id), created);
      await queryClient.invalidateQueries({ queryKey: ['incidents', 'list'] });
    },
  });
}

export function useCreateCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewCase) => api.post<IncidentCase>('/api/v1/incidents', input),
    onSuccess: async (created) => {
      queryClient.setQueryData(incidentKeys.case(created.id), created);
      await queryClient.invalidateQueries({ queryKey: ['incidents', 'list'] });
    },
  });
}

export const usePatchCase = (caseId: string) =>
  useCaseUpdate(
    caseId,
    (patch: CaseChange) => api.patch<IncidentCase>(path(caseId), patch),
    (queryClient, patch) => queryClient.setQueryData<IncidentCase>(incidentKeys.case(caseId), (old) => (old ? patched(old, patch) : old)),
  );
export const useSetClocks = (caseId: string) =>
  useCaseUpdate(caseId, (times: ClockTimes) => request<IncidentCase>('PUT', path(caseId, '/clocks'), { body: times }));
export const useInviteGuest = (caseId: string) =>
  useCaseUpdate(caseId, (organisationId: string) => api.post<IncidentCase>(path(caseId, '/guests'), { organisationId }));
export const useRevokeGuest = (caseId: string) =>
  useCaseUpdate(caseId, (organisationId: string) => api.delete<IncidentCase>(path(caseId, `/guests/${child(organisationId)}`)));

export const useLinkCase = (caseId: string) => useCaseUpdate(caseId, (otherId: string) => api.post<IncidentCase>(path(caseId, '/links'), { caseId: otherId }));
export const useUnlinkCase = (caseId: string) => useCaseUpdate(caseId, (otherId: string) => api.delete<IncidentCase>(path(caseId, `/links/${child(otherId)}`)));

/** Merges a duplicate into this case: the duplicate closes, becomes read-only and points here; the answer is this case. */
export function useMergeIntoCase(caseId: string) {
  const queryClient = useQueryClient();
  return useCaseMutation(
    caseId,
    async (duplicateId: string) => {
      const updated = await api.post<IncidentCase>(path(duplicateId, '/merge'), { intoCaseId: caseId });
      // The duplicate's own page and lists changed too (its contents moved here).
      await queryClient.invalidateQueries({ queryKey: incidentKeys.case(duplicateId) });
      return updated;
    },
    { seed: (updated) => updated },
  );
}

export const useAddTask = (caseId: string) => useCaseMutation(caseId, (task: NewTask) => api.post<Task>(path(caseId, '/tasks'), task));
export const usePatchTask = (caseId: string) =>
  useCaseMutation(caseId, ({ taskId, change }: { taskId: string; change: TaskChange }) => api.patch<Task>(path(caseId, `/tasks/${child(taskId)}`), change), {
    optimistic: (queryClient, { taskId, change }) =>
      queryClient.setQueryData<Task[]>(incidentKeys.part(caseId, 'tasks'), (old) =>
        old?.map((task) => (task.id === taskId ? { ...task, status: change.status ?? task.status, checklist: change.checklist ?? task.checklist } : task)),
      ),
  });
export const useApplyTemplate = (caseId: string) =>
  useCaseMutation(caseId, (templateId: string) => api.post<Task[]>(path(caseId, '/apply-template'), { templateId }));

export const useAddTimeline = (caseId: string) =>
  useCaseMutation(caseId, (entry: NewTimelineEntry) => api.post<TimelineEntry>(path(caseId, '/timeline'), entry));
export const usePatchTimeline = (caseId: string) =>
  useCaseMutation(
    caseId,
    ({ entryId, shared }: { entryId: string; shared: boolean }) => api.patch<TimelineEntry>(path(caseId, `/timeline/${child(entryId)}`), { shared }),
    {
      optimistic: (queryClient, { entryId, shared }) =>
        queryClient.setQueryData<TimelineEntry[]>(incidentKeys.part(caseId, 'timeline'), (old) =>
          old?.map((entry) => (entry.id === entryId ? { ...entry, shared } : entry)),
        ),
    },
  );

export interface NewObservable {
  type: string;
  value: string;
  comment?: string;
  /** Taken from this timeline entry (one step). */
  timelineId?: string;
}
export const useAddObservable = (caseId: string) =>
  useCaseMutation(caseId, ({ timelineId, ...input }: NewObservable) =>
    api.post<Observable>(timelineId ? path(caseId, `/timeline/${child(timelineId)}/observables`) : path(caseId, '/observables'), input),
  );
export const useShareObservables = (caseId: string) =>
  useCaseMutation(caseId, (input: ShareInput) => api.post<ShareResult>(path(caseId, '/observables/share'), input));

export const usePostMessage = (caseId: string) =>
  useCaseMutation(caseId, (input: { body: string; internal: boolean }) => api.post<Message>(path(caseId, '/messages'), input));

export const useUploadEvidence = (caseId: string) =>
  useCaseMutation(caseId, ({ file, description, requestId }: { file: File; description?: string; requestId?: string }) =>
    uploadEvidence(caseId, file, { description, requestId }),
  );
export const useRequestDeletion = (caseId: string) =>
  useCaseMutation(caseId, ({ evidenceId, reason }: { evidenceId: string; reason: string }) =>
    api.post<Evidence>(path(caseId, `/evidence/${child(evidenceId)}/deletion`), { reason }),
  );
export const useDecideDeletion = (caseId: string) =>
  useCaseMutation(caseId, ({ evidenceId, approve }: { evidenceId: string; approve: boolean }) =>
    api.post<Evidence>(path(caseId, `/evidence/${child(evidenceId)}/deletion/${approve ? 'approve' : 'refuse'}`), {}),
  );
export const useVerifyEvidence = (caseId: string) =>
  useMutation({
    mutationFn: (evidenceId: string) => api.post<VerifyResult>(path(caseId, `/evidence/${child(evidenceId)}/verify`), {}),
  });
export const useHandOverEvidence = (caseId: string) =>
  useCaseMutation(caseId, ({ evidenceId, to, reason }: { evidenceId: string; to: string; reason: string }) =>
    api.post<CustodyEntry>(path(caseId, `/evidence/${child(evidenceId)}/handover`), { to, reason }),
  );
export const useCreateEvidenceRequest = (caseId: string) =>
  useCaseMutation(caseId, (description: string) => api.post<EvidenceRequest>(path(caseId, '/evidence-requests'), { description }));

export function useDraftInfoMessage(caseId: string) {
  return useMutation({
    mutationFn: (tlp: 'GREEN' | 'AMBER') => api.post<{ productId: string }>(path(caseId, '/info-message'), { tlp }),
  });
}

/** Defines or changes a custom field (by key). */
export function useSaveCustomField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (field: NewCustomField) => api.post<CustomField>('/api/v1/incident-fields', field),
    onSettled: () => queryClient.invalidateQueries({ queryKey: incidentKeys.fields }),
  });
}

export function useDeleteCustomField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => api.delete<undefined>(`/api/v1/incident-fields/${encodeURIComponent(key)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: incidentKeys.fields }),
  });
}

/** Saves a playbook (by name: the same name replaces it). */
export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (template: NewTemplate) => api.post<Template>('/api/v1/incident-templates', template),
    onSettled: () => queryClient.invalidateQueries({ queryKey: incidentKeys.templates }),
  });
}
