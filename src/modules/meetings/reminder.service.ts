import { inTransaction, type Ctx } from '#server/context.ts';
import { queueMeetingMail } from './meeting-mail.ts';
import * as repo from './meeting.repository.ts';

/** How long before the start attendees are reminded. */
export const REMINDER_LEAD_MS = 24 * 3600_000;

/**
 * Queues the day-before reminder for every seat holder of a meeting that starts within a day and
 * who was not reminded yet. Each reminder is its own transaction: claim the row, queue the mail
 * (dedupe key per meeting, person and sequence), so nothing is sent twice. Only people the meeting's
 * marking still reaches are mailed.
 */
export async function sendReminders(ctx: Ctx, now: Date): Promise<number> {
  let sent = 0;
  for (const due of await repo.dueReminders(ctx.db, now, new Date(now.getTime() + REMINDER_LEAD_MS))) {
    sent += await inTransaction(ctx, async (tx) => {
      if (!(await repo.claimReminder(tx.db, due.meeting_id, due.user_id))) return 0;
      const meeting = await repo.findMeeting(tx.db, due.meeting_id);
      if (!meeting || meeting.status !== 'planned') return 0;
      const recipients = await repo.recipientsOf(tx.db, repo.MEETING_OBJECT, meeting.id);
      const [user] = await repo.usersInAudience(tx.db, { tlp: meeting.tlp, ownerOrganisationId: meeting.owner_organisation_id, recipients }, [due.user_id]);
      if (!user) return 0;
      await queueMeetingMail(tx, meeting, 'reminder', user, { event: String(meeting.sequence) });
      return 1;
    });
  }
  return sent;
}
