import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { ApiError, api, buildUrl, getCsrfToken } from '../../lib/api-client';
// The server's own types (type-only: nothing of the server is bundled).
import type {
  AttendeeOut,
  FeedTokenOut,
  FeedTokenStatusOut,
  MeetingInput,
  MeetingOut,
  MeetingPatch,
  MeetingSummaryOut,
  MaterialOut,
} from '#modules/meetings/meeting.schema.ts';
import { MEETING_TLPS, MATERIAL_KINDS } from '#db/schema-meetings.ts';

export type Meeting = MeetingOut;
export type MeetingSummary = MeetingSummaryOut;
export type Attendee = z.infer<typeof AttendeeOut>;
export type Material = z.infer<typeof MaterialOut>;
export type FeedTokenStatus = z.infer<typeof FeedTokenStatusOut>;
export type FeedToken = z.infer<typeof FeedTokenOut>;
export type NewMeeting = z.input<typeof MeetingInput>;
export type MeetingChange = z.input<typeof MeetingPatch>;
export const TLP_CHOICES = MEETING_TLPS;
export const KIND_CHOICES = MATERIAL_KINDS;

export const meetingPath = (id: string) => `/api/v1/meetings/${encodeURIComponent(id)}`;

export const meetingKeys = {
  all: ['meetings'] as const,
  list: (when: 'upcoming' | 'past') => ['meetings', 'list', when] as const,
  one: (id: string) => ['meetings', 'one', id] as const,
  attendees: (id: string) => ['meetings', 'attendees', id] as const,
  feed: ['meetings', 'feed-token'] as const,
};

export const meetingsQuery = (when: 'upcoming' | 'past') =>
  queryOptions({
    queryKey: meetingKeys.list(when),
    queryFn: ({ signal }) => api.get<{ items: MeetingSummary[] }>('/api/v1/meetings', { when, limit: 100 }, signal),
  });

export const meetingQuery = (id: string) =>
  queryOptions({ queryKey: meetingKeys.one(id), queryFn: ({ signal }) => api.get<Meeting>(meetingPath(id), undefined, signal) });

export const attendeesQuery = (id: string) =>
  queryOptions({
    queryKey: meetingKeys.attendees(id),
    queryFn: ({ signal }) => api.get<{ items: Attendee[] }>(`${meetingPath(id)}/attendees`, undefined, signal),
  });

export const feedTokenQuery = () =>
  queryOptions({ queryKey: meetingKeys.feed, queryFn: ({ signal }) => api.get<FeedTokenStatus>('/api/v1/meetings/feed-token', undefined, signal) });

/** Uploads a material (multipart); the server decides its type from the bytes. */
export async function uploadMaterial(
  meetingId: string,
  input: { kind: string; title: string; tlp: string; recipients: string[]; file: File },
): Promise<Material> {
  const form = new FormData();
  form.append('kind', input.kind);
  form.append('title', input.title);
  form.append('tlp', input.tlp);
  for (const r of input.recipients) form.append('recipients', r);
  form.append('file', input.file, input.file.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrf = getCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(buildUrl(`${meetingPath(meetingId)}/materials`), { method: 'POST', headers, credentials: 'same-origin', body: form });
  } catch {
    throw new ApiError(0, 'network_error', 'Network error: the server could not be reached.');
  }
  const body = (await response.json().catch(() => ({}))) as Material & { error?: { code?: string; message?: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.code ?? `http_${response.status}`, body.error?.message ?? response.statusText);
  return body;
}

/** Times are shown in Europe/Amsterdam, whatever the browser's zone. */
export function formatMeetingTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang.startsWith('en') ? 'en-GB' : 'nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'full', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
