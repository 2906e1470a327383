import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { digestKeys, digestPath, type DigestDetail, type DigestKind, type NewEntry } from './api';

/** Every change answers with the digest as it is now: it replaces the cached one; lists and previews are fetched again. */
function useDigestMutation<V>(id: string, call: (vars: V) => Promise<DigestDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (digest) => queryClient.setQueryData(digestKeys.detail(id), digest),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: digestKeys.lists });
      await queryClient.invalidateQueries({ queryKey: ['digests', 'recipients', id] });
      await queryClient.invalidateQueries({ queryKey: ['digests', 'preview', id] });
    },
  });
}

/** Opens this week's (or last month's) digest, made and assembled when it does not exist yet. */
export function useOpenDigest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (kind: DigestKind) => api.post<DigestDetail>('/api/v1/digests', { kind }),
    onSuccess: async (digest) => {
      queryClient.setQueryData(digestKeys.detail(digest.id), digest);
      await queryClient.invalidateQueries({ queryKey: digestKeys.lists });
    },
  });
}

export function useSaveTexts(id: string) {
  return useDigestMutation(id, (texts: { introduction?: string; commentary?: string }) => api.patch<DigestDetail>(digestPath(id), texts));
}

export function useReorder(id: string) {
  return useDigestMutation(id, (entryIds: string[]) => api.put<DigestDetail>(`${digestPath(id)}/order`, { entryIds }));
}

export function useAddEntry(id: string) {
  return useDigestMutation(id, (entry: NewEntry) => api.post<DigestDetail>(`${digestPath(id)}/entries`, entry));
}

export function useRemoveEntry(id: string) {
  return useDigestMutation(id, (entryId: string) => api.delete<DigestDetail>(`${digestPath(id)}/entries/${encodeURIComponent(entryId)}`));
}

export type DigestStep = 'assemble' | 'hold' | 'release' | 'submit' | 'approve' | 'send';

export function useStep(id: string) {
  return useDigestMutation(id, (step: DigestStep) => api.post<DigestDetail>(`${digestPath(id)}/${step}`));
}
