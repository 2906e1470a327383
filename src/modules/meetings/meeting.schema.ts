import { z } from 'zod';
import { MATERIAL_KINDS, MEETING_STATUSES, MEETING_TLPS, RSVP_STATUSES } from '#db/schema-meetings.ts';
import { Recipient } from '#modules/documents/document.schema.ts';
import { TLP_LEVELS } from '#lib/tlp.ts';

/** Request and response shapes of the meetings API (zod at the boundary). */

const httpsUrl = z.url({ protocol: /^https$/, error: 'The online link must be an https:// address.' }).max(2000);

const when = z.iso.datetime({ offset: true, error: 'A date and time in ISO 8601 with a time zone, e.g. 2026-12-03T14:00:00+01:00.' });

const meetingFields = {
  title: z.string().trim().min(1).max(300),
  description: z.string().max(20_000),
  agenda: z.string().max(20_000),
  startsAt: when,
  endsAt: when,
  place: z.string().trim().min(1).max(500).nullable(),
  onlineUrl: httpsUrl.nullable(),
  capacity: z.number().int().min(1).max(100_000).nullable(),
  rsvpDeadline: when.nullable(),
  language: z.enum(['nl', 'en']),
  tlp: z.enum(MEETING_TLPS, { error: 'A meeting is GREEN (the community) or AMBER, AMBER+STRICT or RED (named organisations).' }),
  recipients: z.array(Recipient.extend({ userId: z.null().optional() })).max(500),
};

type Timing = {
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  rsvpDeadline?: string | null | undefined;
  place?: string | null | undefined;
  onlineUrl?: string | null | undefined;
};

/** Start before end, a deadline not after the start, and somewhere to be (a place, a link, or both). */
function timingRules(ctx: z.core.ParsePayload<Timing>, creating: boolean): void {
  const d = ctx.value;
  if (d.startsAt && d.endsAt && Date.parse(d.endsAt) <= Date.parse(d.startsAt))
    ctx.issues.push({ code: 'custom', message: 'The meeting must end after it starts.', path: ['endsAt'], input: d.endsAt });
  if (d.startsAt && d.rsvpDeadline && Date.parse(d.rsvpDeadline) > Date.parse(d.startsAt))
    ctx.issues.push({ code: 'custom', message: 'The RSVP deadline must not be after the start.', path: ['rsvpDeadline'], input: d.rsvpDeadline });
  if (creating && !d.place && !d.onlineUrl)
    ctx.issues.push({ code: 'custom', message: 'Give a place, an online link, or both.', path: ['place'], input: d.place });
}

function recipientRule(ctx: z.core.ParsePayload<{ tlp?: string | undefined; recipients?: unknown[] | undefined }>): void {
  const d = ctx.value;
  if (d.tlp && d.tlp !== 'GREEN' && d.recipients !== undefined && d.recipients.length === 0)
    ctx.issues.push({
      code: 'custom',
      message: 'TLP:AMBER, AMBER+STRICT and RED meetings name the organisations that are invited.',
      path: ['recipients'],
      input: d.recipients,
    });
}

export const MeetingInput = z
  .object({
    ...meetingFields,
    description: meetingFields.description.default(''),
    agenda: meetingFields.agenda.default(''),
    place: meetingFields.place.default(null),
    onlineUrl: meetingFields.onlineUrl.default(null),
    capacity: meetingFields.capacity.default(null),
    rsvpDeadline: meetingFields.rsvpDeadline.default(null),
    language: meetingFields.language.default('nl'),
    recipients: meetingFields.recipients.default([]),
  })
  .strict()
  .check((ctx) => {
    timingRules(ctx, true);
    recipientRule(ctx);
  });
export type MeetingInput = z.infer<typeof MeetingInput>;

export const MeetingPatch = z
  .object(
    Object.fromEntries(Object.entries(meetingFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof meetingFields]: z.ZodOptional<(typeof meetingFields)[K]>;
    },
  )
  .strict()
  .check((ctx) => {
    timingRules(ctx, false);
    recipientRule(ctx);
  });
export type MeetingPatch = z.infer<typeof MeetingPatch>;

export const RsvpInput = z
  .object({
    response: z.enum(['going', 'not_going']),
    /** Someone else of the actor's organisation (a participant admin) or anyone (the CERT); default: oneself. */
    userId: z.uuid().optional(),
  })
  .strict();
export type RsvpInput = z.infer<typeof RsvpInput>;

export const MeetingListQuery = z
  .object({
    when: z.enum(['upcoming', 'past']).default('upcoming'),
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const MaterialParams = z.object({ id: z.uuid('This is not a valid id.'), materialId: z.uuid('This is not a valid id.') }).strict();
export const FeedParams = z.object({ token: z.string().min(10).max(200) }).strict();

export const MaterialOut = z.object({
  id: z.uuid(),
  kind: z.enum(MATERIAL_KINDS),
  title: z.string(),
  tlp: z.enum(TLP_LEVELS),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  createdAt: z.string(),
});

export const MyRsvpOut = z.object({ status: z.enum(RSVP_STATUSES), waitingPosition: z.number().nullable() }).nullable();

export const MeetingSummaryOut = z.object({
  id: z.uuid(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  online: z.boolean(),
  tlp: z.enum(TLP_LEVELS),
  status: z.enum(MEETING_STATUSES),
  language: z.enum(['nl', 'en']),
  capacity: z.number().nullable(),
  seatsLeft: z.number().nullable(),
  going: z.number(),
  waiting: z.number(),
  myRsvp: MyRsvpOut,
});
export type MeetingSummaryOut = z.infer<typeof MeetingSummaryOut>;

export const MeetingOut = MeetingSummaryOut.extend({
  description: z.string(),
  descriptionHtml: z.string(),
  agenda: z.string(),
  agendaHtml: z.string(),
  onlineUrl: z.string().nullable(),
  rsvpDeadline: z.string().nullable(),
  rsvpOpen: z.boolean(),
  sequence: z.number(),
  /** Only for the organiser (meetings:write): who is invited under AMBER and up. */
  recipients: z.array(z.object({ organisationId: z.uuid() })).nullable(),
  materials: z.array(MaterialOut),
  canManage: z.boolean(),
});
export type MeetingOut = z.infer<typeof MeetingOut>;

export const AttendeeOut = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  organisationId: z.uuid(),
  organisationName: z.string(),
  status: z.enum(RSVP_STATUSES),
  waitingPosition: z.number().nullable(),
  respondedAt: z.string(),
});
export const AttendeesOut = z.object({ items: z.array(AttendeeOut) });

export const FeedTokenStatusOut = z.object({ active: z.boolean(), createdAt: z.string().nullable() });
export const FeedTokenOut = z.object({ url: z.string(), createdAt: z.string() });
