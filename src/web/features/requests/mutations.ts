import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { requestKeys, requestPath, type Article, type InfoRequest, type NewArticle, type NewQuestion } from './api';

/** A change to one request: its answer (the request) is shown at once, the lists refetched. */
function useRequestMutation<TInput>(id: string, fn: (input: TInput) => Promise<InfoRequest>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (output) => queryClient.setQueryData(requestKeys.one(id), output),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: requestKeys.lists });
      await queryClient.invalidateQueries({ queryKey: requestKeys.held });
    },
  });
}

export function useAsk() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewQuestion) => api.post<InfoRequest>('/api/v1/requests', input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: requestKeys.lists }),
  });
}

export const useFollowUp = (id: string) => useRequestMutation(id, (body: string) => api.post<InfoRequest>(`${requestPath(id)}/questions`, { body }));
export const useAnswer = (id: string) =>
  useRequestMutation(id, (input: { body: string; close: boolean }) => api.post<InfoRequest>(`${requestPath(id)}/answers`, input));
export const useNote = (id: string) => useRequestMutation(id, (body: string) => api.post<InfoRequest>(`${requestPath(id)}/notes`, { body }));
export const usePatchRequest = (id: string) =>
  useRequestMutation(id, (patch: { assigneeId?: string | null; status?: 'closed' | 'new' }) => api.patch<InfoRequest>(requestPath(id), patch));
export const useReleaseHeld = (id: string) =>
  useRequestMutation(id, (messageId: string) => api.post<InfoRequest>(`${requestPath(id)}/held/${encodeURIComponent(messageId)}/release`));
export const useDiscardHeld = (id: string) =>
  useRequestMutation(id, async (messageId: string) => {
    await api.delete(`${requestPath(id)}/held/${encodeURIComponent(messageId)}`);
    return api.get<InfoRequest>(requestPath(id));
  });

export function useHeldMail() {
  const queryClient = useQueryClient();
  const settle = async () => {
    await queryClient.invalidateQueries({ queryKey: requestKeys.held });
    await queryClient.invalidateQueries({ queryKey: requestKeys.lists });
  };
  return {
    release: useMutation({
      mutationFn: ({ id, organisationId }: { id: string; organisationId: string }) =>
        api.post<{ id: string; reference: string }>(`/api/v1/requests/held-mail/${encodeURIComponent(id)}/release`, { organisationId }),
      onSettled: settle,
    }),
    discard: useMutation({ mutationFn: (id: string) => api.delete(`/api/v1/requests/held-mail/${encodeURIComponent(id)}`), onSettled: settle }),
  };
}

export function useCreateArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewArticle) => api.post<Article>('/api/v1/knowledge', input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['knowledge'] }),
  });
}

export function useCanned() {
  const queryClient = useQueryClient();
  const settle = () => queryClient.invalidateQueries({ queryKey: requestKeys.canned });
  return {
    create: useMutation({ mutationFn: (input: { title: string; body: string }) => api.post('/api/v1/requests/canned-answers', input), onSettled: settle }),
    remove: useMutation({ mutationFn: (id: string) => api.delete(`/api/v1/requests/canned-answers/${encodeURIComponent(id)}`), onSettled: settle }),
  };
}
