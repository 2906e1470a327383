/**
 * ISO 8601 weeks as the CERT counts them: in Europe/Amsterdam, weeks start on Monday and week 1 holds
 * the year's first Thursday. An instant counts by its date in Amsterdam: Sunday 23:30 there is still
 * Sunday, whatever the UTC date.
 */

const ZONE = 'Europe/Amsterdam';

/** The calendar date (YYYY-MM-DD) of an instant in Amsterdam. */
export function amsterdamDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The ISO week of a calendar date, e.g. "2026-W48". */
export function isoWeekOfDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = date.getUTCDay() || 7;
  // The Thursday of this week decides the year.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week an instant falls in, in Amsterdam. */
export function isoWeek(at: Date = new Date()): string {
  return isoWeekOfDate(amsterdamDate(at));
}

export const ISO_WEEK = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;
