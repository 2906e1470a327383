import type { DigestKind } from '#db/schema-digests.ts';
import { workingDay } from '#modules/monitoring/working-days.ts';
import { isoWeekOfDate } from '#lib/iso-week.ts';

/**
 * The periods of digests, in Europe/Amsterdam: ISO weeks ('2026-W48', Monday to Sunday) and
 * calendar months ('2026-11'). Pure functions on 'YYYY-MM-DD' days; the only clock is the caller's.
 */

const WEEK_PERIOD = /^(\d{4})-W(\d{2})$/;
const MONTH_PERIOD = /^(\d{4})-(\d{2})$/;

const MS_DAY = 86_400_000;
const dayUtc = (day: string) => new Date(`${day}T00:00:00Z`);
const fmt = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => fmt(new Date(dayUtc(day).getTime() + n * MS_DAY));

/** The ISO week of a day, e.g. '2026-W48' (lib/iso-week.ts: the one ISO-week rule, shared with intake). */
export function weekPeriodOf(day: string): string {
  return isoWeekOfDate(day);
}

/** The month before the day's month, e.g. '2026-12-01' → '2026-11'. */
export function previousMonthOf(day: string): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Whether a period string names a real week or month of the kind. */
export function isValidPeriod(kind: DigestKind, period: string): boolean {
  if (kind === 'week') {
    const m = WEEK_PERIOD.exec(period);
    if (!m) return false;
    const week = Number(m[2]);
    return week >= 1 && week <= 53 && weekPeriodOf(mondayOf(Number(m[1]), week)) === period;
  }
  const m = MONTH_PERIOD.exec(period);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 2000;
}

function mondayOf(year: number, week: number): string {
  // 4 January is always in week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const dow = new Date(jan4).getUTCDay() || 7;
  return fmt(new Date(jan4 + ((week - 1) * 7 - (dow - 1)) * MS_DAY));
}

/** The days of a period, first and last (inclusive). */
export function periodDays(kind: DigestKind, period: string): { first: string; last: string } {
  if (kind === 'week') {
    const m = WEEK_PERIOD.exec(period);
    if (!m) throw new Error(`Not a week: ${period}`);
    const first = mondayOf(Number(m[1]), Number(m[2]));
    return { first, last: addDays(first, 6) };
  }
  const first = `${period}-01`;
  const y = Number(period.slice(0, 4));
  const mo = Number(period.slice(5, 7));
  return { first, last: fmt(new Date(Date.UTC(y, mo, 0))) };
}

/** Offset of Europe/Amsterdam from UTC at an instant, in minutes (+60 in winter, +120 in summer). */
function amsterdamOffsetMinutes(at: Date): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Amsterdam', timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')
      ?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The instant a wall-clock time ('HH:MM') on a day is in Europe/Amsterdam. */
export function amsterdamInstant(day: string, time = '00:00'): Date {
  const naive = Date.parse(`${day}T${time}:00Z`);
  // Twice: the offset of the guess can differ from the offset of the answer across a clock change.
  let at = new Date(naive - amsterdamOffsetMinutes(new Date(naive)) * 60_000);
  at = new Date(naive - amsterdamOffsetMinutes(at) * 60_000);
  return at;
}

/** The period as instants: [start, end) from the first day's midnight to the midnight after the last day. */
export function periodBounds(kind: DigestKind, period: string): { start: Date; end: Date } {
  const { first, last } = periodDays(kind, period);
  return { start: amsterdamInstant(first), end: amsterdamInstant(addDays(last, 1)) };
}

/** The last working day of an ISO week (Dutch holidays and the CERT's own days), or null when it has none. */
export function lastWorkingDayOfWeek(period: string, overrides: ReadonlyMap<string, { working: boolean; note: string }>): string | null {
  const { first } = periodDays('week', period);
  for (let i = 6; i >= 0; i--) {
    const day = addDays(first, i);
    if (workingDay(day, overrides).working) return day;
  }
  return null;
}

const MONTHS = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
} as const;

/** "Week 48, 2026 — Weekoverzicht" / "Week 48, 2026 — Weekly overview"; "November 2026 — Maandoverzicht". */
export function digestTitles(kind: DigestKind, period: string): { nl: string; en: string } {
  if (kind === 'week') {
    const m = WEEK_PERIOD.exec(period)!;
    const head = `Week ${Number(m[2])}, ${m[1]}`;
    return { nl: `${head} — Weekoverzicht`, en: `${head} — Weekly overview` };
  }
  const year = period.slice(0, 4);
  const month = Number(period.slice(5, 7)) - 1;
  const nl = MONTHS.nl[month]!;
  return { nl: `${nl[0]!.toUpperCase()}${nl.slice(1)} ${year} — Maandoverzicht`, en: `${MONTHS.en[month]!} ${year} — Monthly overview` };
}
