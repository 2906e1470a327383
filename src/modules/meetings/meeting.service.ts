import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import { markdownToText } from '#lib/markdown.ts';
import type { SearchHit } from '#modules/search/search.types.ts';
import { canManage, loadMeeting } from './meeting-access.ts';
import { downloadIcs as buildDownloadIcs } from './meeting-ical.ts';
import { icalContext, icalMeeting, queueMeetingMail } from './meeting-mail.ts';
import { presentAttendees, presentMeeting, presentSummary } from './meeting.presenter.ts';
import * as repo from './meeting.repository.ts';
import type { MeetingInput, MeetingPatch } from './meeting.schema.ts';
import { mailSeatChanges, rebalance } from './rsvp.service.ts';

/** Meetings: list, read, organise (create, change, cancel), the attendee list, the .ics download, search. */

const auditedRead = (tlp: string) => tlp !== 'GREEN';

export async function listMeetings(ctx: Ctx, q: { when: 'upcoming' | 'past'; q?: string | undefined; limit: number }) {
  authorize(ctx.actor, 'meetings:read');
  const rows = await repo.listVisible(ctx.db, ctx.actor, { ...q, now: new Date() });
  const ids = rows.map((r) => r.id);
  const counts = await repo.rsvpCounts(ctx.db, ids);
  const mine = await repo.myRsvps(ctx.db, ctx.actor.userId, ids);
  return rows.map((r) => presentSummary(r, counts.get(r.id), mine.get(r.id) ?? null));
}

export async function getMeeting(ctx: Ctx, id: string) {
  const { meeting, actor } = await loadMeeting(ctx, id, 'meetings:read');
  if (auditedRead(meeting.tlp)) await record(ctx, { action: 'meeting.read', targetType: 'meeting', targetId: id, details: { tlp: meeting.tlp } });
  return detail(ctx, meeting, canManage(actor));
}

async function detail(ctx: Ctx, meeting: repo.MeetingRow, manage: boolean) {
  const counts = await repo.rsvpCounts(ctx.db, [meeting.id]);
  const mine = await repo.myRsvps(ctx.db, ctx.actor!.userId, [meeting.id]);
  const materials = await repo.visibleMaterials(ctx.db, ctx.actor, meeting.id);
  const recipients = manage ? (await repo.recipientsOf(ctx.db, repo.MEETING_OBJECT, meeting.id)).map((r) => ({ organisationId: r.organisationId })) : null;
  return presentMeeting(meeting, counts.get(meeting.id), mine.get(meeting.id) ?? null, { materials, recipients, canManage: manage, now: new Date() });
}

async function checkRecipients(ctx: Ctx, organisationIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(organisationIds)];
  const found = await orgRepo.findOrganisationIds(ctx.db, unique);
  const missing = unique.filter((id) => !found.includes(id));
  if (missing.length) throw badRequest('recipient_unknown', `Recipient organisation ${missing[0]} does not exist.`, { field: 'recipients' });
  return unique;
}

export async function createMeeting(ctx: Ctx, input: MeetingInput) {
  authorize(ctx.actor, 'meetings:write');
  const recipients =
    input.tlp === 'GREEN'
      ? []
      : await checkRecipients(
          ctx,
          input.recipients.map((r) => r.organisationId),
        );
  return inTransaction(ctx, async (tx) => {
    const id = await repo.insertMeeting(tx.db, {
      owner: tx.actor!.organisationId,
      title: input.title,
      description: input.description,
      agenda: input.agenda,
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      place: input.place,
      onlineUrl: input.onlineUrl,
      capacity: input.capacity,
      rsvpDeadline: input.rsvpDeadline ? new Date(input.rsvpDeadline) : null,
      language: input.language,
      tlp: input.tlp,
      createdBy: tx.actor!.userId,
    });
    await repo.setRecipients(tx.db, repo.MEETING_OBJECT, id, recipients);
    await record(tx, { action: 'meeting.create', targetType: 'meeting', targetId: id, details: { tlp: input.tlp, recipients: recipients.length } });
    await publish(tx, { type: 'meeting.changed', organisationId: null, data: { id } });
    const { meeting } = await loadMeeting(tx, id, 'meetings:write');
    return detail(tx, meeting, true);
  });
}

