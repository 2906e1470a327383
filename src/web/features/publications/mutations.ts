import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { publicationKeys, publicationPath, uploadPdf, type NewPublication, type PublicationChange, type PublicationDetail } from './api';

/** After any change: the publication, the lists and the reviews due are fetched again where shown. */
function useRefresh() {
  const queryClient = useQueryClient();
  return async (id?: string) => {
    if (id) await queryClient.invalidateQueries({ queryKey: publicationKeys.detail(id) });
    await queryClient.invalidateQueries({ queryKey: publicationKeys.lists });
    await queryClient.invalidateQueries({ queryKey: publicationKeys.reviewDue });
  };
}

/** A new publication; with a PDF instead of Markdown, the file is uploaded as its first version. */
export function useCreatePublication() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ input, file }: { input: NewPublication; file: File | null }) => {
      const created = await api.post<PublicationDetail>('/api/v1/publications', input);
      if (file) await uploadPdf(created.id, file, input.changeNote ?? '');
      return created;
    },
    onSettled: async (created) => refresh(created?.id),
  });
}

export function usePatchPublication(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (change: PublicationChange) => api.patch<PublicationDetail>(publicationPath(id), change),
    onSettled: async () => refresh(id),
  });
}

export function useAddVersion(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (input: { markdown: string; changeNote: string } | { file: File; changeNote: string }) =>
      'file' in input ? uploadPdf(id, input.file, input.changeNote) : api.post<{ version: number }>(`${publicationPath(id)}/versions`, input),
    onSettled: async () => refresh(id),
  });
}

export function usePublish(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (version?: number) => api.post<PublicationDetail>(`${publicationPath(id)}/publish`, version ? { version } : {}),
    onSettled: async () => refresh(id),
  });
}

export function useWithdraw(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (reason: string) => api.post<{ ok: true }>(`${publicationPath(id)}/withdraw`, { reason }),
    onSettled: async () => refresh(id),
  });
}

export function usePreview() {
  return useMutation({ mutationFn: (markdown: string) => api.post<{ html: string }>('/api/v1/publications/preview', { markdown }) });
}
