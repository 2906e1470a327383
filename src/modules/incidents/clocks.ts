import type { ClockOut } from './incident.schema.ts';

/**
 * The deadlines a hospital faces after a significant incident. NIS2 as the Dutch
 * Cyberbeveiligingswet takes it over: an early warning within 24 hours of becoming aware, an incident
 * notification within 72 hours, a final report within one month of the notification. The GDPR
 * (art. 33): a personal-data breach to the Dutch DPA within 72 hours of becoming aware.
 */
export interface ClockFacts {
  nis2Applies: boolean;
  personalData: boolean;
  awareAt: Date;
  earlyWarningAt: Date | null;
  notificationAt: Date | null;
  finalReportAt: Date | null;
  dpaNotifiedAt: Date | null;
}

const HOUR = 3_600_000;

/** One calendar month later (31 Jan → 28/29 Feb), as "within one month" is counted. */
export function addOneMonth(d: Date): Date {
  const out = new Date(d);
  const day = out.getUTCDate();
  out.setUTCDate(1);
  out.setUTCMonth(out.getUTCMonth() + 1);
  const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
  out.setUTCDate(Math.min(day, last));
  return out;
}

function state(due: Date | null, met: Date | null, now: Date, soonHours: number): ClockOut['state'] {
  if (met) return 'met';
  if (!due) return 'waiting';
  if (due.getTime() < now.getTime()) return 'overdue';
  return due.getTime() - now.getTime() <= soonHours * HOUR ? 'due_soon' : 'open';
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The clocks that apply to a case, with their state at `now`. */
export function computeClocks(f: ClockFacts, now = new Date(), soonHours = 6): ClockOut[] {
  const out: ClockOut[] = [];
  if (f.nis2Applies) {
    const early = new Date(f.awareAt.getTime() + 24 * HOUR);
    const notification = new Date(f.awareAt.getTime() + 72 * HOUR);
    // The month runs from the notification made; until it is made, we cannot say when the report is due.
    const final = f.notificationAt ? addOneMonth(f.notificationAt) : null;
    out.push({ clock: 'nis2_early_warning', dueAt: iso(early), metAt: iso(f.earlyWarningAt), state: state(early, f.earlyWarningAt, now, soonHours) });
    out.push({ clock: 'nis2_notification', dueAt: iso(notification), metAt: iso(f.notificationAt), state: state(notification, f.notificationAt, now, soonHours) });
    out.push({ clock: 'nis2_final_report', dueAt: iso(final), metAt: iso(f.finalReportAt), state: state(final, f.finalReportAt, now, 24 * 3) });
  }
  if (f.personalData) {
    const dpa = new Date(f.awareAt.getTime() + 72 * HOUR);
    out.push({ clock: 'gdpr_breach', dueAt: iso(dpa), metAt: iso(f.dpaNotifiedAt), state: state(dpa, f.dpaNotifiedAt, now, soonHours) });
  }
  return out;
}

/** The columns of a case that its clocks are computed from. */
export interface ClockColumns {
  nis2_applies: boolean;
  personal_data: boolean;
  aware_at: Date;
  early_warning_at: Date | null;
  notification_at: Date | null;
  final_report_at: Date | null;
  dpa_notified_at: Date | null;
}

export function clockFactsOf(row: ClockColumns): ClockFacts {
  return {
    nis2Applies: row.nis2_applies,
    personalData: row.personal_data,
    awareAt: row.aware_at,
    earlyWarningAt: row.early_warning_at,
    notificationAt: row.notification_at,
    finalReportAt: row.final_report_at,
    dpaNotifiedAt: row.dpa_notified_at,
  };
}