/**
 * Changes a meeting. SEQUENCE goes up, so calendars replace the event; seat holders get the updated
 * invitation; a new capacity promotes or demotes; people the new marking no longer reaches lose
 * their answer (they could not open the meeting any more).
 */
export async function updateMeeting(ctx: Ctx, id: string, patch: MeetingPatch) {
  return inTransaction(ctx, async (tx) => {
    const { meeting: before } = await loadMeeting(tx, id, 'meetings:write', { lock: true });
    if (before.status === 'cancelled') throw badRequest('meeting_cancelled', 'A cancelled meeting cannot be changed.');
    const startsAt = patch.startsAt ? new Date(patch.startsAt) : before.starts_at;
    const endsAt = patch.endsAt ? new Date(patch.endsAt) : before.ends_at;
    const deadline = patch.rsvpDeadline !== undefined ? (patch.rsvpDeadline ? new Date(patch.rsvpDeadline) : null) : before.rsvp_deadline;
    if (endsAt <= startsAt) throw badRequest('validation_failed', 'The meeting must end after it starts.', { field: 'endsAt' });
    if (deadline && deadline > startsAt) throw badRequest('validation_failed', 'The RSVP deadline must not be after the start.', { field: 'rsvpDeadline' });
    const place = patch.place !== undefined ? patch.place : before.place;
    const onlineUrl = patch.onlineUrl !== undefined ? patch.onlineUrl : before.online_url;
    if (!place && !onlineUrl) throw badRequest('validation_failed', 'Give a place, an online link, or both.', { field: 'place' });
    const tlp = patch.tlp ?? before.tlp;
    if (tlp !== 'GREEN') {
      const current = await repo.recipientsOf(tx.db, repo.MEETING_OBJECT, id);
      const next = patch.recipients
        ? await checkRecipients(
            tx,
            patch.recipients.map((r) => r.organisationId),
          )
        : current.map((r) => r.organisationId);
      if (!next.length)
        throw badRequest('validation_failed', 'TLP:AMBER, AMBER+STRICT and RED meetings name the organisations that are invited.', { field: 'recipients' });
      await repo.setRecipients(tx.db, repo.MEETING_OBJECT, id, next);
    } else await repo.setRecipients(tx.db, repo.MEETING_OBJECT, id, []);
    await repo.updateMeeting(tx.db, id, {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.agenda !== undefined && { agenda: patch.agenda }),
      starts_at: startsAt,
      ends_at: endsAt,
      place,
      online_url: onlineUrl,
      ...(patch.capacity !== undefined && { capacity: patch.capacity }),
      rsvp_deadline: deadline,
      ...(patch.language !== undefined && { language: patch.language }),
      tlp,
    });
    const meeting = (await repo.lockMeeting(tx.db, id))!;
    // Answers of people the marking no longer reaches are withdrawn before the seats are recounted.
    const answered = await repo.attendees(tx.db, id, ['going', 'waiting']);
    const recipients = await repo.recipientsOf(tx.db, repo.MEETING_OBJECT, id);
    const reached = new Set(
      (
        await repo.usersInAudience(
          tx.db,
          { tlp, ownerOrganisationId: meeting.owner_organisation_id, recipients },
          answered.map((a) => a.user_id),
        )
      ).map((u) => u.id),
    );
    await repo.setRsvpStatus(
      tx.db,
      id,
      answered.filter((a) => !reached.has(a.user_id)).map((a) => a.user_id),
      'not_going',
    );
    const changes = await rebalance(tx, meeting);
    await mailSeatChanges(tx, meeting, changes);
    const timesChanged =
      startsAt.getTime() !== before.starts_at.getTime() ||
      endsAt.getTime() !== before.ends_at.getTime() ||
      place !== before.place ||
      onlineUrl !== before.online_url ||
      patch.title !== undefined;
    if (timesChanged) {
      for (const a of await repo.attendees(tx.db, id, ['going'])) {
        if (changes.promoted.includes(a.user_id) || !reached.has(a.user_id)) continue;
        await queueMeetingMail(tx, meeting, 'updated', { id: a.user_id, email: a.email, name: a.name, locale: a.locale }, { event: String(meeting.sequence) });
      }
    }
    await record(tx, { action: 'meeting.update', targetType: 'meeting', targetId: id, details: { fields: Object.keys(patch), sequence: meeting.sequence } });
    await publish(tx, { type: 'meeting.changed', organisationId: null, data: { id } });
    return detail(tx, meeting, true);
  });
}

