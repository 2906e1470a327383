import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../src/modules/mail/mailer.ts';
import { deliverDue } from '../../src/modules/mail/outbox.service.ts';
import { sendReminders } from '../../src/modules/meetings/reminder.service.ts';
import { searchMeetings } from '../../src/modules/meetings/meeting.service.ts';
import { buildActor } from '../../src/modules/identity/actor-builder.ts';
import { findUserWithOrgById } from '../../src/modules/identity/identity.repository.ts';
import { authHeaders, call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink.ts';
import { events, parseIcs, prop } from '../helpers/ical-parse.ts';

const PUBLIC_URL = 'http://wachtpost.test.example';
const HOST = 'wachtpost.test.example';
let t: TestApp;
let smtp: SmtpSink;
let mailer: Mailer;
const unique = () => randomBytes(4).toString('hex');
const orgs = { cert: '', a: '', b: '', c: '' };
const u: Record<'analyst' | 'memberA' | 'memberA2' | 'adminA' | 'memberB' | 'adminB' | 'memberC', TestUser> = {} as never;
const as: Record<keyof typeof u, Credentials> = {} as never;

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL, MAIL_FROM: 'Z-CERT <meetings@cert.test.example>' });
  smtp = await startSmtpSink();
  mailer = createMailer(smtp.url, 'Z-CERT <meetings@cert.test.example>', pino({ level: 'silent' }));
  orgs.cert = (await makeOrganisation(t, 'cert')).id;
  orgs.a = (await makeOrganisation(t, 'participant', `Ziekenhuis A ${unique()}`)).id;
  orgs.b = (await makeOrganisation(t, 'participant', `Ziekenhuis B ${unique()}`)).id;
  orgs.c = (await makeOrganisation(t, 'participant', `Ziekenhuis C ${unique()}`)).id;
  u.analyst = await makeUser(t, orgs.cert, 'cert-analyst');
  u.memberA = await makeUser(t, orgs.a, 'participant-member');
  u.memberA2 = await makeUser(t, orgs.a, 'participant-member');
  u.adminA = await makeUser(t, orgs.a, 'participant-admin');
  u.memberB = await makeUser(t, orgs.b, 'participant-member');
  u.adminB = await makeUser(t, orgs.b, 'participant-admin');
  u.memberC = await makeUser(t, orgs.c, 'participant-member');
  for (const k of Object.keys(u) as (keyof typeof u)[]) as[k] = await login(t, u[k]);
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await t?.close();
});

interface MeetingBody {
  id: string;
  status: string;
  sequence: number;
  seatsLeft: number | null;
  myRsvp: { status: string; waitingPosition: number | null } | null;
  materials: { id: string; title: string; tlp: string }[];
}

