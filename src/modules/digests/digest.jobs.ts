import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { runDigestTick } from './digest-send.service.ts';

/**
 * The digests' schedule. It ticks every five minutes and decides itself, in Europe/Amsterdam and
 * with the working-day calendar, whether a digest is due (cron alone cannot follow Dutch holidays
 * or Amsterdam's clock changes); sending is idempotent, so a tick in two processes sends once.
 */
export function digestJobs(services: Services): JobDefinition[] {
  return [
    {
      name: 'digests-tick',
      schedule: '*/5 * * * *',
      retryLimit: 0,
      run: async () => {
        const outcome = await runDigestTick(systemContext(services, 'digests-tick'));
        for (const s of outcome.sends) if (s.sent) services.log.info({ digestId: s.digestId, recipients: s.recipients }, 'digest sent');
      },
    },
  ];
}
