import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/**
 * iCalendar (RFC 5545) for network meetings: an invitation (REQUEST) or cancellation (CANCEL) for
 * one attendee, a download (PUBLISH) of one meeting, and a personal feed (PUBLISH) of many. Times
 * are written in UTC (…Z): every calendar client converts them, and no VTIMEZONE is needed. Pure
 * functions, no I/O: the small tests parse their output.
 */

export interface IcalMeeting {
  id: string;
  title: string;
  /** Plain text (Markdown stripped): calendar clients show DESCRIPTION as text. */
  description: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  onlineUrl: string | null;
  status: 'planned' | 'cancelled';
  sequence: number;
  updatedAt: Date;
  /** The meeting's page in the portal. */
  url: string;
}

export interface IcalContext {
  /** The host the UIDs are made unique under (the portal's). */
  host: string;
  organizer: { name: string; email: string };
}

// RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves it off.
function finish(text: string): string {
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** Stable per meeting, whatever changes: how a calendar recognises an update or a cancellation. */
export function meetingUid(id: string, host: string): string {
  return `meeting-${id}@${host}`;
}

function calendar(c: IcalContext, method: ICalCalendarMethod, name?: string) {
  return ical({ prodId: { company: 'Wachtpost', product: 'meetings', language: 'NL' }, method, ...(name && { name }) });
}

function addEvent(cal: ReturnType<typeof ical>, c: IcalContext, m: IcalMeeting, attendee?: { email: string; name: string; going: boolean }) {
  const event = cal.createEvent({
    id: meetingUid(m.id, c.host),
    sequence: m.sequence,
    start: m.startsAt,
    end: m.endsAt,
    stamp: m.updatedAt,
    lastModified: m.updatedAt,
    summary: m.title,
    description: [m.description, m.onlineUrl ? `\n${m.onlineUrl}` : '', `\n${m.url}`].join('').trim(),
    location: m.place ?? m.onlineUrl ?? null,
    url: m.url,
    status: m.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: c.organizer.name, email: c.organizer.email },
  });
  if (attendee) {
    event.createAttendee({
      email: attendee.email,
      name: attendee.name,
      role: ICalAttendeeRole.REQ,
      status: attendee.going ? ICalAttendeeStatus.ACCEPTED : ICalAttendeeStatus.DECLINED,
      rsvp: false,
    });
  }
  return event;
}

/** The invitation for one attendee (METHOD:REQUEST), or its withdrawal (METHOD:CANCEL). */
export function invitationIcs(c: IcalContext, m: IcalMeeting, attendee: { email: string; name: string }, method: 'REQUEST' | 'CANCEL'): string {
  const cal = calendar(c, method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL);
  // A CANCEL for one attendee still carries the meeting's status; only a cancelled meeting says CANCELLED.
  addEvent(cal, c, method === 'CANCEL' ? { ...m, status: 'cancelled' } : m, { ...attendee, going: method === 'REQUEST' });
  return finish(cal.toString());
}

/** One meeting to add to a calendar by hand ("Add to calendar"). */
export function downloadIcs(c: IcalContext, m: IcalMeeting): string {
  const cal = calendar(c, ICalCalendarMethod.PUBLISH);
  addEvent(cal, c, m);
  return finish(cal.toString());
}

/** The personal feed: every meeting the user may see, cancelled ones marked so clients drop them. */
export function feedIcs(c: IcalContext, name: string, meetings: readonly IcalMeeting[]): string {
  const cal = calendar(c, ICalCalendarMethod.PUBLISH, name);
  for (const m of meetings) addEvent(cal, c, m);
  return finish(cal.toString());
}