async function newMeeting(over: Record<string, unknown> = {}): Promise<MeetingBody> {
  const res = await call(t, 'POST', '/api/v1/meetings', as.analyst, {
    title: `Netwerkbijeenkomst ${unique()}`,
    description: 'Ervaringen **delen**.',
    agenda: '1. Welkom\n2. Dreigingsbeeld',
    startsAt: inHours(72),
    endsAt: inHours(75),
    place: 'Utrecht',
    onlineUrl: 'https://meet.test.example/ciso',
    tlp: 'GREEN',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<MeetingBody>();
}

const rsvp = (who: Credentials, id: string, response: 'going' | 'not_going', userId?: string) =>
  call(t, 'PUT', `/api/v1/meetings/${id}/rsvp`, who, { response, ...(userId && { userId }) });
const detail = async (who: Credentials, id: string) => (await call(t, 'GET', `/api/v1/meetings/${id}`, who)).json<MeetingBody>();

/** Delivers the outbox to the SMTP sink and returns the mails that arrived for an address. */
async function deliveredTo(email: string): Promise<ReceivedMail[]> {
  await deliverDue(t.system, mailer);
  return smtp.received.filter((m) => m.envelopeTo.includes(email));
}

function calendarOf(mail: ReceivedMail) {
  const att = mail.parsed.attachments.find((a) => a.contentType === 'text/calendar');
  expect(att, `no text/calendar attachment in "${mail.parsed.subject}"`).toBeDefined();
  return parseIcs(att!.content.toString('utf8'));
}

describe('a meeting invitation reaches RSVPs as iCal', () => {
  it('the confirmation mail carries a METHOD:REQUEST invitation for the attendee', async () => {
    const m = await newMeeting({ capacity: 10 });
    const res = await rsvp(as.memberA, m.id, 'going');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ rsvp: { status: 'going', waitingPosition: null } });
    const mails = (await deliveredTo(u.memberA.email)).filter((x) => x.parsed.subject?.includes('Aanmelding bevestigd'));
    expect(mails).toHaveLength(1);
    const cal = calendarOf(mails[0]!);
    expect(prop(cal, 'METHOD')?.value).toBe('REQUEST');
    const [ev] = events(cal);
    expect(prop(ev!, 'UID')?.value).toBe(`meeting-${m.id}@${HOST}`);
    expect(prop(ev!, 'DTSTART')?.value).toMatch(/^\d{8}T\d{6}Z$/);
    expect(prop(ev!, 'ATTENDEE')?.value.toLowerCase()).toBe(`mailto:${u.memberA.email}`);
    expect(prop(ev!, 'ORGANIZER')?.value.toLowerCase()).toBe('mailto:meetings@cert.test.example');
    // The body shows the time in Europe/Amsterdam.
    expect(mails[0]!.parsed.text).toContain('Europe/Amsterdam');
  });

  it('a change bumps SEQUENCE and sends the update; cancelling sends METHOD:CANCEL to everyone who answered', async () => {
    const m = await newMeeting({ capacity: 1 });
    await rsvp(as.memberA, m.id, 'going');
    await rsvp(as.memberB, m.id, 'going');
    const changed = await call(t, 'PATCH', `/api/v1/meetings/${m.id}`, as.analyst, { place: 'Amersfoort' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<MeetingBody>().sequence).toBe(m.sequence + 1);
    const update = (await deliveredTo(u.memberA.email)).find((x) => x.parsed.subject?.includes('gewijzigd') && x.parsed.text?.includes(m.id));
    expect(prop(events(calendarOf(update!))[0]!, 'SEQUENCE')?.value).toBe(String(m.sequence + 1));

    const cancelled = await call(t, 'POST', `/api/v1/meetings/${m.id}/cancel`, as.analyst);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    for (const who of [u.memberA, u.memberB]) {
      const mail = (await deliveredTo(who.email)).find((x) => x.parsed.subject?.includes('gaat niet door') && x.parsed.text?.includes(m.id));
      const cal = calendarOf(mail!);
      expect(prop(cal, 'METHOD')?.value).toBe('CANCEL');
      expect(prop(events(cal)[0]!, 'UID')?.value).toBe(`meeting-${m.id}@${HOST}`);
      expect(prop(events(cal)[0]!, 'STATUS')?.value).toBe('CANCELLED');
    }
    expect((await rsvp(as.memberC, m.id, 'going')).json()).toMatchObject({ error: { code: 'meeting_cancelled' } });
  });

  it('the .ics download is the meeting under the same access check', async () => {
    const m = await newMeeting({ tlp: 'AMBER', recipients: [{ organisationId: orgs.a }] });
    const ok = await call(t, 'GET', `/api/v1/meetings/${m.id}/ics`, as.memberA);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('text/calendar');
    expect(prop(parseIcs(ok.body), 'METHOD')?.value).toBe('PUBLISH');
    expect((await call(t, 'GET', `/api/v1/meetings/${m.id}/ics`, as.memberB)).statusCode).toBe(404);
  });
});

describe('waiting list', () => {
  it('fills in order, moves the first up when a seat frees (with a mail), and follows capacity changes', async () => {
    const m = await newMeeting({ capacity: 1 });
    expect((await rsvp(as.memberA, m.id, 'going')).json()).toEqual({ rsvp: { status: 'going', waitingPosition: null } });
    expect((await rsvp(as.memberB, m.id, 'going')).json()).toEqual({ rsvp: { status: 'waiting', waitingPosition: 1 } });
    expect((await rsvp(as.memberA2, m.id, 'going')).json()).toEqual({ rsvp: { status: 'waiting', waitingPosition: 2 } });
    // Saying going again keeps one's place.
    expect((await rsvp(as.memberA2, m.id, 'going')).json()).toEqual({ rsvp: { status: 'waiting', waitingPosition: 2 } });
    expect((await detail(as.memberC, m.id)).seatsLeft).toBe(0);

    expect((await rsvp(as.memberA, m.id, 'not_going')).json()).toEqual({ rsvp: { status: 'not_going', waitingPosition: null } });
    expect((await detail(as.memberB, m.id)).myRsvp).toEqual({ status: 'going', waitingPosition: null });
    expect((await detail(as.memberA2, m.id)).myRsvp).toEqual({ status: 'waiting', waitingPosition: 1 });
    const promoted = (await deliveredTo(u.memberB.email)).find((x) => x.parsed.subject?.includes('Er is een plaats voor u') && x.parsed.text?.includes(m.id));
    expect(prop(calendarOf(promoted!), 'METHOD')?.value).toBe('REQUEST');

    // More seats: the waiting list moves up; fewer: the last to ask goes back to the head of the list.
    await call(t, 'PATCH', `/api/v1/meetings/${m.id}`, as.analyst, { capacity: 2 });
    expect((await detail(as.memberA2, m.id)).myRsvp?.status).toBe('going');
    await rsvp(as.memberC, m.id, 'going');
    expect((await detail(as.memberC, m.id)).myRsvp).toEqual({ status: 'waiting', waitingPosition: 1 });
    await call(t, 'PATCH', `/api/v1/meetings/${m.id}`, as.analyst, { capacity: 1 });
    expect((await detail(as.memberB, m.id)).myRsvp?.status).toBe('going');
    expect((await detail(as.memberA2, m.id)).myRsvp).toEqual({ status: 'waiting', waitingPosition: 1 });
    expect((await detail(as.memberC, m.id)).myRsvp).toEqual({ status: 'waiting', waitingPosition: 2 });
    const attendees = (await call(t, 'GET', `/api/v1/meetings/${m.id}/attendees`, as.analyst)).json<{
      items: { userId: string; status: string; waitingPosition: number | null }[];
    }>();
    expect(attendees.items.filter((a) => a.status !== 'not_going').map((a) => [a.userId, a.status, a.waitingPosition])).toEqual([
      [u.memberB.id, 'going', null],
      [u.memberA2.id, 'waiting', 1],
      [u.memberC.id, 'waiting', 2],
    ]);
  });

  it('two people asking for the last seat at once: one gets it, the other waits', async () => {
    const m = await newMeeting({ capacity: 1 });
    const results = await Promise.all([rsvp(as.memberB, m.id, 'going'), rsvp(as.memberC, m.id, 'going')]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(results.map((r) => r.json<{ rsvp: { status: string } }>().rsvp.status).sort()).toEqual(['going', 'waiting']);
    const going = await t.system.db
      .selectFrom('meeting_rsvps')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('meeting_id', '=', m.id)
      .where('status', '=', 'going')
      .executeTakeFirstOrThrow();
    expect(Number(going.n)).toBe(1);
  });

  it('a participant admin answers for colleagues, not for another organisation; a member not for others', async () => {
    const m = await newMeeting();
    const forColleague = await rsvp(as.adminA, m.id, 'going', u.memberA2.id);
    expect(forColleague.statusCode, forColleague.body).toBe(200);
    const other = await rsvp(as.adminB, m.id, 'going', u.memberA.id);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ error: { code: 'user_not_found' } });
    expect((await rsvp(as.memberA, m.id, 'going', u.memberA2.id)).statusCode).toBe(403);
    // A first answer of "not going" is recorded too.
    expect((await rsvp(as.memberC, m.id, 'not_going')).json()).toEqual({ rsvp: { status: 'not_going', waitingPosition: null } });
  });
});

