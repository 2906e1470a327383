import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { sendReminders } from './reminder.service.ts';

/**
 * The meetings module's scheduled work: every quarter of an hour, the day-before reminders. A
 * reminder is claimed on its RSVP row (reminded_at) in the transaction that queues its mail, so a
 * rerun, a restart or a second scheduler sends none twice.
 */
export function meetingJobs(services: Services): JobDefinition[] {
  return [
    {
      name: 'meeting-reminders',
      schedule: '*/15 * * * *',
      run: async () => {
        const sent = await sendReminders(systemContext(services, 'meeting-reminders'), new Date());
        if (sent) services.log.info({ sent }, 'meeting reminders queued');
      },
    },
  ];
}
