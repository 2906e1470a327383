import type { Ctx } from '#server/context.ts';
import { runDnsblChecks, type DnsblRunSummary } from './dnsbl.service.ts';
import { sendDailyDigests } from './digest.service.ts';
import { runFeedsAndChecks, type SourceRunSummary } from './feed.service.ts';
import * as schedule from './schedule.repository.ts';
import { amsterdamDay, amsterdamTime, workingDay } from './working-days.ts';

export type DailyOutcome =
  | { ran: false; day: string; reason: string }
  | { ran: true; day: string; dnsbl: DnsblRunSummary[]; feeds: SourceRunSummary[]; mail: { organisations: number; mails: number; findings: number } };

/**
 * The working day's monitoring: the blacklist checks, the blocklist feeds and the CERT's own checks, then one mail per participant with what is new.
 * Runs once per working day at the configured time (Europe/Amsterdam), whichever process's scheduler
 * ticks first after it; weekends, public holidays and the CERT's days off are skipped.
 */
export async function runDaily(ctx: Ctx, now: Date = new Date()): Promise<DailyOutcome> {
  const day = amsterdamDay(now);
  const overrides = new Map((await schedule.calendarOverrides(ctx.db, day, day)).map((o) => [o.day, o]));
  const info = workingDay(day, overrides);
  if (!info.working) return { ran: false, day, reason: info.reason };
  if (amsterdamTime(now) < ctx.services.config.monitoring.dailyTime) return { ran: false, day, reason: `Runs at ${ctx.services.config.monitoring.dailyTime}` };
  if (!(await schedule.claimRun(ctx.db, 'daily', day))) return { ran: false, day, reason: 'Already ran today' };
  // A failing check (a zone, a feed, the budget table) must not cost the participants the day's mail
  // about everything else: each stage is on its own, and its failure is logged and reported.
  const stage = async <T>(name: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      ctx.services.log.error({ err, stage: name, day }, 'monitoring daily stage failed');
      return fallback;
    }
  };
  const dnsbl = await stage('dnsbl', () => runDnsblChecks(ctx, 'schedule'), []);
  const feeds = await stage('feeds', () => runFeedsAndChecks(ctx, 'schedule'), []);
  const mail = await sendDailyDigests(ctx);
  await schedule.finishRun(ctx.db, 'daily', day);
  return { ran: true, day, dnsbl, feeds, mail };
}