describe('the calendar feed', () => {
  const feedPath = (url: string) => new URL(url).pathname;

  it('needs the right token, stops when rotated or when the user is disabled, and holds only what the user may see', async () => {
    const green = await newMeeting();
    const forA = await newMeeting({ tlp: 'AMBER', recipients: [{ organisationId: orgs.a }], title: `Alleen A ${unique()}` });
    const forB = await newMeeting({ tlp: 'RED', recipients: [{ organisationId: orgs.b }], title: `Alleen B ${unique()}` });
    const user = await makeUser(t, orgs.a, 'participant-member');
    const creds = await login(t, user);
    expect((await call(t, 'GET', '/api/v1/meetings/feed-token', creds)).json()).toEqual({ active: false, createdAt: null });
    const first = (await call(t, 'POST', '/api/v1/meetings/feed-token', creds)).json<{ url: string }>();
    expect(first.url.startsWith(`${PUBLIC_URL}/api/v1/meetings/feed/`)).toBe(true);

    const res = await t.app.inject({ method: 'GET', url: feedPath(first.url) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const uids = events(parseIcs(res.body)).map((e) => prop(e, 'UID')?.value);
    expect(uids).toContain(`meeting-${green.id}@${HOST}`);
    expect(uids).toContain(`meeting-${forA.id}@${HOST}`);
    expect(uids).not.toContain(`meeting-${forB.id}@${HOST}`);
    expect(res.body).not.toContain('Alleen B');

    expect((await t.app.inject({ method: 'GET', url: `/api/v1/meetings/feed/${'x'.repeat(43)}.ics` })).statusCode).toBe(404);
    const second = (await call(t, 'POST', '/api/v1/meetings/feed-token', creds)).json<{ url: string }>();
    expect((await t.app.inject({ method: 'GET', url: feedPath(first.url) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: feedPath(second.url) })).statusCode).toBe(200);

    // The feed re-checks the user on every fetch: a disabled user's feed stops at once.
    await t.system.db.updateTable('users').set({ status: 'disabled', disabled_at: new Date() }).where('id', '=', user.id).execute();
    expect((await t.app.inject({ method: 'GET', url: feedPath(second.url) })).statusCode).toBe(404);
  });
});

function multipart(fields: Record<string, string | string[]>, file: { name: string; content: Buffer } | null) {
  const boundary = `----wp${unique()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    for (const one of [v].flat()) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`));
  if (file)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(who: Credentials, meetingId: string, fields: Record<string, string | string[]>, file: { name: string; content: Buffer } | null) {
  const body = multipart(fields, file);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/materials`,
    headers: { ...authHeaders(who), 'content-type': body.contentType },
    payload: body.payload,
  });
}

describe('materials under TLP', () => {
  it('RED minutes reach only the named organisation: list, detail, download, feed, search', async () => {
    const past = await newMeeting({
      title: `Afgelopen ${unique()}`,
      startsAt: inHours(-48),
      endsAt: inHours(-45),
      tlp: 'AMBER',
      recipients: [{ organisationId: orgs.a }, { organisationId: orgs.b }],
    });
    const minutes = await upload(
      as.analyst,
      past.id,
      { kind: 'minutes', title: 'Notulen rood', tlp: 'RED', recipients: orgs.a },
      { name: 'notulen.pdf', content: Buffer.from('%PDF-1.7\nnotulen\n%%EOF') },
    );
    expect(minutes.statusCode, minutes.body).toBe(201);
    const slides = await upload(
      as.analyst,
      past.id,
      { kind: 'slides', title: 'Slides', tlp: 'AMBER' },
      { name: 'slides.pdf', content: Buffer.from('%PDF-1.7\nslides\n%%EOF') },
    );
    expect(slides.statusCode, slides.body).toBe(201);
    const minutesId = minutes.json<{ id: string }>().id;
    const slidesId = slides.json<{ id: string }>().id;

    // Detail: A sees both, B only the slides, C not the meeting at all.
    expect((await detail(as.memberA, past.id)).materials.map((x) => x.title).sort()).toEqual(['Notulen rood', 'Slides']);
    expect((await detail(as.memberB, past.id)).materials.map((x) => x.title)).toEqual(['Slides']);
    expect((await call(t, 'GET', `/api/v1/meetings/${past.id}`, as.memberC)).statusCode).toBe(404);
    // Download: served as an attachment with its TLP, only through the check.
    const dl = await call(t, 'GET', `/api/v1/meetings/${past.id}/materials/${minutesId}`, as.memberA);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.headers['x-tlp']).toBe('TLP:RED');
    expect(dl.headers['content-type']).toContain('application/pdf');
    expect((await call(t, 'GET', `/api/v1/meetings/${past.id}/materials/${minutesId}`, as.memberB)).statusCode).toBe(404);
    expect((await call(t, 'GET', `/api/v1/meetings/${past.id}/materials/${slidesId}`, as.memberB)).statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/v1/meetings/${past.id}/materials/${slidesId}`, as.memberC)).statusCode).toBe(404);
    // List: the past meeting appears for A and B, never for C.
    const listed = async (who: Credentials) =>
      (await call(t, 'GET', '/api/v1/meetings?when=past', who)).json<{ items: { id: string }[] }>().items.map((x) => x.id);
    expect(await listed(as.memberB)).toContain(past.id);
    expect(await listed(as.memberC)).not.toContain(past.id);
    // Feed: C's feed has no trace of the meeting; no feed carries material titles.
    const feedC = (await call(t, 'POST', '/api/v1/meetings/feed-token', as.memberC)).json<{ url: string }>();
    const bodyC = (await t.app.inject({ method: 'GET', url: new URL(feedC.url).pathname })).body;
    expect(bodyC).not.toContain(past.id);
    const feedB = (await call(t, 'POST', '/api/v1/meetings/feed-token', as.memberB)).json<{ url: string }>();
    const bodyB = (await t.app.inject({ method: 'GET', url: new URL(feedB.url).pathname })).body;
    expect(bodyB).toContain(past.id);
    expect(bodyB).not.toContain('Notulen rood');
    // Search: visible only.
    const actorOf = async (x: TestUser) => buildActor(t.system.db, (await findUserWithOrgById(t.system.db, x.id))!, { sessionId: 'test' });
    const word = (await t.system.db.selectFrom('meetings').select('title').where('id', '=', past.id).executeTakeFirstOrThrow()).title;
    expect((await searchMeetings({ ...t.system, actor: await actorOf(u.memberB) }, word, 10)).map((h) => h.id)).toEqual([past.id]);
    expect(await searchMeetings({ ...t.system, actor: await actorOf(u.memberC) }, word, 10)).toEqual([]);
  });

  it('refuses a material more open than its meeting, a type it does not know, and a missing file', async () => {
    const m = await newMeeting({ tlp: 'AMBER', recipients: [{ organisationId: orgs.a }] });
    const open = await upload(as.analyst, m.id, { kind: 'slides', title: 'x', tlp: 'GREEN' }, { name: 's.pdf', content: Buffer.from('%PDF-1.7') });
    expect(open.statusCode).toBe(400);
    expect(open.json()).toMatchObject({ error: { code: 'material_tlp_too_open' } });
    const outsider = await upload(
      as.analyst,
      m.id,
      { kind: 'slides', title: 'x', tlp: 'RED', recipients: orgs.b },
      { name: 's.pdf', content: Buffer.from('%PDF-1.7') },
    );
    expect(outsider.json()).toMatchObject({ error: { code: 'material_tlp_too_open' } });
    const html = await upload(
      as.analyst,
      m.id,
      { kind: 'minutes', title: 'x', tlp: 'AMBER' },
      { name: 'minutes.pdf', content: Buffer.from('<html><script>alert(1)</script></html>') },
    );
    expect(html.statusCode).toBe(415);
    expect((await upload(as.analyst, m.id, { kind: 'minutes', title: 'x', tlp: 'AMBER' }, null)).json()).toMatchObject({
      error: { code: 'material_file_missing' },
    });
    expect(
      (await upload(as.memberA, m.id, { kind: 'minutes', title: 'x', tlp: 'AMBER' }, { name: 's.pdf', content: Buffer.from('%PDF-1.7') })).statusCode,
    ).toBe(403);
  });
});

