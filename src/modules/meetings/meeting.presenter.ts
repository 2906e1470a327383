import { renderMarkdown } from '#lib/markdown.ts';
import type { RsvpStatus } from '#db/schema-meetings.ts';
import type { MaterialRow, MeetingRow } from './meeting.repository.ts';
import type { MeetingOut, MeetingSummaryOut } from './meeting.schema.ts';
import type { z } from 'zod';
import type { AttendeeOut, MaterialOut } from './meeting.schema.ts';

/** The response shapes of meetings: explicit fields only, never a row. */

type Mine = { status: RsvpStatus; waitingPosition: number | null } | null;

export function presentSummary(m: MeetingRow, counts: { going: number; waiting: number } | undefined, mine: Mine): MeetingSummaryOut {
  const going = counts?.going ?? 0;
  return {
    id: m.id,
    title: m.title,
    startsAt: m.starts_at.toISOString(),
    endsAt: m.ends_at.toISOString(),
    place: m.place,
    online: m.online_url !== null,
    tlp: m.tlp,
    status: m.status,
    language: m.language,
    capacity: m.capacity,
    seatsLeft: m.capacity === null ? null : Math.max(0, m.capacity - going),
    going,
    waiting: counts?.waiting ?? 0,
    myRsvp: mine,
  };
}

export function presentMaterial(x: MaterialRow): z.infer<typeof MaterialOut> {
  return {
    id: x.id,
    kind: x.kind,
    title: x.title,
    tlp: x.tlp,
    fileName: x.file_name,
    mediaType: x.media_type,
    sizeBytes: x.size_bytes,
    createdAt: x.created_at.toISOString(),
  };
}

export function presentMeeting(
  m: MeetingRow,
  counts: { going: number; waiting: number } | undefined,
  mine: Mine,
  extra: { materials: MaterialRow[]; recipients: { organisationId: string }[] | null; canManage: boolean; now: Date },
): MeetingOut {
  const rsvpOpen = m.status === 'planned' && m.starts_at > extra.now && (!m.rsvp_deadline || m.rsvp_deadline >= extra.now);
  return {
    ...presentSummary(m, counts, mine),
    description: m.description,
    descriptionHtml: renderMarkdown(m.description),
    agenda: m.agenda,
    agendaHtml: renderMarkdown(m.agenda),
    onlineUrl: m.online_url,
    rsvpDeadline: m.rsvp_deadline?.toISOString() ?? null,
    rsvpOpen,
    sequence: m.sequence,
    recipients: extra.recipients,
    materials: extra.materials.map(presentMaterial),
    canManage: extra.canManage,
  };
}

export function presentAttendees(
  rows: { user_id: string; name: string; email: string; organisation_id: string; organisation_name: string; status: RsvpStatus; responded_at: Date }[],
): z.infer<typeof AttendeeOut>[] {
  let position = 0;
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    email: r.email,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    status: r.status,
    waitingPosition: r.status === 'waiting' ? ++position : null,
    respondedAt: r.responded_at.toISOString(),
  }));
}
