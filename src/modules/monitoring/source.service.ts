import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import type { Ctx } from '#server/context.ts';
import { badRequest, conflict, notFound } from '#server/errors.ts';
import { dnsblSourceName, runDnsblChecks } from './dnsbl.service.ts';
import { blocklistSourceName, checkFeedUrl, checkSourceName, feedErrorToApp, runSource } from './feed.service.ts';
import type { SourceInput } from './monitoring.schema.ts';
import * as repo from './report.repository.ts';
import * as schedule from './schedule.repository.ts';
import { amsterdamDay, workingDay } from './working-days.ts';

function presentSource(s: NonNullable<Awaited<ReturnType<typeof repo.findSource>>>) {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    config: s.config,
    enabled: s.enabled,
    lastRunAt: s.last_run_at?.toISOString() ?? null,
    lastRows: s.last_rows,
    lastErrors: s.last_errors,
    lastError: s.last_error,
  };
}

export async function listSources(ctx: Ctx) {
  authorize(ctx.actor, 'monitoring:write');
  return (await repo.listSources(ctx.db)).map(presentSource);
}

function sourceName(input: SourceInput): string {
  if (input.kind === 'dnsbl') return dnsblSourceName(input.config.zone);
  if (input.kind === 'blocklist') return blocklistSourceName(input.name);
  if (input.kind === 'check') return checkSourceName(input.config.check);
  return input.name;
}

/**
 * A DNSBL zone, a CSV source with its column mapping, a blocklist feed or one of the CERT's own
 * checks. Names are unique: a zone once, a check once.
 */
export async function createSource(ctx: Ctx, input: SourceInput) {
  authorize(ctx.actor, 'monitoring:write');
  if (input.kind === 'blocklist' && input.config.url) input.config.url = checkFeedUrl(ctx, input.config.url);
  const name = sourceName(input);
  if (await repo.findSourceByName(ctx.db, name)) throw conflict('source_exists', `A source named '${name}' exists already; change that one instead.`);
  const id = await repo.insertSource(ctx.db, { kind: input.kind, name, config: input.config, enabled: input.enabled });
  await record(ctx, { action: 'monitoring.source.create', targetType: 'monitoring_source', targetId: id, details: { kind: input.kind, name } });
  return presentSource((await repo.findSource(ctx.db, id))!);
}

export async function setSourceEnabled(ctx: Ctx, id: string, enabled: boolean) {
  authorize(ctx.actor, 'monitoring:write');
  if (!(await repo.updateSource(ctx.db, id, { enabled }))) throw notFound('source');
  await record(ctx, { action: 'monitoring.source.update', targetType: 'monitoring_source', targetId: id, details: { enabled } });
  return presentSource((await repo.findSource(ctx.db, id))!);
}

/** Runs the blacklist checks now (all enabled zones, or one), outside the daily schedule. */
export async function runDnsblNow(ctx: Ctx, sourceId?: string) {
  authorize(ctx.actor, 'monitoring:write');
  if (sourceId) {
    const s = await repo.findSource(ctx.db, sourceId);
    if (!s || s.kind !== 'dnsbl') throw notFound('source');
  }
  return runDnsblChecks(ctx, 'manual', sourceId ? [sourceId] : undefined);
}

/** Runs one blocklist feed or check now, outside the daily schedule. */
export async function runSourceNow(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'monitoring:write');
  const s = await repo.findSource(ctx.db, id);
  if (!s) throw notFound('source');
  if (s.kind !== 'blocklist' && s.kind !== 'check')
    throw badRequest('source_not_runnable', s.kind === 'dnsbl' ? 'Run blacklist zones with /api/v1/monitoring/dnsbl/run.' : 'This source receives reports; it has nothing to run.');
  try {
    return await runSource(ctx, s, 'manual');
  } catch (err) {
    throw feedErrorToApp(err);
  } finally {
    await record(ctx, { action: 'monitoring.source.run', targetType: 'monitoring_source', targetId: id, details: { kind: s.kind, name: s.name } });
  }
}

/** The working-day calendar of a year: every day off and every override, with the reason. */
export async function calendar(ctx: Ctx, year = Number(amsterdamDay().slice(0, 4))) {
  authorize(ctx.actor, 'monitoring:write');
  const overrides = new Map((await schedule.calendarOverrides(ctx.db, `${year}-01-01`, `${year}-12-31`)).map((o) => [o.day, o]));
  const days = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    const info = workingDay(day, overrides);
    // Weekends are implied; list what a person needs to see: holidays and the CERT's own changes.
    if (overrides.has(day) || (!info.working && info.reason !== 'Weekend')) days.push({ ...info, overridden: overrides.has(day) });
  }
  return { year, days };
}

export async function setCalendarDay(ctx: Ctx, input: { day: string; working: boolean | null; note: string }) {
  authorize(ctx.actor, 'monitoring:write');
  await schedule.setCalendarDay(ctx.db, input.day, input.working, input.note);
  await record(ctx, { action: 'monitoring.calendar.set', targetType: 'monitoring_calendar', targetId: null, details: input });
  return calendar(ctx, Number(input.day.slice(0, 4)));
}