describe('bad input and reminders', () => {
  it('answers bad input with 4xx and a stable code', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await call(t, 'POST', '/api/v1/meetings', as.analyst, {
        title: 'x',
        startsAt: inHours(10),
        endsAt: inHours(11),
        place: 'Utrecht',
        tlp: 'GREEN',
        ...body,
      });
      expect(res.statusCode, res.body).toBe(400);
      return res.json<{ error: { code: string } }>().error.code;
    };
    expect(await bad({ onlineUrl: 'http://meet.test.example/x' })).toBe('validation_failed');
    expect(await bad({ onlineUrl: 'javascript:alert(1)' })).toBe('validation_failed');
    expect(await bad({ endsAt: inHours(9) })).toBe('validation_failed');
    expect(await bad({ tlp: 'AMBER' })).toBe('validation_failed');
    expect(await bad({ tlp: 'CLEAR' })).toBe('validation_failed');
    expect(await bad({ place: null })).toBe('validation_failed');
    expect(await bad({ tlp: 'AMBER', recipients: [{ organisationId: '00000000-0000-4000-8000-000000000000' }] })).toBe('recipient_unknown');
    expect(
      (await call(t, 'POST', '/api/v1/meetings', as.memberA, { title: 'x', startsAt: inHours(10), endsAt: inHours(11), place: 'U', tlp: 'GREEN' })).statusCode,
    ).toBe(403);
    expect((await call(t, 'GET', '/api/v1/meetings/not-a-uuid', as.memberA)).statusCode).toBe(400);
    const m = await newMeeting({ rsvpDeadline: inHours(-1), startsAt: inHours(5), endsAt: inHours(6) });
    expect((await rsvp(as.memberA, m.id, 'going')).json()).toMatchObject({ error: { code: 'rsvp_closed' } });
    expect((await call(t, 'PUT', `/api/v1/meetings/${m.id}/rsvp`, as.memberA, { response: 'maybe' })).statusCode).toBe(400);
  });

  it('reminds seat holders once, the day before, even when the job runs again', async () => {
    const m = await newMeeting({ startsAt: inHours(20), endsAt: inHours(22) });
    await rsvp(as.memberB, m.id, 'going');
    const soon = new Date();
    const first = await sendReminders(t.system, soon);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(await sendReminders(t.system, soon)).toBe(0);
    const rows = await t.system.db.selectFrom('outbox').select('dedupe_key').where('dedupe_key', 'like', `meeting:${m.id}:%:reminder:%`).execute();
    expect(rows).toHaveLength(1);
    const mail = (await deliveredTo(u.memberB.email)).find((x) => x.parsed.subject?.includes('Herinnering') && x.parsed.text?.includes(m.id));
    expect(prop(calendarOf(mail!), 'METHOD')?.value).toBe('REQUEST');
  });
});
