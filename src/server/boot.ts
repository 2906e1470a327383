import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { openDatabase, type Database } from '#db/database.ts';
import { migrate } from '#db/migrate.ts';
import { startJobs, type JobRunner } from '#modules/jobs/jobs.ts';
import { createMailer, type Mailer } from '#modules/mail/mailer.ts';
import { OUTBOX_CHANNEL, drainOutbox } from '#modules/mail/outbox.service.ts';
import { createDispatchHandler } from '#modules/distribution/dispatch.ts';
import { intakeJobs } from '#modules/intake/intake.jobs.ts';
import { startIntakeMailbox } from '#modules/intake/intake-mail.ts';
import { createWebhookHandler } from '#modules/distribution/webhook-sender.ts';
import { createDigestHandler } from '#modules/digests/digest-dispatch.ts';
import { digestJobs } from '#modules/digests/digest.jobs.ts';
import { distributionJobs } from '#modules/distribution/distribution.jobs.ts';
import { RealtimeHub } from '#modules/realtime/realtime.hub.ts';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { systemContext, type Services } from './context.ts';
import type { App } from './http-types.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { zdnJobs } from '#modules/zdn/zdn.jobs.ts';
import { monitoringJobs } from '#modules/monitoring/monitoring.jobs.ts';
import { incidentJobs } from '#modules/incidents/incidents.jobs.ts';
import { cvdJobs } from '#modules/cvd/cvd.jobs.ts';
import { startIncidentIntake, type IncidentIntake } from '#modules/incidents/intake-smtp.ts';
import { startCvdIntake, type CvdIntake } from '#modules/cvd/intake-mail.ts';
import { startBounceIntake } from '#modules/distribution/bounce.service.ts';
import { communityJobs } from '#modules/community/community.jobs.ts';
import { meetingJobs } from '#modules/meetings/meeting.jobs.ts';
import { startRequestIntake } from '#modules/requests/request-intake.ts';
import { startMonitoringIntake } from '#modules/monitoring/intake-mail.ts';
import { rawAwareMailHandler } from '#modules/mail/signed-mail.ts';
import type { SmtpIntake } from '#modules/mail/smtp-intake.ts';

export type ProcessRole = 'web' | 'worker' | 'scheduler';

/** Opens the database (embedded or server) and runs migrations. */
export async function openServices(config: Config, log: Logger, options: { lock?: boolean; migrate?: boolean } = {}): Promise<{ services: Services; lock: DataDirLock | null }> {
  let lock: DataDirLock | null = null;
  if (!config.databaseUrl) {
    mkdirSync(config.dataDir, { recursive: true });
    if (options.lock !== false) lock = acquireDataDirLock(config.dataDir, { port: config.port });
  }
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : `${config.dataDir}/pg` });
  } catch (err) {
    lock?.release();
    throw err;
  }
  // `wachtpost migrate` applies (and reports) the migrations itself.
  const ran = options.migrate === false ? [] : await migrate(database);
  if (ran.length) log.info({ migrations: ran }, `applied ${ran.length} migration(s)`);
  return { services: { config, database, log }, lock };
}

export interface RunningProcess {
  app: App | null;
  services: Services;
  url: string | null;
  stop(): Promise<void>;
}

/** Starts the roles of one `wachtpost serve` process. */
export async function startProcess(services: Services, roles: ReadonlySet<ProcessRole>, lock: DataDirLock | null): Promise<RunningProcess> {
  const { config, database, log } = services;
  const mailer: Mailer = createMailer(config.smtpUrl, config.mailFrom, log, { maxConnections: Math.min(config.mailConcurrency, 8) });
  const ctx = systemContext(services, 'outbox');
  // Signed single mails (request answers, alert reminders) go out as built (raw); every other mail row as before.
  const handlers = { mail: rawAwareMailHandler(mailer), dispatch: createDispatchHandler(mailer), webhook: createWebhookHandler(), digest: createDigestHandler(mailer) };
  let draining: Promise<unknown> = Promise.resolve();
  // One drain at a time per process; a notify during a drain queues one more pass.
  const drain = () => {
    draining = draining.then(() => drainOutbox(ctx, handlers, { concurrency: config.mailConcurrency, leaseSeconds: config.outboxLeaseSeconds })).catch((err: unknown) => log.error({ err }, 'outbox delivery failed'));
    return draining;
  };

  let jobs: JobRunner | null = null;
  const unlisten: (() => Promise<void>)[] = [];
  if (roles.has('worker') || roles.has('scheduler')) {
    jobs = await startJobs(
      database,
      [{ name: 'outbox-sweep', schedule: '* * * * *', run: async () => void (await drain()) }, ...distributionJobs(services), ...zdnJobs(services), ...monitoringJobs(services), ...incidentJobs(services), ...cvdJobs(services), ...communityJobs(services), ...meetingJobs(services), ...digestJobs(services), ...intakeJobs(services)],
      { worker: roles.has('worker'), scheduler: roles.has('scheduler') },
      log,
    );
  }
  if (roles.has('worker')) {
    unlisten.push(await database.listen(OUTBOX_CHANNEL, () => void drain()));
    void drain();
  }
  // Reports by mail (INCIDENT_INTAKE_SMTP_PORT): unset by default, as only one process can hold the port.
  const intake: IncidentIntake | null = roles.has('worker') && config.incidents.intakeSmtpPort !== undefined ? await startIncidentIntake(services) : null;
  // Vulnerability reports by mail (CVD_INTAKE_SMTP_PORT), likewise.
  const cvdIntake: CvdIntake | null = roles.has('worker') && config.cvd.intakeSmtpPort !== undefined ? await startCvdIntake(services) : null;
  // Questions by mail to the request address (REQUESTS_INTAKE_SMTP_PORT), likewise.
  const requestIntake: SmtpIntake | null = roles.has('worker') && config.requests.intakeSmtpPort !== undefined ? await startRequestIntake(services) : null;
  // Monitoring reports (Shadowserver CSV attachments) by mail (MONITORING_INTAKE_SMTP_PORT), likewise.
  const monitoringIntake: SmtpIntake | null =
    roles.has('worker') && config.monitoring.intakeSmtpPort !== undefined ? await startMonitoringIntake(services) : null;

  // The intake mailbox for mailing lists and partners' mail (INTAKE_SMTP_PORT), likewise.
  const intakeMailbox: SmtpIntake | null = roles.has('worker') && config.intake.smtpPort !== undefined ? await startIntakeMailbox(services) : null;
  // Bounces (BOUNCE_SMTP_PORT), likewise.
  const bounceIntake: SmtpIntake | null = roles.has('worker') && config.bounces.smtpPort !== undefined ? await startBounceIntake(services) : null;

  const hub = new RealtimeHub();
  let app: App | null = null;
  let url: string | null = null;
  if (roles.has('web')) {
    await hub.start(database);
    app = await buildApp({ services, hub });
    url = await app.listen({ port: config.port, host: config.host });
  }
  if (mailer.mode === 'log' && roles.has('worker')) log.warn('SMTP_URL is not set: mail is written to this log instead of being sent.');

  return {
    app,
    services,
    url,
    async stop() {
      // Streams first: the HTTP server's close waits for every open connection, and only the hub ends those.
      await hub.stop();
      await app?.close();
      await intake?.close();
      await cvdIntake?.close();
      await requestIntake?.close();
      await monitoringIntake?.close();
      await intakeMailbox?.close();
      await bounceIntake?.close();
      for (const u of unlisten) await u();
      await jobs?.stop();
      await draining;
      mailer.close();
      await database.close();
      lock?.release();
    },
  };
}
