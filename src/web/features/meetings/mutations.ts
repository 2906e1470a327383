import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { meetingKeys, meetingPath, uploadMaterial, type FeedToken, type Meeting, type MeetingChange, type NewMeeting } from './api';

/** Every change refetches the meeting, the lists and the attendee list where they are shown. */
function useMeetingMutation<TInput, TOutput>(fn: (input: TInput) => Promise<TOutput>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: meetingKeys.all });
    },
  });
}

export const useCreateMeeting = () => useMeetingMutation((input: NewMeeting) => api.post<Meeting>('/api/v1/meetings', input));
export const useUpdateMeeting = (id: string) => useMeetingMutation((input: MeetingChange) => api.patch<Meeting>(meetingPath(id), input));
export const useCancelMeeting = (id: string) => useMeetingMutation(() => api.post<Meeting>(`${meetingPath(id)}/cancel`));
export const useRsvp = (id: string) =>
  useMeetingMutation((response: 'going' | 'not_going') => api.put<{ rsvp: Meeting['myRsvp'] }>(`${meetingPath(id)}/rsvp`, { response }));
export const useUploadMaterial = (id: string) =>
  useMeetingMutation((input: { kind: string; title: string; tlp: string; recipients: string[]; file: File }) => uploadMaterial(id, input));
export const useRotateFeedToken = () => useMeetingMutation(() => api.post<FeedToken>('/api/v1/meetings/feed-token'));
