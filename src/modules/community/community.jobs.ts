import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { sendDigests } from './community-notify.service.ts';

/** The community's scheduled work: the daily digest at 06:00 UTC (before the working day in NL). */
export function communityJobs(services: Services): JobDefinition[] {
  return [
    {
      name: 'community-digest',
      schedule: '0 6 * * *',
      run: async () => {
        const r = await sendDigests(systemContext(services, 'community-digest'), new Date());
        if (r.sent) services.log.info(r, 'community digests queued');
      },
    },
  ];
}
