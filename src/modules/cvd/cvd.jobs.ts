import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { sendCvdReminders } from './deadline.service.ts';
import { sweepFormTickets } from './form-guard.ts';

/**
 * CVD's scheduled work: deadline reminders every fifteen minutes (the clocks count in working days,
 * so a quarter of an hour late is nothing), and an hourly sweep of spent form tickets older than
 * the longest a ticket is valid (form-guard.ts knows how long that is).
 */
export function cvdJobs(services: Services): JobDefinition[] {
  return [
    {
      name: 'cvd-deadlines',
      schedule: '*/15 * * * *',
      run: async () => {
        const r = await sendCvdReminders(systemContext(services, 'cvd-deadlines'), new Date());
        if (r.sent) services.log.info(r, 'CVD deadline reminders sent');
      },
    },
    {
      name: 'cvd-form-tickets',
      schedule: '7 * * * *',
      run: async () => {
        await sweepFormTickets(systemContext(services, 'cvd-form-tickets'));
      },
    },
  ];
}
