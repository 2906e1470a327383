import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, buildUrl, getCsrfToken } from '../../lib/api-client';
import {
  communityKeys,
  postPath,
  spacePath,
  threadPath,
  type NewPost,
  type NewSpace,
  type NewThread,
  type PreferenceMode,
  type ReactionKind,
  type Space,
  type SpaceChange,
  type Thread,
} from './api';

/** A change inside a thread: the answer (the thread) is shown at once, the lists refetched. */
function useThreadMutation<TInput>(threadId: string, fn: (input: TInput) => Promise<Thread>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (thread) => queryClient.setQueryData(communityKeys.thread(threadId), thread),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: communityKeys.all });
    },
  });
}

function useCommunityMutation<TInput, TOutput>(fn: (input: TInput) => Promise<TOutput>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => queryClient.invalidateQueries({ queryKey: communityKeys.all }) });
}

export const useCreateSpace = () => useCommunityMutation((input: NewSpace) => api.post<Space>('/api/v1/community/spaces', input));
export const useUpdateSpace = (spaceId: string) => useCommunityMutation((change: SpaceChange) => api.patch<Space>(spacePath(spaceId), change));
export const useSetPreference = (spaceId: string) =>
  useCommunityMutation((mode: PreferenceMode) => api.put<{ mode: PreferenceMode }>(`${spacePath(spaceId)}/preference`, { mode }));
export const useCreateThread = (spaceId: string) => useCommunityMutation((input: NewThread) => api.post<Thread>(`${spacePath(spaceId)}/threads`, input));

export const useReply = (threadId: string) => useThreadMutation(threadId, (input: NewPost) => api.post<Thread>(`${threadPath(threadId)}/posts`, input));
export const useEditPost = (threadId: string) =>
  useThreadMutation(threadId, ({ postId, body, title, version }: { postId: string; body: string; title?: string; version: number }) =>
    api.patch<Thread>(postPath(postId), { body, title, version }),
  );
export const useReact = (threadId: string) =>
  useThreadMutation(threadId, ({ postId, kind, on }: { postId: string; kind: ReactionKind; on: boolean }) =>
    on ? api.put<Thread>(`${postPath(postId)}/reactions/${kind}`, {}) : api.delete<Thread>(`${postPath(postId)}/reactions/${kind}`),
  );
export const useMarkAnswer = (threadId: string) =>
  useThreadMutation(threadId, (postId: string | null) => api.put<Thread>(`${threadPath(threadId)}/answer`, { postId }));
export const useHidePost = (threadId: string) =>
  useThreadMutation(threadId, ({ postId, reason }: { postId: string; reason: string | null }) =>
    reason === null ? api.post<Thread>(`${postPath(postId)}/unhide`) : api.post<Thread>(`${postPath(postId)}/hide`, { reason }),
  );
export const useModerateThread = (threadId: string) =>
  useThreadMutation(threadId, (change: { pinned?: boolean; locked?: boolean; spaceId?: string }) => api.patch<Thread>(threadPath(threadId), change));

/** Uploads one file to a post of mine (multipart, field "file"); the server decides its type from the bytes. */
export async function uploadAttachment(postId: string, file: File): Promise<void> {
  const form = new FormData();
  form.append('file', file, file.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrf = getCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(buildUrl(`${postPath(postId)}/attachments`), { method: 'POST', headers, credentials: 'same-origin', body: form });
  } catch {
    throw new ApiError(0, 'network_error', 'Network error: the server could not be reached.');
  }
  if (response.ok) return;
  let code = `http_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // Not JSON: keep the status line.
  }
  throw new ApiError(response.status, code, message);
}
