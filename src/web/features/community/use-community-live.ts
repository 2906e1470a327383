import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { communityKeys } from './api';

/**
 * Refreshes the community's cached pages when the server says a post changed. The server sends
 * 'community.post' (ids only) only to the users who may see the post; the page then refetches
 * through the API, which applies the rules again.
 */
export function useCommunityLive(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    const refresh = () => void queryClient.invalidateQueries({ queryKey: communityKeys.all });
    const onMessage = (event: MessageEvent<unknown>) => {
      if (typeof event.data === 'string' && event.data.includes('"community.post"')) refresh();
    };
    source.addEventListener('community.post', refresh);
    source.addEventListener('message', onMessage);
    return () => source.close();
  }, [queryClient]);
}