/** Cancels a meeting: everyone with a seat or on the waiting list gets a METHOD:CANCEL. */
export async function cancelMeeting(ctx: Ctx, id: string) {
  return inTransaction(ctx, async (tx) => {
    const { meeting: before } = await loadMeeting(tx, id, 'meetings:write', { lock: true });
    if (before.status === 'cancelled') throw badRequest('meeting_cancelled', 'This meeting has already been cancelled.');
    await repo.updateMeeting(tx.db, id, { status: 'cancelled' });
    const meeting = (await repo.findMeeting(tx.db, id))!;
    const recipients = await repo.recipientsOf(tx.db, repo.MEETING_OBJECT, id);
    const people = await repo.attendees(tx.db, id, ['going', 'waiting']);
    for (const u of await repo.usersInAudience(
      tx.db,
      { tlp: meeting.tlp, ownerOrganisationId: meeting.owner_organisation_id, recipients },
      people.map((p) => p.user_id),
    )) {
      await queueMeetingMail(tx, meeting, 'cancelled', u, { event: String(meeting.sequence) });
    }
    await record(tx, { action: 'meeting.cancel', targetType: 'meeting', targetId: id, details: { notified: people.length } });
    await publish(tx, { type: 'meeting.changed', organisationId: null, data: { id } });
    return detail(tx, meeting, true);
  });
}

export async function listAttendees(ctx: Ctx, id: string) {
  const { meeting } = await loadMeeting(ctx, id, 'meetings:write');
  return presentAttendees(await repo.attendees(ctx.db, meeting.id));
}

/** "Add to calendar": the meeting as a .ics (METHOD:PUBLISH), through the same access check. */
export async function meetingIcs(ctx: Ctx, id: string) {
  const { meeting } = await loadMeeting(ctx, id, 'meetings:read');
  if (auditedRead(meeting.tlp)) await record(ctx, { action: 'meeting.ics', targetType: 'meeting', targetId: id, details: { tlp: meeting.tlp } });
  return { ics: buildDownloadIcs(await icalContext(ctx, meeting.owner_organisation_id), icalMeeting(ctx, meeting)), title: meeting.title };
}

/** Portal-wide search: meetings the reader may see whose title, description or agenda match. */
export async function searchMeetings(ctx: Ctx, query: string, limit: number): Promise<SearchHit[]> {
  authorize(ctx.actor, 'meetings:read');
  const needle = query.trim();
  if (!needle) return [];
  const [upcoming, past] = await Promise.all([
    repo.listVisible(ctx.db, ctx.actor, { when: 'upcoming', q: needle, limit, now: new Date() }),
    repo.listVisible(ctx.db, ctx.actor, { when: 'past', q: needle, limit, now: new Date() }),
  ]);
  return [...upcoming, ...past].slice(0, limit).map((m) => ({
    kind: 'meeting' as const,
    id: m.id,
    title: m.title,
    snippet: snippet(markdownToText([m.description, m.agenda].join('\n\n')), needle),
    url: `/meetings/${m.id}`,
    updatedAt: m.updated_at.toISOString(),
  }));
}

function snippet(text: string, needle: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const at = flat.toLowerCase().indexOf(needle.toLowerCase());
  const start = Math.max(0, at - 60);
  return (start > 0 ? '…' : '') + flat.slice(start, start + 200) + (flat.length > start + 200 ? '…' : '');
}
