import type { Ctx } from '#server/context.ts';
import { markdownToText } from '#lib/markdown.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import type { MailMessage } from '#modules/mail/mail.types.ts';
import { findOrganisation } from '#modules/organisations/organisation.repository.ts';
import { invitationIcs, type IcalContext, type IcalMeeting } from './meeting-ical.ts';
import type { MeetingRow } from './meeting.repository.ts';

/**
 * The mails of the meetings module, each one typed template in Dutch and English (the recipient's
 * language): confirmation with the invitation, waiting list, moved up, cancelled, reminder. Times
 * are shown in Europe/Amsterdam; the .ics carries UTC.
 */

export type MeetingMailKind = 'confirmed' | 'waiting' | 'promoted' | 'demoted' | 'withdrawn' | 'updated' | 'cancelled' | 'reminder';
type Lang = 'nl' | 'en';

export function formatWhen(d: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam', dateStyle: 'full', timeStyle: 'short' }).format(d);
}

const SUBJECTS: Record<MeetingMailKind, Record<Lang, string>> = {
  confirmed: { nl: 'Aanmelding bevestigd', en: 'Registration confirmed' },
  waiting: { nl: 'Op de wachtlijst', en: 'On the waiting list' },
  promoted: { nl: 'Er is een plaats voor u', en: 'A seat has become free for you' },
  demoted: { nl: 'Terug op de wachtlijst', en: 'Back on the waiting list' },
  withdrawn: { nl: 'Afmelding verwerkt', en: 'Cancellation received' },
  updated: { nl: 'Bijeenkomst gewijzigd', en: 'Meeting changed' },
  cancelled: { nl: 'Bijeenkomst gaat niet door', en: 'Meeting cancelled' },
  reminder: { nl: 'Herinnering: morgen', en: 'Reminder: tomorrow' },
};

const LINES: Record<MeetingMailKind, Record<Lang, (position: number | null) => string>> = {
  confirmed: {
    nl: () => 'U bent aangemeld. De uitnodiging voor uw agenda zit als bijlage bij deze mail.',
    en: () => 'You are registered. The invitation for your calendar is attached.',
  },
  waiting: {
    nl: (p) => `De bijeenkomst is vol. U staat op de wachtlijst${p ? ` (plaats ${p})` : ''}; komt er een plaats vrij, dan krijgt u bericht.`,
    en: (p) => `The meeting is full. You are on the waiting list${p ? ` (position ${p})` : ''}; we will tell you when a seat becomes free.`,
  },
  promoted: {
    nl: () => 'Er is een plaats vrijgekomen: u bent nu aangemeld. De uitnodiging zit als bijlage bij deze mail.',
    en: () => 'A seat became free: you are now registered. The invitation is attached.',
  },
  demoted: {
    nl: (p) => `Het aantal plaatsen is verkleind; u staat nu op de wachtlijst${p ? ` (plaats ${p})` : ''}.`,
    en: (p) => `The number of seats was reduced; you are now on the waiting list${p ? ` (position ${p})` : ''}.`,
  },
  withdrawn: { nl: () => 'U bent afgemeld.', en: () => 'You are no longer registered.' },
  updated: {
    nl: () => 'De bijeenkomst is gewijzigd. De bijgewerkte uitnodiging zit als bijlage bij deze mail.',
    en: () => 'The meeting has changed. The updated invitation is attached.',
  },
  cancelled: { nl: () => 'De bijeenkomst gaat niet door.', en: () => 'The meeting has been cancelled.' },
  reminder: { nl: () => 'Tot morgen! U bent aangemeld voor deze bijeenkomst.', en: () => 'See you tomorrow! You are registered for this meeting.' },
};

/** What kind of calendar attachment goes with a mail: the invitation, its withdrawal, or none. */
const ICS_METHOD: Record<MeetingMailKind, 'REQUEST' | 'CANCEL' | null> = {
  confirmed: 'REQUEST',
  promoted: 'REQUEST',
  updated: 'REQUEST',
  reminder: 'REQUEST',
  withdrawn: 'CANCEL',
  demoted: 'CANCEL',
  cancelled: 'CANCEL',
  waiting: null,
};

export function meetingUrl(ctx: Ctx, id: string): string {
  return `${ctx.services.config.publicUrl}/meetings/${id}`;
}

export async function icalContext(ctx: Ctx, ownerOrganisationId: string): Promise<IcalContext> {
  const from = ctx.services.config.mailFrom;
  const email = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const cert = await findOrganisation(ctx.db, ownerOrganisationId);
  return { host: new URL(ctx.services.config.publicUrl).hostname || 'wachtpost', organizer: { name: cert?.name ?? 'CERT', email } };
}

export function icalMeeting(ctx: Ctx, m: MeetingRow): IcalMeeting {
  return {
    id: m.id,
    title: m.title,
    description: markdownToText([m.description, m.agenda].filter(Boolean).join('\n\n')),
    startsAt: m.starts_at,
    endsAt: m.ends_at,
    place: m.place,
    onlineUrl: m.online_url,
    status: m.status,
    sequence: m.sequence,
    updatedAt: m.updated_at,
    url: meetingUrl(ctx, m.id),
  };
}

export function meetingMail(
  ctx: Ctx,
  ical: IcalContext,
  m: MeetingRow,
  kind: MeetingMailKind,
  to: { email: string; name: string; locale: string },
  position: number | null = null,
): Omit<MailMessage, 'messageId'> {
  const lang: Lang = to.locale === 'en' ? 'en' : 'nl';
  const where = [m.place, m.online_url].filter(Boolean).join(' / ');
  const text = [
    lang === 'nl' ? `Beste ${to.name},` : `Dear ${to.name},`,
    '',
    LINES[kind][lang](position),
    '',
    m.title,
    `${lang === 'nl' ? 'Wanneer' : 'When'}: ${formatWhen(m.starts_at, lang)} – ${formatWhen(m.ends_at, lang)} (Europe/Amsterdam)`,
    ...(where ? [`${lang === 'nl' ? 'Waar' : 'Where'}: ${where}`] : []),
    '',
    meetingUrl(ctx, m.id),
  ].join('\n');
  const method = ICS_METHOD[kind];
  return {
    to: to.email,
    subject: `${SUBJECTS[kind][lang]}: ${m.title}`,
    text,
    ...(method && {
      attachments: [
        {
          filename: method === 'REQUEST' ? 'invite.ics' : 'cancel.ics',
          contentType: `text/calendar; charset=utf-8; method=${method}`,
          content: invitationIcs(ical, icalMeeting(ctx, m), { email: to.email, name: to.name }, method),
        },
      ],
    }),
  };
}

/**
 * Queues one meeting mail in the caller's transaction. The key names the meeting, the person, the
 * kind and the meeting's SEQUENCE plus a per-event discriminator, so a retry never sends twice but
 * a new event (another promotion later) does.
 */
export async function queueMeetingMail(
  ctx: Ctx,
  m: MeetingRow,
  kind: MeetingMailKind,
  to: { id: string; email: string; name: string; locale: string },
  opts: { position?: number | null; event: string },
): Promise<void> {
  const ical = await icalContext(ctx, m.owner_organisation_id);
  await queueMail(ctx, `meeting:${m.id}:${to.id}:${kind}:${opts.event}`, meetingMail(ctx, ical, m, kind, to, opts.position ?? null));
}
