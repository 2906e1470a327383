import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { runDaily } from './daily.service.ts';
import { recheckResolved } from './dnsbl.service.ts';
import { recheckResolvedChecks } from './feed.service.ts';
import { scanInbox } from './inbox.service.ts';

/**
 * Monitoring's scheduled work. The daily run ticks every five minutes and acts once per working day
 * after the configured time (cron alone cannot follow Dutch holidays or Amsterdam's clock changes).
 */
export function monitoringJobs(services: Services): JobDefinition[] {
  const jobs: JobDefinition[] = [
    {
      name: 'monitoring-daily',
      schedule: '*/5 * * * *',
      retryLimit: 0,
      run: async () => {
        const outcome = await runDaily(systemContext(services, 'monitoring-daily'));
        if (outcome.ran) services.log.info({ day: outcome.day, mail: outcome.mail, zones: outcome.dnsbl.length, feeds: outcome.feeds.length }, 'monitoring daily run done');
      },
    },
    {
      name: 'monitoring-recheck',
      schedule: '*/10 * * * *',
      run: async () => {
        const ctx = systemContext(services, 'monitoring-recheck');
        const n = (await recheckResolved(ctx)) + (await recheckResolvedChecks(ctx));
        if (n) services.log.info({ rechecked: n }, 'monitoring re-checks done');
      },
    },
  ];
  const inbox = services.config.monitoring.inboxDir;
  if (inbox) {
    jobs.push({
      name: 'monitoring-inbox',
      schedule: '* * * * *',
      run: async () => {
        for (const r of await scanInbox(systemContext(services, 'monitoring-inbox'), inbox))
          services.log[r.ok ? 'info' : 'warn']({ file: r.file, detail: r.detail }, 'monitoring inbox file');
      },
    });
  }
  return jobs;
}
