import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { requestKeys } from './api';

const TYPES = ['request.created', 'request.changed', 'request.held'];

/**
 * Refreshes the cached requests when the server says one changed. The server sends these events
 * (ids only) to the request's organisation and the CERT; the pages refetch through the API, which
 * applies the rules again.
 */
export function useRequestsLive(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    const refresh = () => void queryClient.invalidateQueries({ queryKey: requestKeys.all });
    const onMessage = (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (typeof data === 'string' && TYPES.some((type) => data.includes(`"${type}"`))) refresh();
    };
    for (const type of TYPES) source.addEventListener(type, refresh);
    source.addEventListener('message', onMessage);
    return () => source.close();
  }, [queryClient]);
}
