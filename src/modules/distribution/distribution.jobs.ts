import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { sendReminders } from './alert-response.service.ts';

/** Distribution's scheduled work: reminders to organisations that have not answered an alert. */
export function distributionJobs(services: Services): JobDefinition[] {
  return [
    {
      name: 'alert-reminders',
      schedule: '* * * * *',
      run: async () => {
        const queued = await sendReminders(systemContext(services, 'alert-reminders'));
        if (queued) services.log.info({ queued }, 'alert reminders queued');
      },
    },
  ];
}
