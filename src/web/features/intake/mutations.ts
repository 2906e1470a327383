import { useMutation, useQueryClient } from '@tanstack/react-query';
import { intakeApi, intakeKeys, type NewSource, type SourceChange } from './api';

/** After a triage step: the inbox lists and the stories concerned are fetched again where shown. */
function useRefreshStories() {
  const queryClient = useQueryClient();
  return async (ids: readonly string[]) => {
    await Promise.all(ids.map((id) => queryClient.invalidateQueries({ queryKey: intakeKeys.story(id) })));
    await queryClient.invalidateQueries({ queryKey: [...intakeKeys.stories, 'list'] });
  };
}

/** Read or unread, for me only. */
export function useMarkRead() {
  const refresh = useRefreshStories();
  return useMutation({
    mutationFn: ({ ids, read }: { ids: string[]; read: boolean }) => intakeApi.markRead(ids, read),
    onSettled: async (_result, _error, { ids }) => refresh(ids),
  });
}

/** "No action", with the reason the team reads later. */
export function useNoAction() {
  const refresh = useRefreshStories();
  return useMutation({
    mutationFn: ({ ids, reason }: { ids: string[]; reason: string }) => intakeApi.noAction(ids, reason),
    onSettled: async (_result, _error, { ids }) => refresh(ids),
  });
}

export function useReopen() {
  const refresh = useRefreshStories();
  return useMutation({
    mutationFn: (ids: string[]) => intakeApi.reopen(ids),
    onSettled: async (_result, _error, ids) => refresh(ids),
  });
}

/** A draft advisory from a story (a CSAF item is imported whole); the caller opens its editor. */
export function useDraftAdvisory() {
  const refresh = useRefreshStories();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => intakeApi.draftAdvisory(id),
    onSettled: async (_result, _error, id) => {
      await refresh([id]);
      await queryClient.invalidateQueries({ queryKey: ['advisories'] });
    },
  });
}

/** This week's media items (the digest of the week picks them up). */
export function useAddToMedia() {
  const refresh = useRefreshStories();
  return useMutation({
    mutationFn: (id: string) => intakeApi.addToMedia(id),
    onSettled: async (_result, _error, id) => refresh([id]),
  });
}

// ---- sources

function useRefreshSources() {
  const queryClient = useQueryClient();
  return async (id?: string) => {
    await queryClient.invalidateQueries({ queryKey: intakeKeys.sources });
    if (id) await queryClient.invalidateQueries({ queryKey: intakeKeys.source(id) });
  };
}

export function useCreateSource() {
  const refresh = useRefreshSources();
  return useMutation({ mutationFn: (input: NewSource) => intakeApi.createSource(input), onSuccess: async () => refresh() });
}

export function useUpdateSource() {
  const refresh = useRefreshSources();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: SourceChange }) => intakeApi.updateSource(id, change),
    onSuccess: async (_source, { id }) => refresh(id),
  });
}

export function useDeleteSource() {
  const refresh = useRefreshSources();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => intakeApi.deleteSource(id),
    onSuccess: async () => {
      await refresh();
      // Stories made only of its items are gone too.
      await queryClient.invalidateQueries({ queryKey: intakeKeys.stories });
    },
  });
}

/** "Run now": a failed run is an outcome (ok: false, error), not an error of the request. */
export function useRunSource() {
  const refresh = useRefreshSources();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => intakeApi.runSource(id),
    onSettled: async (_outcome, _error, id) => {
      await refresh(id);
      await queryClient.invalidateQueries({ queryKey: intakeKeys.stories });
    },
  });
}
