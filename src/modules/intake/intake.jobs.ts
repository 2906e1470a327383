import { systemContext, type Services } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { runDueSources } from './source.service.ts';

/** Intake's scheduled work: every minute, the sources whose interval has passed are read. */
export function intakeJobs(services: Services): JobDefinition[] {
  return [
    {
      name: 'intake-sources',
      schedule: '* * * * *',
      retryLimit: 0,
      run: async () => {
        for (const r of await runDueSources(systemContext(services, 'intake-sources')))
          services.log[r.ok ? 'info' : 'warn']({ source: r.sourceId, new: r.newItems, updated: r.updatedItems, error: r.error }, 'intake source read');
      },
    },
  ];
}
