import Holidays from 'date-holidays';

/**
 * Dutch working days: Monday to Friday except public holidays (date-holidays' 'public' type for NL:
 * New Year, Easter Monday, King's Day, Ascension, Whit Monday, Christmas). The CERT's own calendar
 * overrides either way (a holiday added, a holiday worked).
 */
const holidays = new Holidays('NL');

/** The date in Europe/Amsterdam as YYYY-MM-DD. */
export function amsterdamDay(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The wall-clock time in Europe/Amsterdam as HH:MM. */
export function amsterdamTime(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

export function publicHoliday(day: string): string | null {
  const found = holidays.isHoliday(new Date(`${day}T12:00:00Z`));
  const hit = found ? found.find((h) => h.type === 'public' && h.date.startsWith(day)) : undefined;
  return hit ? hit.name : null;
}

export function isWeekend(day: string): boolean {
  const dow = new Date(`${day}T12:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

export interface DayInfo {
  day: string;
  working: boolean;
  reason: string;
}

/** Whether a day is a working day, and why, given the CERT's overrides. */
export function workingDay(day: string, overrides: ReadonlyMap<string, { working: boolean; note: string }>): DayInfo {
  const own = overrides.get(day);
  if (own) return { day, working: own.working, reason: own.note || (own.working ? 'Working day set by the CERT' : 'Day off set by the CERT') };
  if (isWeekend(day)) return { day, working: false, reason: 'Weekend' };
  const holiday = publicHoliday(day);
  if (holiday) return { day, working: false, reason: holiday };
  return { day, working: true, reason: 'Working day' };
}
