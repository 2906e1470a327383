import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '#db/database.ts';

/**
 * A named job: its queue, what it does, and (optionally) its cron schedule. Modules declare their
 * jobs here-shaped and the runner wires them to pg-boss; nothing else talks to pg-boss directly.
 */
export interface JobDefinition {
  name: string;
  /** Cron in UTC, for the scheduler role. */
  schedule?: string;
  retryLimit?: number;
  run(): Promise<void>;
}

export interface JobRunner {
  boss: PgBoss;
  send(name: string): Promise<void>;
  stop(): Promise<void>;
}

const START_LOCK_KEY = 0x77706273; // 'wpbs'

/**
 * Starts pg-boss on the application database (its own schema `pgboss`). Workers claim each job once
 * across processes (SKIP LOCKED); the scheduler role installs the cron schedules.
 */
async function createQueues(boss: PgBoss, jobs: readonly JobDefinition[]): Promise<void> {
  for (const job of jobs) await boss.createQueue(job.name, { name: job.name, retryLimit: job.retryLimit ?? 3, retryBackoff: true });
}

export async function startJobs(database: Database, jobs: JobDefinition[], roles: { worker: boolean; scheduler: boolean }, log: Logger): Promise<JobRunner> {
  const boss = new PgBoss({
    db: database.executor,
    schema: 'pgboss',
    // The embedded database is one connection: keep background maintenance light.
    supervise: roles.worker || roles.scheduler,
    schedule: roles.scheduler,
    migrate: true,
  });
  boss.on('error', (err) => log.error({ err }, 'job system error'));
  if (database.kind === 'postgres') {
    // pg-boss installs its schema at the first start. Two processes starting at once on an empty
    // database collide in its CREATE SCHEMA (duplicate key in pg_namespace) despite its own lock, so
    // starts take turns: the second sees the schema installed. (PGlite has one process.) Creating
    // the queues (a partition each) at the same moment deadlocks as well, so that is in the turn too.
    await database.db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(${START_LOCK_KEY})`.execute(conn);
      try {
        await boss.start();
        await createQueues(boss, jobs);
      } finally {
        await sql`SELECT pg_advisory_unlock(${START_LOCK_KEY})`.execute(conn);
      }
    });
  } else {
    await boss.start();
    await createQueues(boss, jobs);
  }
  for (const job of jobs) {
    if (roles.worker) {
      await boss.work(job.name, { pollingIntervalSeconds: 2 }, async () => {
        await job.run();
      });
    }
    if (roles.scheduler && job.schedule) await boss.schedule(job.name, job.schedule);
  }
  return {
    boss,
    async send(name) {
      await boss.send(name, {});
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
