import { useEffect } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { alertResponseKeys } from '../features/alert-responses/api';
import { assetKeys } from '../features/assets/api';
import { notificationKeys } from '../features/inbox/api';
import { monitoringKeys } from '../features/monitoring/api';
import { organisationKeys } from '../features/organisations/api';

// Which cached queries each server event makes stale. Invalidation (not patching) keeps
// permission filtering on the server: we simply refetch what this user may see.
const INVALIDATES: Record<string, QueryKey[]> = {
  'asset.changed': [assetKeys.all],
  'organisation.changed': [organisationKeys.all],
  // An answer to an alert: the CERT's dashboard and the answering organisation's own panel.
  'alert.response': [alertResponseKeys.all],
  // Only the inbox owner's stream gets it (the server addresses it to user ids).
  'notifications.changed': [notificationKeys.all],
  // A finding's status changed (by the participant or the CERT): lists, counts and the detail.
  'monitoring.finding.changed': [monitoringKeys.all],
};

function eventType(event: MessageEvent<unknown>): string | null {
  if (event.type !== 'message') return event.type;
  if (typeof event.data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(event.data);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'type' in parsed &&
      typeof parsed.type === 'string'
    ) {
      return parsed.type;
    }
  } catch {
    // Heartbeats and other non-JSON messages are fine to ignore.
  }
  return null;
}

/**
 * Subscribes to /api/v1/events while signed in. Accepts both named SSE events
 * (`event: asset.changed`) and unnamed messages whose JSON data has a `type` field.
 * EventSource reconnects on its own after network errors.
 */
export function useRealtime(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    const handle = (event: MessageEvent<unknown>) => {
      const type = eventType(event);
      const keys = type ? INVALIDATES[type] : undefined;
      for (const queryKey of keys ?? []) void queryClient.invalidateQueries({ queryKey });
    };
    source.addEventListener('message', handle);
    for (const type of Object.keys(INVALIDATES)) source.addEventListener(type, handle);
    return () => source.close();
  }, [queryClient]);
}
