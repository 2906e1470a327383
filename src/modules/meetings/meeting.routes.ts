import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import { attachmentDisposition } from '#server/content-disposition.ts';
import * as meetings from './meeting.service.ts';
import * as feed from './meeting-feed.service.ts';
import { respond } from './rsvp.service.ts';
import {
  AttendeesOut,
  FeedParams,
  FeedTokenOut,
  FeedTokenStatusOut,
  MeetingInput,
  MeetingListQuery,
  MeetingOut,
  MeetingPatch,
  MeetingSummaryOut,
  MyRsvpOut,
  RsvpInput,
} from './meeting.schema.ts';

const tags = ['meetings'];
const READ = { access: { auth: 'user', permission: 'meetings:read' } } as const;
const WRITE = { access: { auth: 'user', permission: 'meetings:write' } } as const;

/** Network meetings: list, detail, organise, RSVP, attendees, .ics and the personal feed. */
export function meetingRoutes(app: App): void {
  app.get(
    '/api/v1/meetings',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Meetings I may see, upcoming or past',
        querystring: MeetingListQuery,
        response: { 200: z.object({ items: z.array(MeetingSummaryOut) }) },
      },
    },
    async (req) => ({
      items: await meetings.listMeetings(req.ctx, req.query),
    }),
  );

  app.post(
    '/api/v1/meetings',
    { config: WRITE, schema: { tags, summary: 'Organise a meeting', body: MeetingInput, response: { 201: MeetingOut } } },
    async (req, reply) => reply.status(201).send(await meetings.createMeeting(req.ctx, req.body)),
  );

  app.get(
    '/api/v1/meetings/feed-token',
    { config: READ, schema: { tags, summary: 'Whether my calendar feed address exists', response: { 200: FeedTokenStatusOut } } },
    async (req) => feed.feedTokenStatus(req.ctx),
  );

  app.post(
    '/api/v1/meetings/feed-token',
    { config: READ, schema: { tags, summary: 'Create or replace my calendar feed address (the old one stops working)', response: { 200: FeedTokenOut } } },
    async (req) => feed.rotateFeedToken(req.ctx),
  );

  // Calendar clients cannot log in: the secret in the address is the credential (see meeting-feed.service.ts).
  app.get(
    '/api/v1/meetings/feed/:token',
    {
      config: { access: { auth: 'public', permission: 'none' } },
      schema: { tags, summary: 'My calendar feed (iCalendar), by its secret address', params: FeedParams },
    },
    async (req, reply) => {
      const body = await feed.feedFor(req.ctx, req.params.token);
      void reply.header('cache-control', 'private, no-store');
      void reply.header('x-content-type-options', 'nosniff');
      return reply.type('text/calendar; charset=utf-8').send(body);
    },
  );

  app.get('/api/v1/meetings/:id', { config: READ, schema: { tags, summary: 'One meeting', params: IdParams, response: { 200: MeetingOut } } }, async (req) =>
    meetings.getMeeting(req.ctx, req.params.id),
  );

  app.patch(
    '/api/v1/meetings/:id',
    {
      config: WRITE,
      schema: { tags, summary: 'Change a meeting (attendees get the update)', params: IdParams, body: MeetingPatch, response: { 200: MeetingOut } },
    },
    async (req) => meetings.updateMeeting(req.ctx, req.params.id, req.body),
  );

  app.post(
    '/api/v1/meetings/:id/cancel',
    { config: WRITE, schema: { tags, summary: 'Cancel a meeting (attendees get a cancellation)', params: IdParams, response: { 200: MeetingOut } } },
    async (req) => meetings.cancelMeeting(req.ctx, req.params.id),
  );

  app.put(
    '/api/v1/meetings/:id/rsvp',
    {
      config: { access: { auth: 'user', permission: 'meetings:rsvp' } },
      schema: {
        tags,
        summary: 'Answer going or not going (a full meeting puts you on the waiting list)',
        params: IdParams,
        body: RsvpInput,
        response: { 200: z.object({ rsvp: MyRsvpOut }) },
      },
    },
    async (req) => ({ rsvp: await respond(req.ctx, req.params.id, req.body) }),
  );

  app.get(
    '/api/v1/meetings/:id/attendees',
    { config: WRITE, schema: { tags, summary: 'Attendees and the waiting list', params: IdParams, response: { 200: AttendeesOut } } },
    async (req) => ({
      items: await meetings.listAttendees(req.ctx, req.params.id),
    }),
  );

  app.get('/api/v1/meetings/:id/ics', { config: READ, schema: { tags, summary: 'The meeting as an iCalendar file', params: IdParams } }, async (req, reply) => {
    const { ics } = await meetings.meetingIcs(req.ctx, req.params.id);
    void reply.header('content-disposition', attachmentDisposition('meeting.ics'));
    void reply.header('x-content-type-options', 'nosniff');
    return reply.type('text/calendar; charset=utf-8').send(ics);
  });
}
