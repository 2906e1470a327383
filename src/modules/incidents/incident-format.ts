import type { ClockOut } from './incident.schema.ts';

/** Wording and time formats shared by the deadline mails, the dashboard, the CSV and the PDF. */

export type Lang = 'nl' | 'en';
export type ClockName = ClockOut['clock'];

export const CLOCK_LABELS: Record<Lang, Record<ClockName, string>> = {
  nl: {
    nis2_early_warning: 'NIS2: vroegtijdige waarschuwing (binnen 24 uur)',
    nis2_notification: 'NIS2: incidentmelding (binnen 72 uur)',
    nis2_final_report: 'NIS2: eindrapport (binnen een maand na de incidentmelding)',
    gdpr_breach: 'AVG: melding datalek aan de Autoriteit Persoonsgegevens (binnen 72 uur)',
  },
  en: {
    nis2_early_warning: 'NIS2: early warning (within 24 hours)',
    nis2_notification: 'NIS2: incident notification (within 72 hours)',
    nis2_final_report: 'NIS2: final report (within one month of the notification)',
    gdpr_breach: 'GDPR: personal-data breach notification to the Dutch DPA (within 72 hours)',
  },
};

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/**
 * Wall-clock time in Europe/Amsterdam, e.g. "2026-11-28 11:00:00 CET". The zone name is kept: in the
 * hour the clocks go back, 02:30 happens twice, and a deadline must not be read the wrong way.
 */
export function amsterdamTime(at: Date, withSeconds = true): string {
  const p = Object.fromEntries(AMSTERDAM.formatToParts(at).map((x) => [x.type, x.value]));
  const time = withSeconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  // Intl writes "GMT+1"/"GMT+2" for this zone; readers in the Netherlands know them as CET/CEST.
  const zone = (p.timeZoneName ?? '').replace('GMT+1', 'CET').replace('GMT+2', 'CEST');
  return `${p.year}-${p.month}-${p.day} ${time} ${zone}`.trim();
}
