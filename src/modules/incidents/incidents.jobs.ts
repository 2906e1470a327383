import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { JobDefinition } from '#modules/jobs/jobs.ts';
import { sendDeadlineReminders } from './deadline.service.ts';
import { sweepAbandonedUploads } from './evidence-store.ts';

/** An upload untouched this long is abandoned (a large one that is still running keeps writing, so its file stays fresh). */
const ABANDONED_UPLOAD_MS = 24 * 3600_000;

/**
 * Incident handling's scheduled work: deadline reminders, and the sweep of abandoned upload files. Every five minutes, so a 24-hour clock is
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
    {
      name: 'evidence-temp-sweep',
      schedule: '17 * * * *',
      run: async () => {
        const removed = await sweepAbandonedUploads(services.config.incidents.evidenceDir, ABANDONED_UPLOAD_MS);
        if (removed) services.log.info({ removed }, 'removed the temporary files of abandoned uploads');
      },
    },
  ];
}
