import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { sendDeadlineReminders } from './deadline.service.ts';

/**
 * Incident handling's scheduled work: deadline reminders. Every five minutes, so a 24-hour clock is
 * never more than five minutes late into its "due soon" window; the outbox keys keep each reminder
 * to one mail however often (or in how many processes at once) this runs.
 */
export function incidentJobs(services: Services): JobDefinition[] {
  return [
    {
      name: 'incident-deadlines',
      schedule: '*/5 * * * *',
      run: async () => {
        const r = await sendDeadlineReminders(systemContext(services, 'incident-deadlines'), new Date());
        if (r.due || r.failed) services.log.info(r, 'incident deadline reminders checked');
      },
    },
  ];
}
