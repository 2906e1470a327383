import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict, forbidden, notFound } from '#server/errors.ts';
import { authorize, canSeeMarked, reachOf } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { buildActor } from '#modules/identity/actor-builder.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import { loadMeeting } from './meeting-access.ts';
import { queueMeetingMail } from './meeting-mail.ts';
import * as repo from './meeting.repository.ts';
import type { RsvpInput } from './meeting.schema.ts';

/**
 * RSVPs and the waiting list. Who has a seat follows from one rule: of everyone who wants to come,
 * the first `capacity` in the order they asked (queued_at) are 'going', the rest 'waiting'.
 * `rebalance` re-applies the rule under the meeting's row lock after any change (an answer, a
 * capacity change), so two people asking for the last seat at once cannot both get it, and a seat
 * that frees up goes to the head of the waiting list.
 */

export interface SeatChanges {
  promoted: string[];
  demoted: string[];
}

/** Re-applies the seat rule; the caller holds the meeting's row lock. */
export async function rebalance(ctx: Ctx, meeting: repo.MeetingRow): Promise<SeatChanges> {
  const wanting = await repo.wantingInOrder(ctx.db, meeting.id);
  const seats = meeting.capacity ?? Number.POSITIVE_INFINITY;
  const promoted: string[] = [];
  const demoted: string[] = [];
  wanting.forEach((r, i) => {
    const should = i < seats ? 'going' : 'waiting';
    if (should === r.status) return;
    (should === 'going' ? promoted : demoted).push(r.user_id);
  });
  await repo.setRsvpStatus(ctx.db, meeting.id, promoted, 'going');
  await repo.setRsvpStatus(ctx.db, meeting.id, demoted, 'waiting');
  return { promoted, demoted };
}

/** Tells the people whose seat changed (except `skip`, who hears about their own answer). */
export async function mailSeatChanges(ctx: Ctx, meeting: repo.MeetingRow, changes: SeatChanges, skip: string | null = null): Promise<void> {
  const ids = [...changes.promoted, ...changes.demoted].filter((id) => id !== skip);
  if (!ids.length) return;
  const mine = (userId: string) => repo.myRsvps(ctx.db, userId, [meeting.id]).then((m) => m.get(meeting.id));
  const recipients = await repo.recipientsOf(ctx.db, repo.MEETING_OBJECT, meeting.id);
  const audience = await repo.usersInAudience(ctx.db, { tlp: meeting.tlp, ownerOrganisationId: meeting.owner_organisation_id, recipients }, ids);
  for (const u of audience) {
    const rsvp = await repo.findRsvp(ctx.db, meeting.id, u.id);
    if (!rsvp) continue;
    const kind = changes.promoted.includes(u.id) ? 'promoted' : 'demoted';
    await queueMeetingMail(ctx, meeting, kind, u, {
      event: `${rsvp.queued_at.getTime()}.${meeting.sequence}`,
      position: kind === 'demoted' ? ((await mine(u.id))?.waitingPosition ?? null) : null,
    });
  }
}

/** Whom the answer is for: oneself, a colleague (a participant admin), or anyone (the CERT). */
async function subjectOf(ctx: Ctx, userId: string | undefined) {
  const actor = ctx.actor!;
  if (!userId || userId === actor.userId) return { id: actor.userId, organisationId: actor.organisationId, actor };
  const user = await findUserWithOrgById(ctx.db, userId);
  if (!user || user.status !== 'active') throw notFound('user');
  const organiser = isCertRole(actor.role) && reachOf(actor, 'meetings:write') === 'any';
  if (!organiser) {
    // A participant admin answers for the users of its own organisation only; another's user does not exist for them.
    authorize(actor, 'meetings:rsvp', { organisationId: user.organisation_id, notFoundAs: 'user' });
    if (actor.role !== 'participant-admin' || user.organisation_id !== actor.organisationId)
      throw forbidden('Only a participant admin answers for a colleague.');
  }
  return { id: user.id, organisationId: user.organisation_id, actor: await buildActor(ctx.db, user, { sessionId: 'rsvp-on-behalf' }) };
}

/** Answers going or not going for oneself (or, see subjectOf, for someone else). */
export async function respond(ctx: Ctx, meetingId: string, input: RsvpInput) {
  authorize(ctx.actor, 'meetings:rsvp');
  return inTransaction(ctx, async (tx) => {
    const { meeting } = await loadMeeting(tx, meetingId, 'meetings:rsvp', { lock: true });
    const subject = await subjectOf(tx, input.userId);
    if (subject.id !== tx.actor!.userId) {
      const recipients = await repo.recipientsOf(tx.db, repo.MEETING_OBJECT, meeting.id);
      if (!canSeeMarked(subject.actor, { tlp: meeting.tlp, ownerOrganisationId: meeting.owner_organisation_id, recipients }))
        throw badRequest('rsvp_user_not_invited', 'That person is not invited to this meeting (its TLP marking does not reach them).', { field: 'userId' });
    }
    const now = new Date();
    if (meeting.status === 'cancelled') throw conflict('meeting_cancelled', 'This meeting has been cancelled.');
    if (meeting.starts_at <= now) throw conflict('meeting_started', 'This meeting has already started; answers are closed.');
    const before = await repo.findRsvp(tx.db, meeting.id, subject.id);
    const wants = input.response === 'going';
    if (wants && meeting.rsvp_deadline && meeting.rsvp_deadline < now) throw conflict('rsvp_closed', 'The RSVP deadline has passed.');
    // Saying "going" again keeps one's place; only a new wish joins the back of the queue.
    const already = before && before.status !== 'not_going';
    if (!before || wants !== Boolean(already))
      await repo.upsertRsvp(tx.db, { meetingId: meeting.id, userId: subject.id, organisationId: subject.organisationId, wants });
    const changes = await rebalance(tx, meeting);
    const mine = (await repo.myRsvps(tx.db, subject.id, [meeting.id])).get(meeting.id) ?? null;
    const after = await repo.findRsvp(tx.db, meeting.id, subject.id);
    await record(tx, {
      action: 'meeting.rsvp',
      targetType: 'meeting',
      targetId: meeting.id,
      details: { userId: subject.id, response: input.response, status: mine?.status ?? null },
    });
    const [user] = await repo.usersByIds(tx.db, [subject.id]);
    if (user && after && wants !== Boolean(already)) {
      const event = `${after.queued_at.getTime()}.${meeting.sequence}`;
      if (mine?.status === 'going') await queueMeetingMail(tx, meeting, 'confirmed', user, { event });
      else if (mine?.status === 'waiting') await queueMeetingMail(tx, meeting, 'waiting', user, { event, position: mine.waitingPosition });
      else if (before?.status === 'going')
        await queueMeetingMail(tx, meeting, 'withdrawn', user, { event: `${before.queued_at.getTime()}.${meeting.sequence}` });
    }
    await mailSeatChanges(tx, meeting, changes, subject.id);
    await publish(tx, { type: 'meeting.changed', organisationId: null, data: { id: meeting.id } });
    return mine;
  });
}
