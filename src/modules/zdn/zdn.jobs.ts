import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { sweepExpired } from './ingest.service.ts';

/** The detection network's scheduled work: indicators whose lifetime ended leave the feeds, and the streams hear it. */
export function zdnJobs(services: Services): JobDefinition[] {
  return [
    {
      name: 'zdn-expiry',
      schedule: '* * * * *',
      run: async () => {
        const expired = await sweepExpired(systemContext(services, 'zdn-expiry'));
        if (expired) services.log.info({ expired }, 'detection-network indicators expired');
      },
    },
  ];
}
