import { describe, expect, it } from 'vitest';
import { downloadIcs, feedIcs, invitationIcs, meetingUid, type IcalContext, type IcalMeeting } from '../../src/modules/meetings/meeting-ical.ts';
import { sniffMaterialType } from '../../src/modules/meetings/material-type.ts';
import { events, parseIcs, prop } from '../helpers/ical-parse.ts';

const ctx: IcalContext = { host: 'wachtpost.test.example', organizer: { name: 'Z-CERT', email: 'meetings@cert.test.example' } };
const meeting: IcalMeeting = {
  id: '5d1f4c6e-3b7a-4f43-9d0b-2c1f0a9b8e77',
  title: 'Netwerkbijeenkomst CISO’s — ransomware, lessen uit 2026; "incidentrespons" en een heel lange titel die gevouwen moet worden',
  description: 'Agenda:\n1. Welkom\n2. Dreigingsbeeld',
  startsAt: new Date('2026-12-03T13:00:00Z'),
  endsAt: new Date('2026-12-03T16:30:00Z'),
  place: 'Zaal 2, Utrecht',
  onlineUrl: 'https://meet.test.example/ciso',
  status: 'planned',
  sequence: 3,
  updatedAt: new Date('2026-11-20T09:00:00Z'),
  url: 'https://wachtpost.test.example/meetings/5d1f4c6e-3b7a-4f43-9d0b-2c1f0a9b8e77',
};

describe('meeting iCalendar', () => {
  it('an invitation is METHOD:REQUEST with a stable UID, the SEQUENCE, UTC times, organizer and attendee', () => {
    const cal = parseIcs(invitationIcs(ctx, meeting, { email: 'ciso@hospital-a.test.example', name: 'An de Vries' }, 'REQUEST'));
    expect(cal.name).toBe('VCALENDAR');
    expect(prop(cal, 'VERSION')?.value).toBe('2.0');
    expect(prop(cal, 'METHOD')?.value).toBe('REQUEST');
    const [ev] = events(cal);
    expect(ev).toBeDefined();
    expect(prop(ev!, 'UID')?.value).toBe(meetingUid(meeting.id, ctx.host));
    expect(prop(ev!, 'SEQUENCE')?.value).toBe('3');
    expect(prop(ev!, 'DTSTART')?.value).toBe('20261203T130000Z');
    expect(prop(ev!, 'DTEND')?.value).toBe('20261203T163000Z');
    expect(prop(ev!, 'DTSTAMP')).toBeDefined();
    expect(prop(ev!, 'STATUS')?.value).toBe('CONFIRMED');
    expect(prop(ev!, 'ORGANIZER')?.value.toLowerCase()).toBe('mailto:meetings@cert.test.example');
    expect(prop(ev!, 'ORGANIZER')?.params.CN).toBe('Z-CERT');
    const attendee = prop(ev!, 'ATTENDEE');
    expect(attendee?.value.toLowerCase()).toBe('mailto:ciso@hospital-a.test.example');
    expect(attendee?.params.PARTSTAT).toBe('ACCEPTED');
    // Text values are escaped (commas, semicolons, newlines) and long lines folded.
    expect(prop(ev!, 'SUMMARY')?.value).toContain('lessen uit 2026\\;');
    expect(prop(ev!, 'DESCRIPTION')?.value).toContain('\\n1. Welkom');
  });

  it('a cancellation is METHOD:CANCEL with the same UID and STATUS:CANCELLED', () => {
    const cal = parseIcs(invitationIcs(ctx, { ...meeting, sequence: 4 }, { email: 'ciso@hospital-a.test.example', name: 'An' }, 'CANCEL'));
    expect(prop(cal, 'METHOD')?.value).toBe('CANCEL');
    const [ev] = events(cal);
    expect(prop(ev!, 'UID')?.value).toBe(meetingUid(meeting.id, ctx.host));
    expect(prop(ev!, 'STATUS')?.value).toBe('CANCELLED');
    expect(prop(ev!, 'SEQUENCE')?.value).toBe('4');
  });

  it('the download and the feed are METHOD:PUBLISH without attendees; the feed holds one VEVENT per meeting', () => {
    const one = parseIcs(downloadIcs(ctx, meeting));
    expect(prop(one, 'METHOD')?.value).toBe('PUBLISH');
    expect(prop(events(one)[0]!, 'ATTENDEE')).toBeUndefined();
    const other = { ...meeting, id: '0b0e9a52-8a51-4d7c-9f7e-1d2c3b4a5f60', status: 'cancelled' as const };
    const feed = parseIcs(feedIcs(ctx, 'Z-CERT', [meeting, other]));
    expect(events(feed).map((e) => prop(e, 'UID')?.value)).toEqual([meetingUid(meeting.id, ctx.host), meetingUid(other.id, ctx.host)]);
    expect(prop(events(feed)[1]!, 'STATUS')?.value).toBe('CANCELLED');
  });
});

describe('material type sniffing', () => {
  it('goes by the bytes, not the name', () => {
    expect(sniffMaterialType(Buffer.from('%PDF-1.7\n...'), 'slides.exe')).toBe('application/pdf');
    expect(sniffMaterialType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'deck.pptx')).toContain('presentationml');
    expect(sniffMaterialType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'archive.zip')).toBeNull();
    expect(sniffMaterialType(Buffer.from('Notulen\nAanwezig: …'), 'notulen.txt')).toBe('text/plain; charset=utf-8');
    expect(sniffMaterialType(Buffer.from('<html><script>alert(1)</script>'), 'minutes.html')).toBeNull();
    expect(sniffMaterialType(Buffer.from([0xff, 0xfe, 0x00, 0x41]), 'notes.txt')).toBeNull();
  });
});
