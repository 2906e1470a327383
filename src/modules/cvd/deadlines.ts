import { amsterdamDay, workingDay } from '#modules/monitoring/working-days.ts';

/**
 * The CVD clocks. The finder gets a first answer within five Dutch working days (weekends, national
 * holidays and the CERT's own days off do not count, the day of receipt neither); the due moment is
 * the end of the fifth working day, Europe/Amsterdam. The disclosure date is a calendar date.
 */

export const FIRST_RESPONSE_WORKING_DAYS = 5;
/** A clock is 'soon' this many working days (first response) or days (disclosure) before it runs out. */
export const FIRST_RESPONSE_SOON_WORKING_DAYS = 1;
export const DISCLOSURE_SOON_DAYS = 14;

export type Overrides = ReadonlyMap<string, { working: boolean; note: string }>;

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The UTC instant at which `day` starts in Europe/Amsterdam (midnight is 22:00 or 23:00 UTC the day before). */
export function amsterdamMidnight(day: string): Date {
  for (const hours of [-1, -2, 0]) {
    const at = new Date(`${day}T00:00:00Z`);
    at.setUTCHours(hours);
    if (amsterdamDay(at) === day && amsterdamDay(new Date(at.getTime() - 1)) !== day) return at;
  }
  throw new Error(`no Amsterdam midnight found for ${day}`);
}

/** The `n`th working day after `day` (not counting `day` itself). */
export function nthWorkingDayAfter(day: string, n: number, overrides: Overrides): string {
  let d = day;
  let left = n;
  // A year of days off in a row would be a broken calendar; stop rather than loop for ever.
  for (let guard = 0; guard < 366; guard++) {
    d = addDays(d, 1);
    if (workingDay(d, overrides).working && --left === 0) return d;
  }
  throw new Error(`no ${n} working days found after ${day}: check the working-day calendar`);
}

/** End of the fifth working day after receipt (the last millisecond of that day in Amsterdam). */
export function firstResponseDue(receivedAt: Date, overrides: Overrides): Date {
  const last = nthWorkingDayAfter(amsterdamDay(receivedAt), FIRST_RESPONSE_WORKING_DAYS, overrides);
  return new Date(amsterdamMidnight(addDays(last, 1)).getTime() - 1);
}

/** Working days from today until `due` counts down to 0 on the due day itself; negative once it passed. */
export function workingDaysLeft(now: Date, due: Date, overrides: Overrides): number {
  const today = amsterdamDay(now);
  const dueDay = amsterdamDay(due);
  if (now.getTime() > due.getTime()) return -1;
  let n = 0;
  for (let d = today; d < dueDay; d = addDays(d, 1)) if (workingDay(addDays(d, 1), overrides).working) n++;
  return n;
}

export type FirstResponseState = 'met' | 'running' | 'soon' | 'overdue' | 'stopped';

export function firstResponseState(p: { due: Date; metAt: Date | null; closed: boolean; now: Date; overrides: Overrides }): { state: FirstResponseState; workingDaysLeft: number | null } {
  if (p.metAt) return { state: 'met', workingDaysLeft: null };
  if (p.closed) return { state: 'stopped', workingDaysLeft: null };
  const left = workingDaysLeft(p.now, p.due, p.overrides);
  if (left < 0) return { state: 'overdue', workingDaysLeft: left };
  return { state: left <= FIRST_RESPONSE_SOON_WORKING_DAYS ? 'soon' : 'running', workingDaysLeft: left };
}

export type DisclosureState = 'running' | 'soon' | 'overdue' | 'stopped';

export function disclosureState(p: { due: string; closed: boolean; now: Date }): { state: DisclosureState; daysLeft: number | null } {
  if (p.closed) return { state: 'stopped', daysLeft: null };
  const today = amsterdamDay(p.now);
  const daysLeft = Math.round((Date.parse(`${p.due}T12:00:00Z`) - Date.parse(`${today}T12:00:00Z`)) / 86_400_000);
  if (daysLeft < 0) return { state: 'overdue', daysLeft };
  return { state: daysLeft <= DISCLOSURE_SOON_DAYS ? 'soon' : 'running', daysLeft };
}

/** The default target disclosure date: `days` calendar days after the day of receipt. */
export function defaultDisclosureDue(receivedAt: Date, days: number): string {
  return addDays(amsterdamDay(receivedAt), days);
}
